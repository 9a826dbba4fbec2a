// The top-level handler every command shares: one parse of its arguments, a failure as one line on stderr
// with an exit code (the stack only with --verbose), and Ctrl-C/SIGTERM. Under --json a failure that prints
// no report also prints {"error", "exitCode"} on stdout, so a script that parses stdout always gets a document.
import { lookup } from "node:dns/promises";
import { CommandError, errorLine, EXIT, UsageError } from "../shared/errors.js";
import { clearProgressLine } from "./output.js";
import type { CommonOptions } from "./options.js";
import v8 from "node:v8";
import { runInterruptCleanups } from "../shared/interruptCleanup.js";
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** Exits with run's code, 0 after --help (`parse` returns null), 2 on a UsageError; `json`: it takes --json. */
export async function runCommand<T extends { common: CommonOptions }>(
  name: string,
  parse: (argv: string[]) => T | null,
  run: (commandLine: T) => Promise<number | void>,
  { json = false } = {},
): Promise<never> {
  limitHeapGrowth();
  const argv = commandArgs(process.argv.slice(2));
  // Read from the words, not the parse: a usage error must be answered in JSON too.
  handleInterrupts(name, json && jsonRequested(argv) ? printJsonError : undefined);
  const code = await runCommandLine(name, parse, run, argv, { json });
  return exiting ?? process.exit(code);
}

/** runCommand minus the process's part (heap policy, signal handlers, exit): tests run commands through it. */
export async function runCommandLine<T extends { common: CommonOptions }>(
  name: string,
  parse: (argv: string[]) => T | null,
  run: (commandLine: T) => Promise<number | void>,
  argv: string[],
  { json = false } = {},
): Promise<number> {
  let commandLine: T | null = null;
  try {
    commandLine = parse(argv);
    return commandLine === null ? EXIT.ok : ((await run(commandLine)) ?? EXIT.ok);
  } catch (error) {
    // Raised by the interruption itself: the signal handler reports and exits.
    if (exiting) return exiting;
    clearProgressLine();
    const usage = error instanceof UsageError;
    const message = usage || error instanceof CommandError ? error.message : await describeError(error);
    console.error(`${name}: ${usage ? "" : "error: "}${message}`);
    if (!usage && commandLine?.common.verbose && error instanceof Error && error.stack) console.error(error.stack);
    const code = usage ? EXIT.usage : EXIT.failure;
    if (json && jsonRequested(argv)) printJsonError(message, code);
    return code;
  }
}

function jsonRequested(argv: string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
}

function printJsonError(message: string, exitCode: number): void {
  console.log(JSON.stringify({ error: message, exitCode }));
}

/** The npm scripts end in `--` (`tsx src/x.ts --`): Node takes an `--env-file` before a `--` as its
 *  own, even after the script's name, and exits when the file is missing. Drops that `--`. */
export function commandArgs(argv: string[]): string[] {
  return argv[0] === "--" ? argv.slice(1) : argv;
}

/** V8 lets the old generation grow to 4x its live size between full collections; these batch jobs (a small, flat
 *  live heap, many short-lived rows) cap that at 30%: the peak stays near it, and the database is the bottleneck. */
export function limitHeapGrowth(): void {
  if (process.execArgv.some((arg) => arg.startsWith("--heap-growing-percent"))) return;
  // Read by V8 at every full collection, so setting it once the process runs takes effect.
  v8.setFlagsFromString("--heap-growing-percent=30");
}

/** Longest wait for the cleanups: closing PGlite waits for the statement in flight to end. */
const CLEANUP_TIMEOUT_MS = 30_000;

/** Set once a signal is handled: from then on the handler, not the command's own ending, prints and exits. */
let exiting: Promise<never> | undefined;

/** Ctrl-C and SIGTERM: one line on stderr, the registered cleanups (shared/interruptCleanup.ts), exit 130 or
 *  143 (a server rolls back when the socket closes). `report` also says it on stdout (--json), after cleanups. */
function handleInterrupts(name: string, report?: (message: string, exitCode: number) => void): void {
  for (const [signal, code] of Object.entries({ SIGINT: 130, SIGTERM: 143 })) {
    process.on(signal, () => {
      // A second signal while cleaning up: the user won't wait (the lock goes with the process).
      if (exiting) process.exit(code);
      const message = `interrupted (${signal}); any uncommitted writes are rolled back`;
      console.error(`${name}: ${message}`);
      exiting = (async (): Promise<never> => {
        for (const problem of await runInterruptCleanups(CLEANUP_TIMEOUT_MS)) console.error(`${name}: ${problem}`);
        report?.(message, code);
        process.exit(code);
      })();
    });
  }
}

/** A command runs only when its file is the program being run, so tests can import its main(). */
export function isEntryPoint(moduleUrl: string): boolean {
  try {
    return pathToFileURL(realpathSync(process.argv[1] ?? "")).href === moduleUrl;
  } catch {
    return false; // no script (node -e, a REPL), or one that doesn't resolve
  }
}

interface AdapterCause {
  kind?: string;
  originalCode?: string;
  host?: string;
  port?: number;
  table?: string;
}
interface ErrorLike {
  message?: string;
  code?: string;
  hostname?: string;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: AdapterCause } };
}

const MIGRATE_HINT = "migrate the database first (npm run db:migrate)";

const BY_CODE: Record<string, string> = {
  "28P01": "authentication failed: check the user and password in DATABASE_URL",
  "28000": "the server refused this user (check the user in DATABASE_URL and the server's pg_hba.conf)",
  "3D000": "the database named in DATABASE_URL does not exist (create it first, e.g. createdb NAME)",
  "42P01": `a table is missing: ${MIGRATE_HINT}`,
  "42883": `a function is missing: ${MIGRATE_HINT}`,
  ECONNREFUSED:
    "cannot reach the database server (connection refused): " +
    "is PostgreSQL running at the host and port in DATABASE_URL?",
};

/** Driver and Prisma errors as one plain line that says what to do, any URL's password scrubbed. */
async function describeError(error: unknown): Promise<string> {
  let e = error as ErrorLike | undefined;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++, e = e.cause as ErrorLike) {
    const cause = e.meta?.driverAdapterError?.cause;
    if (cause?.kind === "DatabaseNotReachable") return unreachable(cause.host, cause.port);
    if (cause?.kind === "TableDoesNotExist") return `table ${cause.table ?? "?"} does not exist: ${MIGRATE_HINT}`;
    const code = cause?.originalCode ?? e.code; // the adapter keeps the server's SQLSTATE: BY_CODE words it
    if (code === "ENOTFOUND" || code === "EAI_AGAIN")
      return `the database host ${e.hostname ?? "in DATABASE_URL"} does not resolve (unknown host)`;
    if (code && BY_CODE[code]) return BY_CODE[code];
    if (/timeout expired|Connection terminated due to connection timeout/i.test(e.message ?? "")) {
      return "timed out connecting to the database server (no answer within 10 s)";
    }
  }
  return errorLine(error, "last").replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, "$1***@");
}

/** Prisma reports refused, timed-out and unresolvable alike; a DNS look-up tells them apart. */
async function unreachable(host: string | undefined, port: number | undefined): Promise<string> {
  const where = `${host ?? "?"}${port ? `:${port}` : ""}`;
  if (host && !host.startsWith("/")) {
    try {
      await lookup(host);
    } catch {
      return `the database host ${host} does not resolve (unknown host)`;
    }
  }
  return `cannot reach the database server at ${where} (connection refused or timed out): is PostgreSQL running there?`;
}
