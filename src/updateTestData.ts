// The test-data updater: adds fresh runs, reviews, listing changes and credit transactions to a
// database made by the creator, refreshes the store's materialized views and proves they match.
// Usage: npx tsx src/updateTestData.ts --help
import { EXIT } from "./cli/errors.js";
import { runCommand, type CommandContext } from "./cli/runCommand.js";
import { openDatabase } from "./db/openDatabase.js";
import { describeTarget, resolveDatabaseTarget } from "./db/target.js";
import { parseUpdateOptions } from "./update/options.js";
import { reportAsJson, reportAsText, viewsMatch } from "./update/printReport.js";
import { runUpdate } from "./update/runUpdate.js";

export async function main(argv: string[], context: CommandContext): Promise<number> {
  const options = parseUpdateOptions(argv);
  if (!options) return EXIT.ok;
  const target = resolveDatabaseTarget(context);
  // With --json, stdout carries the document alone; everything else goes to stderr.
  const say = options.json ? (line: string) => console.error(line) : (line: string) => console.log(line);
  const log = options.json ? () => {} : say;
  say(describeTarget(target));
  const connection = await openDatabase(target);
  try {
    log("Starting test data updates for materialized views...");
    log("=".repeat(60));
    const report = await runUpdate(connection.db, options, log);
    if (options.json) console.log(reportAsJson(report));
    else console.log(reportAsText(report).join("\n"));
    return viewsMatch(report) ? EXIT.ok : EXIT.failure;
  } finally {
    await connection.close();
  }
}

await runCommand("update", main);
