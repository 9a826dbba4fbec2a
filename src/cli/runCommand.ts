// The one top-level error handler every command shares: a failure is one line on stderr and
// an exit code; the stack only with --verbose.
import { CommandError, EXIT, UsageError } from "./errors.js";
import { describeDatabaseError } from "./describeError.js";

export async function runCommand(name: string, main: (argv: string[]) => Promise<number | void>): Promise<never> {
  const argv = process.argv.slice(2);
  const verbose = argv.includes("--verbose");
  let code: number;
  try {
    code = (await main(argv.filter((a) => a !== "--verbose"))) ?? EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${name}: ${error.message}`);
      code = EXIT.usage;
    } else {
      const message = error instanceof CommandError ? error.message : describeDatabaseError(error);
      console.error(`${name}: error: ${message}`);
      if (verbose && error instanceof Error && error.stack) console.error(error.stack);
      code = EXIT.failure;
    }
  }
  process.exit(code);
}
