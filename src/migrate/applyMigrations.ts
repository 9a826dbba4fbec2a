// Applies pending migrations as `prisma migrate deploy` does, with its table, checksums and lock, so Prisma agrees.
// Before writing, it checks the schema is one to migrate (targetGuard.ts) and no applied migration's file was edited.
import type { DatabaseConnection } from "../connection/databaseConnection.js";
import { quoteIdentifier } from "../shared/identifier.js";
import { silent, type Log } from "../shared/output.js";
import type { SqlSession } from "../connection/sqlSession.js";
import { applyMigration, markRolledBack, MigrationError } from "./applyMigration.js";
import { matchesChecksum, readMigrationFiles, type MigrationFile } from "../schema/migrationFiles.js";
import { refuseForeignTarget } from "./targetGuard.js";

export { MigrationError };

/** The advisory lock key Prisma Migrate takes while it migrates. */
const PRISMA_MIGRATE_LOCK = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  logs: string | null;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export async function applyMigrations(
  session: SqlSession,
  schema: string,
  migrations: MigrationFile[],
  log: Log = silent,
): Promise<MigrationReport> {
  // The lock (which writes nothing) is taken first, so the checks see what the migrations will meet.
  await session.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
  try {
    await refuseForeignTarget(session, schema, migrations);
    await session.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    await session.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await session.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, logs FROM "_prisma_migrations"
       WHERE rolled_back_at IS NULL ORDER BY started_at`,
    );
    const applied = checkHistory(rows, migrations);
    const pending = migrations.filter((m) => !applied.has(m.name));
    for (const migration of pending) await applyMigration(session, migration, log);
    return { applied: pending.map((m) => m.name), alreadyApplied: applied.size };
  } finally {
    await session.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]);
  }
}

/** Brings a database up to prisma/migrations: the step `npm run db:migrate` and `npm start` share. */
export async function migrateToLatest(connection: DatabaseConnection, log: Log): Promise<MigrationReport> {
  return applyMigrations(connection.sql, connection.target.schema, await readMigrationFiles(), log);
}

export function describeMigration(report: MigrationReport): string {
  return report.applied.length === 0
    ? `Nothing to migrate: all ${report.alreadyApplied} migrations are applied.`
    : `Applied ${report.applied.length} migration(s); ${report.alreadyApplied} were already applied.`;
}

/** A failed migration blocks, as it blocks Prisma (P3009). An edited applied one is refused by the rule of
 *  `prisma migrate dev` and `migrate status` (migrationFiles.ts); `prisma migrate deploy` never compares. */
function checkHistory(rows: AppliedRow[], migrations: MigrationFile[]): Set<string> {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  const applied = new Set<string>();
  for (const row of rows) {
    if (row.finished_at === null) {
      const error = loggedError(row.logs);
      throw new MigrationError(
        `migration ${row.migration_name} failed earlier and was never finished${error ? ` (${error})` : ""}; ` +
          `undo what it did, then ${markRolledBack(row.migration_name)}, before migrating`,
      );
    }
    const file = byName.get(row.migration_name);
    if (file && !matchesChecksum(file.sql, row.checksum)) {
      throw new MigrationError(
        `migration ${row.migration_name} was changed after it was applied (checksum differs); ` +
          "add a new migration instead of editing an applied one",
      );
    }
    applied.add(row.migration_name);
  }
  return applied;
}

/** The database error in a failed migration's `logs`, on one line (their first line if not Prisma's P3018). */
function loggedError(logs: string | null): string | undefined {
  const text = logs?.trim();
  if (!text) return undefined;
  return (/Database error:\n(.+)/.exec(text)?.[1] ?? text.split("\n")[0])!.trim();
}
