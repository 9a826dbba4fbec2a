// `npm run db:migrate`: applies prisma/migrations to the database, as `prisma migrate deploy`.
import { runCommand, type CommandContext } from "./cli/runCommand.js";
import { parseOptions } from "./cli/options.js";
import { describeTarget, resolveDatabaseTarget } from "./db/target.js";
import { openPgSession } from "./db/sqlSession.js";
import { applyMigrations } from "./migrate/applyMigrations.js";
import { readMigrationFiles } from "./migrate/migrationFiles.js";

const command = {
  usage: "npm run db:migrate [-- options]",
  summary: "Applies the pending migrations in prisma/migrations to DATABASE_URL, each in its own transaction.",
  options: {},
  epilogue: ["Exit codes: 0 migrated (or nothing to do), 1 failure, 2 bad usage."],
};

async function main(argv: string[], context: CommandContext): Promise<void> {
  if (!parseOptions(command, argv)) return;
  const target = resolveDatabaseTarget(context);
  console.log(describeTarget(target));
  const migrations = await readMigrationFiles();
  const session = await openPgSession(target);
  try {
    const report = await applyMigrations(session, target.schema, migrations, (line) => console.log(`  ${line}`));
    console.log(
      report.applied.length === 0
        ? `Nothing to migrate: all ${report.alreadyApplied} migrations are applied.`
        : `Applied ${report.applied.length} migration(s); ${report.alreadyApplied} were already applied.`,
    );
  } finally {
    await session.close();
  }
}

await runCommand("db:migrate", main);
