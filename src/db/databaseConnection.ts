// A command's database, any backend; its own module so openDatabase.ts and pglite.ts needn't import each other.
import type { Db } from "./transaction.js";
import type { SqlSession } from "./sqlSession.js";
import type { DatabaseTarget } from "./target.js";

export interface DatabaseConnection {
  target: DatabaseTarget;
  db: Db;
  /** Plain SQL on the same database (migrations, checks). On the embedded database it shares the
   *  one connection with `db`: don't await it inside one of db's interactive transactions. */
  sql: SqlSession;
  /** Disconnects, and for the embedded database closes it and releases its lock. */
  close(): Promise<void>;
}
