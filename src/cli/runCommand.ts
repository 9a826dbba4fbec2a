// The one top-level handler every command shares: options every command accepts, a failure as
// one line on stderr with an exit code (the stack only with --verbose), and Ctrl-C/SIGTERM.
import { CommandError, EXIT, UsageError } from "../shared/errors.js";
import { describeError } from "./describeError.js";
import { limitHeapGrowth } from "./heapPolicy.js";
import { COMMON_FLAGS, takeDataDirOption, takeEnvFileOption } from "./options.js";

export interface CommandContext {
  verbose: boolean;
  allowRemote: boolean;
  /** --data-dir DIR: where the embedded database lives. */
  dataDir: string | undefined;
  /** --env-file PATH: where DATABASE_URL is read from when the environment has none (else .env). */
  envFile: string | undefined;
}

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

export async function runCommand(
  name: string,
  main: (argv: string[], context: CommandContext) => Promise<number | void>,
): Promise<never> {
  limitHeapGrowth();
  const { dataDir, rest } = takeDataDirOption(commandArgs(process.argv.slice(2)));
  const { envFile, rest: argv } = takeEnvFileOption(rest);
  const context: CommandContext = {
    verbose: argv.includes("--verbose"),
    allowRemote: argv.includes("--allow-remote"),
    dataDir: dataDir ?? undefined,
    envFile: envFile ?? undefined,
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    // Exiting closes the connection: PostgreSQL rolls back any open transaction, so an
    // interrupted run leaves the database as it was.
    process.once(signal, () => {
      console.error(`${name}: interrupted (${signal}); any uncommitted writes are rolled back`);
      process.exit(SIGNAL_EXIT[signal]);
    });
  }
  let code: number;
  try {
    if (dataDir === null) throw new UsageError("--data-dir needs a directory (see --help)");
    if (envFile === null) throw new UsageError("--env-file needs a file (see --help)");
    code = (await main(argv.filter((a) => !(a in COMMON_FLAGS)), context)) ?? EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${name}: ${error.message}`);
      code = EXIT.usage;
    } else {
      const message = error instanceof CommandError ? error.message : await describeError(error);
      console.error(`${name}: error: ${message}`);
      if (context.verbose && error instanceof Error && error.stack) console.error(error.stack);
      code = EXIT.failure;
    }
  }
  process.exit(code);
}

/**
 * The command's own arguments. The npm scripts end in `--` (`tsx src/x.ts --`): Node reads an
 * `--env-file` anywhere before a `--` as its own option, even after the script's name, and exits
 * when that file is missing; behind the `--` it reaches this command, which drops the `--`.
 */
function commandArgs(argv: string[]): string[] {
  return argv[0] === "--" ? argv.slice(1) : argv;
}
