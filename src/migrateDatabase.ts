// `npm run db:migrate`: applies prisma/migrations to the database, as `prisma migrate deploy`.
import { runCommand, type CommandContext } from "./cli/runCommand.js";
import { parseOptions, type CommandSpec, type OptionSpecs } from "./cli/options.js";
import { withCommandDatabase } from "./db/openDatabase.js";
import { describeMigration, migrateToLatest } from "./migrate/migrate.js";

const command = {
  usage: "npm run db:migrate [-- options]",
  summary:
    "Applies the pending migrations in prisma/migrations, each in its own transaction, to DATABASE_URL,\n" +
    "or (DATABASE_URL unset) to the embedded database.",
  options: {},
  epilogue: ["Exit codes: 0 migrated (or nothing to do), 1 failure, 2 bad usage."],
} satisfies CommandSpec<OptionSpecs>;

async function main(argv: string[], context: CommandContext): Promise<void> {
  const args = parseOptions(command, argv);
  if (!args) return;
  await withCommandDatabase(context, console.log, async (connection) => {
    const report = await migrateToLatest(connection, (line) => console.log(`  ${line}`));
    console.log(describeMigration(report));
  });
}

await runCommand("db:migrate", main);
