// `npm run db:reset`: deletes the embedded database; it refuses to touch a server database.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CommandError } from "./shared/errors.js";
import { parseCommandLine, type CommandLine, type CommandSpec, type OptionSpecs } from "./cli/options.js";
import { isEntryPoint, runCommand } from "./cli/runCommand.js";
import { lockDataDir } from "./embedded/dataDirLock.js";
import { describeTarget, displayPath, resolveDatabaseTarget } from "./target/target.js";

export const resetCommand = {
  usage: "npm run db:reset [-- options]",
  summary: "Deletes the embedded database (DATABASE_URL unset): the next npm start migrates and fills a new one.",
  options: {},
  epilogue: ["Exit codes: 0 deleted (or nothing to delete), 1 failure or DATABASE_URL is set, 2 bad usage."],
} satisfies CommandSpec<OptionSpecs>;

export async function main({ common }: CommandLine<unknown>): Promise<void> {
  const target = resolveDatabaseTarget(common);
  console.log(describeTarget(target));
  if (target.kind !== "embedded") {
    throw new CommandError(
      "db:reset only deletes the embedded database, and DATABASE_URL is set: a server database is not dropped " +
        "from here (unset DATABASE_URL to reset the embedded one; for a server database use dropdb/createdb, " +
        "then npm run db:migrate)",
    );
  }
  const dir = target.dataDir;
  if (!existsSync(dir)) {
    console.log(`Nothing to delete: ${displayPath(dir)} does not exist.`);
    return;
  }
  // Only a PostgreSQL data directory (or an empty one) is deleted: a mistyped --data-dir is safe.
  if (!existsSync(join(dir, "PG_VERSION")) && readdirSync(dir).length > 0) {
    throw new CommandError(`${displayPath(dir)} is not an embedded database (no PG_VERSION file): not deleting it`);
  }
  const lock = lockDataDir(dir);
  try {
    rmSync(dir, { recursive: true, force: true });
  } finally {
    lock.release();
  }
  console.log(`Deleted the embedded database at ${displayPath(dir)}; the next npm start makes a new one.`);
}

if (isEntryPoint(import.meta.url)) await runCommand("db:reset", (argv) => parseCommandLine(resetCommand, argv), main);
