// The top-level handler every command shares: one parse of its arguments, a failure as one line on
// stderr with an exit code (the stack only with --verbose), and Ctrl-C/SIGTERM (see interrupts.ts).
// Under --json a failure that prints no report also prints {"error", "exitCode"} on stdout, so a
// script that parses stdout always gets a document.
import { CommandError, EXIT, UsageError } from "../shared/errors.js";
import { describeError } from "./describeError.js";
import { limitHeapGrowth } from "./heapPolicy.js";
import { handleInterrupts, interruption } from "./interrupts.js";
import type { CommonOptions } from "./options.js";

export interface ParsedCommandLine {
  common: CommonOptions;
}

/** `parse` returns null when --help was printed (exit 0) or throws a UsageError (exit 2). Never
 *  returns: the process exits with run's code. `json`: the command takes --json. */
export async function runCommand<T extends ParsedCommandLine>(
  name: string,
  parse: (argv: string[]) => T | null,
  run: (commandLine: T) => Promise<number | void>,
  { json = false } = {},
): Promise<never> {
  limitHeapGrowth();
  const argv = commandArgs(process.argv.slice(2));
  // Read from the words, not the parse: a usage error must be answered in JSON too.
  const asJson = json && jsonRequested(argv);
  handleInterrupts(name, asJson ? printJsonError : undefined);
  let verbose = false;
  let code: number;
  try {
    const commandLine = parse(argv);
    if (commandLine === null) code = EXIT.ok;
    else {
      verbose = commandLine.common.verbose;
      code = (await run(commandLine)) ?? EXIT.ok;
    }
  } catch (error) {
    // Raised by the interruption itself: the signal handler reports and exits.
    const interrupted = interruption();
    if (interrupted) return interrupted;
    let message: string;
    if (error instanceof UsageError) {
      message = error.message;
      console.error(`${name}: ${message}`);
      code = EXIT.usage;
    } else {
      message = error instanceof CommandError ? error.message : await describeError(error);
      console.error(`${name}: error: ${message}`);
      if (verbose && error instanceof Error && error.stack) console.error(error.stack);
      code = EXIT.failure;
    }
    if (asJson) printJsonError(message, code);
  }
  return interruption() ?? process.exit(code);
}

/** `--json` among the words before a `--`. */
export function jsonRequested(argv: string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
}

/** The document a failed run prints instead of its report. */
export function printJsonError(message: string, exitCode: number): void {
  console.log(JSON.stringify({ error: message, exitCode }));
}

/** The npm scripts end in `--` (`tsx src/x.ts --`): Node takes an `--env-file` before a `--` as its
 *  own, even after the script's name, and exits when the file is missing. Drops that `--`. */
export function commandArgs(argv: string[]): string[] {
  return argv[0] === "--" ? argv.slice(1) : argv;
}
