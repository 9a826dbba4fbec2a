// The top-level handler every command shares: one parse of its arguments, a failure as one line on
// stderr with an exit code (the stack only with --verbose), and Ctrl-C/SIGTERM (see interrupts.ts).
import { CommandError, EXIT, UsageError } from "../shared/errors.js";
import { describeError } from "./describeError.js";
import { limitHeapGrowth } from "./heapPolicy.js";
import { handleInterrupts, interruption } from "./interrupts.js";
import type { CommonOptions } from "./options.js";

export interface ParsedCommandLine {
  common: CommonOptions;
}

/** `parse` returns null when --help was printed (exit 0) or throws a UsageError (exit 2). Never
 *  returns: the process exits with run's code. */
export async function runCommand<T extends ParsedCommandLine>(
  name: string,
  parse: (argv: string[]) => T | null,
  run: (commandLine: T) => Promise<number | void>,
): Promise<never> {
  limitHeapGrowth();
  const argv = commandArgs(process.argv.slice(2));
  handleInterrupts(name);
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
    if (error instanceof UsageError) {
      console.error(`${name}: ${error.message}`);
      code = EXIT.usage;
    } else {
      const message = error instanceof CommandError ? error.message : await describeError(error);
      console.error(`${name}: error: ${message}`);
      if (verbose && error instanceof Error && error.stack) console.error(error.stack);
      code = EXIT.failure;
    }
  }
  return interruption() ?? process.exit(code);
}

/** The npm scripts end in `--` (`tsx src/x.ts --`): Node takes an `--env-file` before a `--` as its
 *  own, even after the script's name, and exits when the file is missing. Drops that `--`. */
export function commandArgs(argv: string[]): string[] {
  return argv[0] === "--" ? argv.slice(1) : argv;
}
