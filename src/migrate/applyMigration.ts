// Applies one migration and records it in `_prisma_migrations`. Prisma's engine sends migration.sql as one simple query
// with no BEGIN of its own (prisma-engines, flavour/postgres/connection.rs, apply_migration_script) between writing its
// row and updating it (core/src/commands/apply_migrations.rs); PostgreSQL runs such a query as one implicit
// transaction, so the script is all-or-nothing under Prisma too. Our transaction also holds the row, so a failed
// migration leaves nothing, not even the failed row Prisma leaves to resolve. A statement refused in a transaction
// block (CREATE INDEX CONCURRENTLY, VACUUM, ...) fails with SQLSTATE 25001; the migration then runs as Prisma runs it
// (applyOutsideTransaction): alone it works; among others it fails there too and is recorded as failed, as Prisma does.
import { randomUUID } from "node:crypto";
import type { SqlSession } from "../connection/sqlSession.js";
import type { MigrationFile } from "../schema/migrationFiles.js";
import { errorMessage } from "../shared/errors.js";
import type { Log } from "../shared/output.js";

/** The failure the migration runner reports: one line, saying what to do. */
export class MigrationError extends Error {}

/** PostgreSQL's SQLSTATE for "cannot run inside a transaction block" (active_sql_transaction). */
const CANNOT_RUN_IN_TRANSACTION = "25001";

const RECORDED = "it is recorded as failed in _prisma_migrations, as prisma migrate deploy records it";

/** Applies `migration` in a transaction where PostgreSQL can run it in one; says on `log` which way it went. */
export async function applyMigration(session: SqlSession, migration: MigrationFile, log: Log): Promise<void> {
  if (await applyInTransaction(session, migration)) return log(`applied ${migration.name}`);
  await applyOutsideTransaction(session, migration);
  log(`applied ${migration.name} (outside a transaction: PostgreSQL can't run it in one)`);
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
    if (await recordFailed(session, id, failureLogs(migration, error))) {
      throw new MigrationError(
        `migration ${migration.name} failed part-way: ${errorMessage(error)}; a COMMIT of its own had already kept ` +
          `the statements before it, so ${RECORDED}: undo what it did, then ${markRolledBack(migration.name)}`,
      );
    }
    if (sqlState(error) === CANNOT_RUN_IN_TRANSACTION) return false;
    throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${errorMessage(error)}`);
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
    if (sqlState(error) === CANNOT_RUN_IN_TRANSACTION) {
      throw new MigrationError(
        `migration ${migration.name} failed: ${errorMessage(error)}. PostgreSQL runs a migration.sql of several ` +
          "statements as one transaction, so a statement that can't run inside one (CREATE INDEX CONCURRENTLY and " +
          "the like) must be its migration's only statement; prisma migrate deploy fails on it the same way. " +
          `PostgreSQL rolled that transaction back, and ${RECORDED}: move the statement into a migration of its ` +
          `own, then ${markRolledBack(migration.name)}`,
      );
    }
    throw new MigrationError(
      `migration ${migration.name} failed outside a transaction (PostgreSQL can't run it inside one, and neither ` +
        `does Prisma): ${errorMessage(error)}; what it did before failing stays (a failed CREATE INDEX CONCURRENTLY ` +
        `leaves an invalid index), and ${RECORDED}: undo what it did, then ${markRolledBack(migration.name)}`,
    );
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

/** Puts the failure in the row's `logs`; false when there is no row `id`. */
async function recordFailed(session: SqlSession, id: string, logs: string): Promise<boolean> {
  const rows = await session.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1 RETURNING id`, [id, logs]);
  return rows.length > 0;
}

/** The SQLSTATE of a database error (node-postgres and PGlite both give it as `code`). */
function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** A failed migration's `logs` as Prisma's engine words them (error P3018): "ERROR: message", DETAIL, HINT. */
function failureLogs(migration: MigrationFile, error: unknown): string {
  const { severity, detail, hint } = (error ?? {}) as { severity?: string; detail?: string; hint?: string };
  const databaseError = [
    `${severity ?? "ERROR"}: ${errorMessage(error)}`,
    detail && `DETAIL: ${detail}`,
    hint && `HINT: ${hint}`,
  ];
  return (
    "A migration failed to apply. New migrations cannot be applied before the error is recovered from. " +
    "Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\n" +
    `Migration name: ${migration.name}\n\nDatabase error code: ${sqlState(error) ?? "none"}\n\n` +
    `Database error:\n${databaseError.filter(Boolean).join("\n")}\n`
  );
}

/** How to mark a failed migration rolled back: Prisma's command, or the same in SQL where Prisma's is missing. */
export function markRolledBack(name: string): string {
  const literal = `'${name.replaceAll("'", "''")}'`;
  return (
    `mark it rolled back with prisma migrate resolve --rolled-back ${name} (or in SQL: UPDATE "_prisma_migrations" ` +
    `SET rolled_back_at = now() WHERE migration_name = ${literal} AND finished_at IS NULL AND rolled_back_at IS NULL)`
  );
}
