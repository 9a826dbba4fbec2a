// Applies pending migrations the way `prisma migrate deploy` does, so that Prisma agrees on a
// machine that has its engines: same `_prisma_migrations` table, same checksums, same lock.
// Before it writes anything it checks the schema is one to migrate (targetGuard.ts).
import { randomUUID } from "node:crypto";
import { quoteIdent } from "../db/databaseUrl.js";
import type { SqlSession } from "../db/sqlSession.js";
import { MigrationError } from "./migrationError.js";
import type { MigrationFile } from "./migrationFiles.js";
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
  rolled_back_at: Date | null;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export async function applyMigrations(
  session: SqlSession,
  schema: string,
  migrations: MigrationFile[],
  log: (line: string) => void = () => {},
): Promise<MigrationReport> {
  // The lock (which writes nothing) is taken first, so the checks see what the migrations will meet.
  await session.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
  try {
    await refuseForeignTarget(session, schema, migrations.map((m) => m.name));
    await session.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await session.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await session.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"
       WHERE rolled_back_at IS NULL ORDER BY started_at`,
    );
    const applied = checkHistory(rows, migrations);
    const pending = migrations.filter((m) => !applied.has(m.name));
    for (const migration of pending) {
      await applyOne(session, migration);
      log(`applied ${migration.name}`);
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: applied.size };
  } finally {
    await session.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]);
  }
}

/** Refuses a database whose history doesn't match the files, as Prisma does. */
function checkHistory(rows: AppliedRow[], migrations: MigrationFile[]): Set<string> {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  const applied = new Set<string>();
  for (const row of rows) {
    if (row.finished_at === null) {
      throw new MigrationError(
        `migration ${row.migration_name} failed earlier and was never finished; resolve it (prisma migrate resolve) before migrating`,
      );
    }
    const file = byName.get(row.migration_name);
    if (file && file.checksum !== row.checksum) {
      throw new MigrationError(
        `migration ${row.migration_name} was changed after it was applied (checksum differs); add a new migration instead of editing an applied one`,
      );
    }
    applied.add(row.migration_name);
  }
  return applied;
}

/** One migration and its record commit together or not at all. */
async function applyOne(session: SqlSession, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  await session.exec("BEGIN");
  try {
    await session.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, migration.checksum, migration.name],
    );
    await session.exec(migration.sql);
    await session.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await session.exec("COMMIT");
  } catch (error) {
    await session.exec("ROLLBACK");
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${reason}`);
  }
}
