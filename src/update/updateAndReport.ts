// Runs the updater and prints its report: shared by `update` and `start`.
import { EXIT } from "../shared/errors.js";
import type { Db } from "../db/prismaClient.js";
import type { UpdateOptions } from "./options.js";
import { reportAsJson, reportAsText, viewsMatch } from "./printReport.js";
import { runUpdate, type Log } from "./runUpdate.js";

export interface Output {
  /** Lines the user must see (which database, what was prepared): stderr under --json. */
  say: Log;
  /** Step-by-step progress lines: none under --json. */
  log: Log;
}

/** With --json, stdout carries the document alone; everything else goes to stderr or nowhere. */
export function outputFor(json: boolean): Output {
  const say: Log = json ? (line) => console.error(line) : (line) => console.log(line);
  return { say, log: json ? () => {} : say };
}

/** Exit code: 0 when both views match their own definitions after the run, 1 when they don't. */
export async function updateAndReport(db: Db, options: UpdateOptions, output: Output): Promise<number> {
  output.log("Starting test data updates for materialized views...");
  output.log("=".repeat(60));
  const report = await runUpdate(db, options, output.log);
  console.log(options.json ? reportAsJson(report) : reportAsText(report).join("\n"));
  return viewsMatch(report) ? EXIT.ok : EXIT.failure;
}
