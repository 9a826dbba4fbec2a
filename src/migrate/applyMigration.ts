// Applies one migration and records it in `_prisma_migrations`.
//
// Prisma's engine sends the whole migration.sql to PostgreSQL as one simple query, with no BEGIN
// of its own (prisma-engines, flavour/postgres/connection.rs, apply_migration_script), between a
// row written before it and the row's update after it (core/src/commands/apply_migrations.rs).
// PostgreSQL runs a simple query of several statements as one implicit transaction, so the
// script is all-or-nothing under Prisma too; we run it inside a transaction that also holds its
// row, so a failed migration leaves nothing, not even the failed row Prisma leaves to resolve.
//
// A statement PostgreSQL refuses inside a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, ...)
// fails in our transaction with SQLSTATE 25001 and is rolled back; the migration then runs again
// exactly as Prisma runs it (applyOutsideTransaction, below): alone, it works; among other statements,
// PostgreSQL's implicit transaction refuses it there too, and it is recorded as failed, as Prisma does.
import { randomUUID } from "node:crypto";
import type { SqlSession } from "../db/sqlSession.js";
import { CANNOT_RUN_IN_TRANSACTION, failedAfterOwnCommit, failedOutsideTransaction, failureLogs, rolledBack, sqlState } from "./migrationFailure.js";
import type { MigrationFile } from "./migrationFiles.js";

export type HowApplied = "in a transaction" | "outside a transaction";

export async function applyMigration(session: SqlSession, migration: MigrationFile): Promise<HowApplied> {
  if (await applyInTransaction(session, migration)) return "in a transaction";
  await applyOutsideTransaction(session, migration);
  return "outside a transaction";
}

/** The migration and its row commit together or not at all; false: PostgreSQL can't run it in a transaction. */
async function applyInTransaction(session: SqlSession, migration: MigrationFile): Promise<boolean> {
  const id = randomUUID();
  await session.exec("BEGIN");
  try {
    await recordStarted(session, id, migration);
    await session.exec(migration.sql);
    // A ROLLBACK of the script's own discarded the row (what ran after it stays, as under Prisma): write it again.
    if (!(await recordFinished(session, id))) {
      await recordStarted(session, id, migration);
      await recordFinished(session, id);
    }
    await session.exec("COMMIT");
    return true;
  } catch (error) {
    await session.exec("ROLLBACK");
    // The row outlives our ROLLBACK only when a COMMIT of the script's own committed it, with the
    // statements before that COMMIT: the state Prisma leaves, which gets Prisma's failed row.
    if (await recordExists(session, id)) {
      await recordFailed(session, id, failureLogs(migration, error));
      throw failedAfterOwnCommit(migration, error);
    }
    if (sqlState(error) === CANNOT_RUN_IN_TRANSACTION) return false;
    throw rolledBack(migration, error);
  }
}

// A migration run exactly as Prisma's engine runs one on PostgreSQL: its row written first (on
// its own, committed), the whole script sent as one simple query with no BEGIN around it, then
// the row marked finished, or its error written to `logs` with finished_at left NULL. Used for a
// migration PostgreSQL refuses to run inside a transaction block (see above).
async function applyOutsideTransaction(session: SqlSession, migration: MigrationFile): Promise<void> {
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

// The rows a migration leaves in `_prisma_migrations`, written as Prisma's engine writes them
// (prisma-engines, sql_migration_persistence.rs): a row when it starts (finished_at NULL,
// applied_steps_count 0), then applied_steps_count 1 and finished_at when it succeeds, or its
// error in `logs` (finished_at left NULL) when it fails.
async function recordStarted(session: SqlSession, id: string, migration: MigrationFile): Promise<void> {
  await session.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
     VALUES ($1, $2, $3, now(), 0)`,
    [id, migration.checksum, migration.name],
  );
}

/** Marks the row finished; false when there is no row `id` to mark. */
async function recordFinished(session: SqlSession, id: string): Promise<boolean> {
  const rows = await session.query(
    `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = applied_steps_count + 1
     WHERE id = $1 RETURNING id`,
    [id],
  );
  return rows.length > 0;
}

async function recordFailed(session: SqlSession, id: string, logs: string): Promise<void> {
  await session.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, logs]);
}

async function recordExists(session: SqlSession, id: string): Promise<boolean> {
  return (await session.query(`SELECT 1 FROM "_prisma_migrations" WHERE id = $1`, [id])).length > 0;
}
