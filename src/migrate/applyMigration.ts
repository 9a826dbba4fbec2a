// Applies one migration and records it in `_prisma_migrations`.
// Prisma's engine sends migration.sql as one simple query with no BEGIN of its own (prisma-engines,
// flavour/postgres/connection.rs, apply_migration_script), between writing its row and updating it
// (core/src/commands/apply_migrations.rs). PostgreSQL runs such a query as one implicit transaction,
// so the script is all-or-nothing under Prisma too. We also put the row in our transaction, so a
// failed migration leaves nothing, not even the failed row Prisma leaves to resolve.
// A statement refused in a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, ...) fails with
// SQLSTATE 25001; the migration then runs as Prisma runs it (applyOutsideTransaction): alone it
// works; among other statements it fails there too and is recorded as failed, as Prisma does.
import { randomUUID } from "node:crypto";
import type { SqlSession } from "../connection/sqlSession.js";
import {
  CANNOT_RUN_IN_TRANSACTION,
  failedAfterOwnCommit,
  failedOutsideTransaction,
  failureLogs,
  rolledBack,
  sqlState,
} from "./migrationFailure.js";
import type { MigrationFile } from "../schema/migrationFiles.js";

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

// Exactly as Prisma's engine runs it: the row committed first, then the script with no BEGIN around it.
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

// The row as Prisma's engine writes it (prisma-engines, sql_migration_persistence.rs): on success
// finished_at and applied_steps_count 1; on failure the error in `logs`, finished_at left NULL.
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
