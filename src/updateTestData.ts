// The test-data updater: adds fresh runs, reviews, listing changes and credit transactions to a
// database made by the creator, refreshes the store's materialized views and proves they match.
// Usage: npx tsx src/updateTestData.ts --help
import { EXIT } from "./shared/errors.js";
import { runCommand, type CommandContext } from "./cli/runCommand.js";
import { withCommandDatabase } from "./db/openDatabase.js";
import { parseUpdateOptions } from "./update/options.js";
import { outputFor, updateAndReport } from "./update/updateAndReport.js";

export async function main(argv: string[], context: CommandContext): Promise<number> {
  const options = parseUpdateOptions(argv);
  if (!options) return EXIT.ok;
  const output = outputFor(options.json);
  return withCommandDatabase(context, output.say, (connection) => updateAndReport(connection.db, options, output));
}

await runCommand("update", main);
