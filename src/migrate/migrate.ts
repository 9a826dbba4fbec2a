// Brings a database up to prisma/migrations: the step `npm run db:migrate` and `npm start` share.
import type { DatabaseConnection } from "../db/openDatabase.js";
import { applyMigrations, type MigrationReport } from "./applyMigrations.js";
import { readMigrationFiles } from "./migrationFiles.js";

export async function migrateToLatest(connection: DatabaseConnection, log: (line: string) => void = () => {}): Promise<MigrationReport> {
  const migrations = await readMigrationFiles();
  return applyMigrations(connection.sql, connection.target.schema, migrations, log);
}

export function describeMigration(report: MigrationReport): string {
  return report.applied.length === 0
    ? `Nothing to migrate: all ${report.alreadyApplied} migrations are applied.`
    : `Applied ${report.applied.length} migration(s); ${report.alreadyApplied} were already applied.`;
}
