// The one top-level handler every command shares: its arguments parsed once (by the command's
// declaration, which holds the options every command accepts), a failure as one line on stderr
// with an exit code (the stack only with --verbose), and Ctrl-C/SIGTERM.
import { CommandError, EXIT, UsageError } from "../shared/errors.js";
import { describeError } from "./describeError.js";
import { limitHeapGrowth } from "./heapPolicy.js";
import { handleInterrupts, interruption } from "./interrupts.js";
import type { CommonOptions } from "./options.js";

/** What a command's parse gives back: at least the common options. */
export interface ParsedCommandLine {
  common: CommonOptions;
}

/**
 * Runs a command: `parse` reads its arguments (null: --help was printed, exit 0; a UsageError:
 * exit 2), then `run` gets what it parsed. Never returns: the process exits with run's code.
 */
export async function runCommand<T extends ParsedCommandLine>(
  name: string,
  parse: (argv: string[]) => T | null,
  run: (commandLine: T) => Promise<number | void>,
): Promise<never> {
  limitHeapGrowth();
  const argv = commandArgs(process.argv.slice(2));
  // Ctrl-C/SIGTERM: roll back, close the embedded database, exit 130/143 (see interrupts.ts).
  handleInterrupts(name);
  let verbose = false;
  let code: number;
  try {
    const commandLine = parse(argv);
    if (commandLine === null) code = EXIT.ok; // --help was printed
    else {
      verbose = commandLine.common.verbose;
      code = (await run(commandLine)) ?? EXIT.ok;
    }
  } catch (error) {
    // Raised by the interruption (its transaction rolled back, its database closed): the signal
    // handler reports and exits.
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

/**
 * The command's own arguments. The npm scripts end in `--` (`tsx src/x.ts --`): Node reads an
 * `--env-file` anywhere before a `--` as its own option, even after the script's name, and exits
 * when that file is missing; behind the `--` it reaches this command, which drops the `--`.
 */
export function commandArgs(argv: string[]): string[] {
  return argv[0] === "--" ? argv.slice(1) : argv;
}
