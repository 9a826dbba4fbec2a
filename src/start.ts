// `npm start`: the whole job in one command. The embedded database is migrated and, when empty,
// filled first; a DATABASE_URL database is left to the updater's own checks. Then the updater runs.
import type { CommandSpec } from "./cli/options.js";
import { isEntryPoint, runCommand } from "./cli/runCommand.js";
import { createTestData, describeCreated } from "./create/creator.js";
import { withCommandDatabase, type DatabaseConnection } from "./cli/openDatabase.js";
import { describeMigration, migrateToLatest } from "./migrate/applyMigrations.js";
import { parseUpdateOptions, updateAndReport, updateCommand, type UpdateCommandLine } from "./updateTestData.js";
import { outputFor } from "./cli/output.js";
import type { Output } from "./shared/output.js";

export const startCommand = {
  ...updateCommand,
  usage: "npm start [-- options]",
  summary:
    "Runs the updater and prints its verification. With DATABASE_URL unset it works on an embedded PostgreSQL\n" +
    "(PGlite, in .data/pglite): a new or empty one is migrated and filled by the creator first. With DATABASE_URL\n" +
    "set it runs the updater only (npm run db:migrate and npm run create prepare such a database).\n" +
    "The options are the updater's (--seed also seeds the creator when it runs).",
  epilogue: [
    "npm run db:reset deletes the embedded database; the next npm start makes a new one.",
    "Exit codes: 0 done and every view refreshed matches its own definition; 1 failure (or a warning, with " +
      "--strict); 2 bad usage.",
  ],
} satisfies CommandSpec<typeof updateCommand.options>;

export async function main(options: UpdateCommandLine): Promise<number> {
  const output = outputFor(options.json);
  return withCommandDatabase(options.common, { say: output.say }, async (connection) => {
    if (connection.target.kind === "embedded") await prepareEmbeddedDatabase(connection, output, options.seed);
    return updateAndReport(connection.db, options, output);
  });
}

/** The embedded database is ours: bring it up to the migrations, and fill it when it has no users. */
async function prepareEmbeddedDatabase(connection: DatabaseConnection, { say, log }: Output, seed?: number) {
  say(describeMigration(await migrateToLatest(connection, (line) => log(`  ${line}`))));
  const users = await connection.db.user.count();
  if (users > 0) return say(`The database has ${users} users: updating them (npm run db:reset starts afresh).`);
  say("The database is empty: filling it with the creator first...");
  say(describeCreated(await createTestData(connection.db, { seed }, (line) => log(`  ${line}`))));
}

if (isEntryPoint(import.meta.url))
  await runCommand("start", (argv) => parseUpdateOptions(argv, startCommand), main, { json: true });
