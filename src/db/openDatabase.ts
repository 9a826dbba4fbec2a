// Opens the database a command works on, once per command: a Prisma Client and a plain SQL
// session on the same database, whatever the backend. Entries use this and never branch on it.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { lockDataDir } from "./dataDirLock.js";
import { createPrismaClient, type Db } from "./prismaClient.js";
import { openPgSession, type SqlSession } from "./sqlSession.js";
import { describeTarget, resolveDatabaseTarget, type DatabaseTarget, type TargetOptions } from "./target.js";

export interface DatabaseConnection {
  target: DatabaseTarget;
  /** Prisma Client on the database. */
  db: Db;
  /** Plain SQL on the same database (migrations, checks). On the embedded database it shares the
   *  one connection with `db`: don't await it inside one of db's interactive transactions. */
  sql: SqlSession;
  /** Disconnects, and for the embedded database closes it and releases its lock. */
  close(): Promise<void>;
}

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseConnection> {
  if (target.kind === "postgres") {
    const sql = await openPgSession(target);
    const db = createPrismaClient(target);
    return {
      target,
      db,
      sql,
      async close() {
        await Promise.allSettled([db.$disconnect(), sql.close()]);
      },
    };
  }
  // PGlite (and its WASM build of PostgreSQL) is loaded only for the embedded database: a
  // command on a server database doesn't pay for it (~45 MB of resident memory).
  const { embeddedConnection, openPglite } = await import("./pglite.js");
  // Held from before the directory is opened until after it is closed.
  const lock = lockDataDir(target.dataDir);
  let pglite: PGlite;
  try {
    mkdirSync(dirname(target.dataDir), { recursive: true });
    pglite = await openPglite({ dataDir: target.dataDir, schema: target.schema });
  } catch (error) {
    lock.release();
    throw error;
  }
  return embeddedConnection(target, pglite, lock);
}

/**
 * A command's database: resolved from DATABASE_URL (or --data-dir), announced with `say` (which
 * database, never a password), opened for `work` and closed after it, whatever happens.
 */
export async function withCommandDatabase<T>(
  options: TargetOptions,
  say: (line: string) => void,
  work: (connection: DatabaseConnection) => Promise<T>,
): Promise<T> {
  const target = resolveDatabaseTarget(options);
  say(describeTarget(target));
  const connection = await openDatabase(target);
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}
