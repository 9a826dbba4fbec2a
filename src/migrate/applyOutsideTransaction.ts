// A migration run exactly as Prisma's engine runs one on PostgreSQL: its row written first (on
// its own, committed), the whole script sent as one simple query with no BEGIN around it, then
// the row marked finished, or its error written to `logs` with finished_at left NULL. Used for a
// migration PostgreSQL refuses to run inside a transaction block (see applyMigration.ts).
import { randomUUID } from "node:crypto";
import type { SqlSession } from "../db/sqlSession.js";
import { failedOutsideTransaction, failureLogs } from "./migrationFailure.js";
import type { MigrationFile } from "./migrationFiles.js";
import { recordFailed, recordFinished, recordStarted } from "./migrationRecord.js";

export async function applyOutsideTransaction(session: SqlSession, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  await recordStarted(session, id, migration);
  try {
    await session.exec(migration.sql);
  } catch (error) {
    // A script that failed inside a BEGIN of its own leaves the session in that aborted block,
    // where the failure couldn't be recorded; outside any block this ROLLBACK only warns.
    await session.exec("ROLLBACK");
    await recordFailed(session, id, failureLogs(migration, error));
    throw failedOutsideTransaction(migration, error);
  }
  await recordFinished(session, id);
}
