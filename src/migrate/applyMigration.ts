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
// exactly as Prisma runs it (applyOutsideTransaction.ts): alone, it works; among other statements,
// PostgreSQL's implicit transaction refuses it there too, and it is recorded as failed, as Prisma does.
import { randomUUID } from "node:crypto";
import type { SqlSession } from "../db/sqlSession.js";
import { applyOutsideTransaction } from "./applyOutsideTransaction.js";
import { CANNOT_RUN_IN_TRANSACTION, failedAfterOwnCommit, failureLogs, rolledBack, sqlState } from "./migrationFailure.js";
import type { MigrationFile } from "./migrationFiles.js";
import { recordExists, recordFailed, recordFinished, recordStarted } from "./migrationRecord.js";

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
