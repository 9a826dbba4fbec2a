// `npm start`: the whole job in one command. The embedded database is migrated and, when empty,
// filled first; a DATABASE_URL database is only checked. Then the updater runs.
import { CommandError } from "./shared/errors.js";
import type { CommandSpec } from "./cli/options.js";
import { isEntryPoint } from "./cli/runCommand.js";
import { runCommand } from "./cli/runCommand.js";
import { createTestData, describeGraphs } from "./create/creator.js";
import { storeSchemaHint } from "./schema/storeSchemas.js";
import { STORE_TABLES } from "./schema/storeSchemas.js";
import { withCommandDatabase, type DatabaseConnection } from "./cli/openDatabase.js";
import { describeMigration, migrateToLatest } from "./migrate/applyMigrations.js";
import { parseUpdateOptions, updateCommand, type UpdateCommandLine } from "./updateTestData.js";
import { outputFor, type Output } from "./shared/output.js";
import { updateAndReport } from "./updateTestData.js";

export const startCommand = {
  usage: "npm start [-- options]",
  summary:
    "Runs the updater and prints its verification. With DATABASE_URL unset it works on an embedded PostgreSQL\n" +
    "(PGlite, in .data/pglite): a new or empty one is migrated and filled by the creator first. With DATABASE_URL\n" +
    "set it runs the updater only (npm run db:migrate and npm run create prepare such a database).\n" +
    "The options are the updater's (--seed also seeds the creator when it runs).",
  options: updateCommand.options,
  epilogue: [
    "npm run db:reset deletes the embedded database; the next npm start makes a new one.",
    "Exit codes: 0 done and every view refreshed matches its own definition; 1 failure (or a warning, with --strict); 2 bad usage.",
  ],
} satisfies CommandSpec<typeof updateCommand.options>;

export async function main(options: UpdateCommandLine): Promise<number> {
  const output = outputFor(options.json);
  return withCommandDatabase(options.common, output.say, async (connection) => {
    if (connection.target.kind === "embedded") await prepareEmbeddedDatabase(connection, options.seed, output);
    else await requireMigratedAndFilled(connection);
    return updateAndReport(connection.db, options, output);
  });
}

/** The embedded database is ours: bring it up to the migrations, and fill it when it has no users. */
async function prepareEmbeddedDatabase(
  connection: DatabaseConnection,
  seed: number | undefined,
  { say, log }: Output,
): Promise<void> {
  const migration = await migrateToLatest(connection, (line) => log(`  ${line}`));
  say(describeMigration(migration));
  const users = await connection.db.user.count();
  if (users > 0) {
    say(`The database has ${users} users: updating them (npm run db:reset starts afresh).`);
    return;
  }
  say("The database is empty: filling it with the creator first...");
  const { counts, seconds, seed: usedSeed } = await createTestData(connection.db, { seed }, (line) => log(`  ${line}`));
  say(
    `Created ${counts.users} users, ${describeGraphs(counts.graphs, counts.graphVersions)}, ${counts.executions} executions, ${counts.listings} listings, ` +
      `${counts.reviews} reviews, ${counts.creditTransactions} credit transactions in ${seconds.toFixed(2)}s (seed ${usedSeed}).`,
  );
}

/** The store's tables; a platform database has them all once migrated (UserBalance only since Oct
 *  2025, the materialized views since v0.6.16: the tools work without them). */
const REQUIRED_RELATIONS = STORE_TABLES.filter((table) => table !== "UserBalance");

/** A server database is the platform's: never migrated or filled from here, only checked. */
async function requireMigratedAndFilled({ sql, target }: DatabaseConnection): Promise<void> {
  const missing = await sql.query<{ name: string }>(
    `SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(quote_ident(name)) IS NULL`,
    [REQUIRED_RELATIONS],
  );
  if (missing.length > 0) {
    const hint = await storeSchemaHint(sql, target.schema);
    if (hint) throw new CommandError(hint);
    const names = missing.map((m) => m.name);
    throw new CommandError(
      `the database (schema ${target.schema}) has no ${names.slice(0, 3).join(", ")}${names.length > 3 ? ` and ${names.length - 3} more` : ""}: ` +
        "run npm run db:migrate, then npm run create, then npm start again",
    );
  }
  const [row] = await sql.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM "User") AS any`);
  if (!row?.any)
    throw new CommandError(
      "the database has no users: fill it with base data first (npm run create), then npm start again",
    );
}

if (isEntryPoint(import.meta.url))
  await runCommand("start", (argv) => parseUpdateOptions(argv, startCommand), main, { json: true });
