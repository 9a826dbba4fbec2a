// `npm run db:migrate`: applies prisma/migrations to the database, as `prisma migrate deploy`.
import { isEntryPoint, runCommand } from "./cli/runCommand.js";
import { parseCommandLine, type CommandLine, type CommandSpec, type OptionSpecs } from "./cli/options.js";
import { withCommandDatabase, type DatabaseConnection } from "./cli/openDatabase.js";
import { CREATOR_WRITES, UPDATER_WRITES } from "./schema/storeColumns.js";
import { readTargetShape } from "./schema/targetShape.js";
import { inTransaction } from "./connection/transaction.js";
import { describeMigration, migrateToLatest } from "./migrate/applyMigrations.js";
import { PlatformDatabaseError } from "./migrate/targetGuard.js";
import { CommandError } from "./shared/errors.js";

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

export async function main({ common }: CommandLine<unknown>): Promise<void> {
  await withCommandDatabase(common, { say: console.log }, async (connection) => {
    try {
      console.log(describeMigration(await migrateToLatest(connection, (line) => console.log(`  ${line}`))));
    } catch (error) {
      if (error instanceof PlatformDatabaseError)
        throw new CommandError(`${error.message}. ${await platformReadiness(connection)}`);
      throw error;
    }
  });
}

/** Whether create and update can write this platform database: their own preflight, read-only. */
async function platformReadiness({ db }: DatabaseConnection): Promise<string> {
  const problems: string[] = [];
  for (const [command, writes] of Object.entries({ create: CREATOR_WRITES, update: UPDATER_WRITES })) {
    try {
      await inTransaction(db, (tx) => readTargetShape(tx, writes), { rollback: true });
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      problems.push(`\nnpm run ${command} can't work on it: ${error.message}`);
    }
  }
  return problems.length === 0 ? "npm run create and npm run update can work on it as it is." : problems.join("");
}

if (isEntryPoint(import.meta.url))
  await runCommand("db:migrate", (argv) => parseCommandLine(migrateCommand, argv), main);
