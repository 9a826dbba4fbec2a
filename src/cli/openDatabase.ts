// A command's database, opened once: a Prisma Client and a plain SQL session on it, whatever the backend.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { onInterrupt } from "../shared/interruptCleanup.js";
import { lockDataDir } from "../embedded/dataDirLock.js";
import { watchLockWaits } from "../connection/lockWaitWatch.js";
import { createPrismaClient, type DatabaseConnection } from "../connection/databaseConnection.js";
import { openPgSession } from "../connection/sqlSession.js";
import { describeTarget, resolveDatabaseTarget, type DatabaseTarget, type TargetOptions } from "../target/target.js";
import { CommandError } from "../shared/errors.js";
import type { Log } from "../shared/output.js";

export type { DatabaseConnection } from "../connection/databaseConnection.js";

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseConnection> {
  if (target.kind === "postgres") {
    // Nothing to do on an interrupt: the process exits, the socket closes, the server rolls back.
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
  // PGlite (PostgreSQL in WASM) is imported only here: a server command doesn't pay for loading it.
  const { embeddedConnection, openPglite } = await import("../embedded/pglite.js");
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
  const connection = embeddedConnection(target, pglite, lock);
  // Interrupted, the command exits only once its transaction is rolled back and PGlite closed.
  const forget = onInterrupt(() => connection.abandon());
  return { ...connection, close: () => connection.close().finally(forget) };
}

/** Runs `work` on the command's database, announced with `say`; always closes it. `needsStore`: a failure
 *  on an empty embedded database, fallen back to, is explained as that (EmbeddedTarget's emptyError). */
export async function withCommandDatabase<T>(
  options: TargetOptions,
  { say, needsStore = false }: { say: Log; needsStore?: boolean },
  work: (connection: DatabaseConnection) => Promise<T>,
): Promise<T> {
  const target = resolveDatabaseTarget(options);
  say(describeTarget(target));
  const connection = await openDatabase(target);
  const lockWatch =
    target.kind === "postgres" ? watchLockWaits(target, (line) => process.stderr.write(`${line}\n`)) : undefined;
  try {
    return await work(connection);
  } catch (error) {
    if (needsStore && target.kind === "embedded" && target.emptyError && (await hasNoTables(connection))) {
      throw new CommandError(target.emptyError);
    }
    throw error;
  } finally {
    await lockWatch?.stop();
    await connection.close();
  }
}

/** Not one table in its schema (a failure on a closed or interrupted database counts as no). */
async function hasNoTables({ sql }: DatabaseConnection): Promise<boolean> {
  const query = "SELECT NOT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema()) AS none";
  const rows = await sql.query<{ none: boolean }>(query).catch(() => []);
  return rows[0]?.none === true;
}
