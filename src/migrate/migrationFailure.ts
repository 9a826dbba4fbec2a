// A failed migration's `logs` (Prisma's P3018 text, as Prisma stores it) and the one-line messages saying what to do.
import type { MigrationFile } from "../schema/migrationFiles.js";
import { errorMessage } from "../shared/errors.js";

/** The failure the migration runner reports: one line, saying what to do. */
export class MigrationError extends Error {}

/** PostgreSQL's SQLSTATE for "cannot run inside a transaction block" (active_sql_transaction). */
export const CANNOT_RUN_IN_TRANSACTION = "25001";

/** The SQLSTATE of a database error (node-postgres and PGlite both give it as `code`). */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The database's error as Prisma logs it: "ERROR: message", then its DETAIL and HINT. */
function databaseError(error: unknown): string {
  const { severity, detail, hint } = (error ?? {}) as { severity?: string; detail?: string; hint?: string };
  return [`${severity ?? "ERROR"}: ${errorMessage(error)}`, detail && `DETAIL: ${detail}`, hint && `HINT: ${hint}`]
    .filter(Boolean)
    .join("\n");
}

/** The `logs` of a failed migration, as Prisma's engine words them (user-facing error P3018). */
export function failureLogs(migration: MigrationFile, error: unknown): string {
  return (
    "A migration failed to apply. New migrations cannot be applied before the error is recovered from. " +
    "Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\n" +
    `Migration name: ${migration.name}\n\nDatabase error code: ${sqlState(error) ?? "none"}\n\n` +
    `Database error:\n${databaseError(error)}\n`
  );
}

/** The database error a failed migration's `logs` hold, on one line (the logs' first line when they aren't
 *  Prisma's P3018 text). */
export function loggedError(logs: string | null): string | undefined {
  const text = logs?.trim();
  if (!text) return undefined;
  return (/Database error:\n(.+)/.exec(text)?.[1] ?? text.split("\n")[0])!.trim();
}

/** How to mark a failed migration rolled back: Prisma's command, or the same in SQL where Prisma's engines are
 *  missing. */
export function markRolledBack(name: string): string {
  const literal = `'${name.replaceAll("'", "''")}'`;
  return (
    `mark it rolled back with prisma migrate resolve --rolled-back ${name} (or in SQL: UPDATE "_prisma_migrations" ` +
    `SET rolled_back_at = now() WHERE migration_name = ${literal} AND finished_at IS NULL AND rolled_back_at IS NULL)`
  );
}

const RECORDED = "it is recorded as failed in _prisma_migrations, as prisma migrate deploy records it";

/** Ran in our transaction and failed: nothing of it is left, not even a row. */
export function rolledBack(migration: MigrationFile, error: unknown): MigrationError {
  return new MigrationError(`migration ${migration.name} failed and was rolled back: ${errorMessage(error)}`);
}

/** Its own COMMIT ended our transaction, keeping what ran before it; then it failed. */
export function failedAfterOwnCommit(migration: MigrationFile, error: unknown): MigrationError {
  return new MigrationError(
    `migration ${migration.name} failed part-way: ${errorMessage(error)}; a COMMIT of its own had already kept ` +
      `the statements before it, so ${RECORDED}: undo what it did, then ${markRolledBack(migration.name)}`,
  );
}

/** Ran outside a transaction, as Prisma runs it, and failed. */
export function failedOutsideTransaction(migration: MigrationFile, error: unknown): MigrationError {
  if (sqlState(error) === CANNOT_RUN_IN_TRANSACTION) {
    return new MigrationError(
      `migration ${migration.name} failed: ${errorMessage(error)}. PostgreSQL runs a migration.sql of several ` +
        "statements as one transaction, so a statement that can't run inside one (CREATE INDEX CONCURRENTLY and the " +
        "like) must be its migration's only statement; prisma migrate deploy fails on it the same way. PostgreSQL " +
        `rolled that transaction back, and ${RECORDED}: move the statement into a migration of its own, then ` +
        markRolledBack(migration.name),
    );
  }
  return new MigrationError(
    `migration ${migration.name} failed outside a transaction (PostgreSQL can't run it inside one, and neither ` +
      `does Prisma): ${errorMessage(error)}; what it did before failing stays (a failed CREATE INDEX CONCURRENTLY ` +
      `leaves an invalid index), and ${RECORDED}: undo what it did, then ${markRolledBack(migration.name)}`,
  );
}
