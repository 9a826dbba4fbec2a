// A command's database, any backend; its own module so openDatabase.ts and pglite.ts needn't import each other.
import type { Db } from "./transaction.js";
import { pgClientConfig, type SqlSession } from "./sqlSession.js";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.js";
import type { DatabaseTarget, PostgresTarget } from "../target/target.js";
import { nameConnections } from "./transactionConnection.js";

export interface DatabaseConnection {
  target: DatabaseTarget;
  db: Db;
  /** Plain SQL on the same database (migrations, checks). On the embedded database it shares the
   *  one connection with `db`: don't await it inside one of db's interactive transactions. */
  sql: SqlSession;
  /** Disconnects, and for the embedded database closes it and releases its lock. */
  close(): Promise<void>;
}

/** The one place a server's Prisma Client is built: on our own pool, closed with it, its connections named for COPY. */
export function createPrismaClient(target: PostgresTarget): PrismaClient {
  const pool = new pg.Pool({ ...pgClientConfig(target), max: 4 });
  nameConnections(pool);
  return new PrismaClient({ adapter: new PrismaPg(pool, { schema: target.schema, disposeExternalPool: true }) });
}
