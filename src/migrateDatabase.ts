// `npm run db:migrate`: applies prisma/migrations to the database, as `prisma migrate deploy`.
import { isEntryPoint } from "./cli/entryPoint.js";
import { runCommand } from "./cli/runCommand.js";
import { parseCommandLine, type CommandLine, type CommandSpec, type OptionSpecs } from "./cli/options.js";
import { withCommandDatabase } from "./db/openDatabase.js";
import { describeMigration, migrateToLatest } from "./migrate/applyMigrations.js";

export const migrateCommand = {
  usage: "npm run db:migrate [-- options]",
  summary:
    "Applies the pending migrations in prisma/migrations, each in its own transaction, to DATABASE_URL (from the\n" +
    "environment, else from .env or --env-file), or with none to the embedded database. It builds the store only in\n" +
    "an empty schema or one it migrated before: it checks first and changes nothing when the database is an AutoGPT\n" +
    "platform database (the platform's own migrations manage it), was migrated by a newer version of this tool, or\n" +
    "keeps its store in another schema (then it says which ?schema= to add).",
  options: {},
  epilogue: [
    "Environment: DATABASE_URL; unset, it is read from .env in the current directory (NO_DOTENV=1 leaves .env unread).",
    "Exit codes: 0 migrated (or nothing to do), 1 failure or refused, 2 bad usage.",
  ],
} satisfies CommandSpec<OptionSpecs>;

async function main({ common }: CommandLine<unknown>): Promise<void> {
  await withCommandDatabase(common, console.log, async (connection) => {
    const report = await migrateToLatest(connection, (line) => console.log(`  ${line}`));
    console.log(describeMigration(report));
  });
}

if (isEntryPoint(import.meta.url)) await runCommand("db:migrate", (argv) => parseCommandLine(migrateCommand, argv), main);
