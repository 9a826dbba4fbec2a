// Runs one of the project's commands in this process: its own parse, main and error handling
// (runCommandLine, what runCommand runs between setting up the process and exiting it), with
// what it prints on stdout and stderr captured and its exit code returned, as runCli reports a
// child's. No Node start-up, no module loading: where the process itself is not what a test is
// about, this is the command as a user runs it, minus the process. The process-level parts (the
// signal handlers, process.exit, the heap policy) are proven by the tests that keep a child
// process (see README, Tests).
//
// Each run sees its own environment (DATABASE_URL, PGLITE_DATA_DIR, NO_DOTENV, ...): process.env
// answers a run's reads from the run's settings, told apart by the asynchronous context the read
// is made in, as are its writes to stdout and stderr (console.log included), so runs may overlap.
// A run in another working directory (where .env is looked for) is alone while it runs: the
// working directory is the process's.
import { AsyncLocalStorage } from "node:async_hooks";
import { commandArgs, runCommandLine } from "../../src/cli/runCommand.js";
import type { CommonOptions } from "../../src/cli/options.js";
import { NO_DOTENV_ENV } from "../../src/target/envFile.js";
import type { CliOptions, CliResult } from "./runCli.js";

/** A command's run on its argv: its exit code. */
type Runner = (argv: string[]) => Promise<number>;

/** `name`, `parse`, `main` and `json` as the entry point hands them to runCommand. */
const runner =
  <T extends { common: CommonOptions }>(
    name: string,
    parse: (argv: string[]) => T | null,
    main: (commandLine: T) => Promise<number | void>,
    json = false,
  ): Runner =>
  (argv) =>
    runCommandLine(name, parse, main, argv, { json });

/** Each entry point's command, as its runCommand call makes it (imported when first run). */
const COMMANDS: Record<string, () => Promise<Runner>> = {
  "src/createTestData.ts": async () => {
    const m = await import("../../src/createTestData.js");
    return runner("create", m.parseCreateCommandLine, m.main);
  },
  "src/updateTestData.ts": async () => {
    const m = await import("../../src/updateTestData.js");
    return runner("update", (argv) => m.parseUpdateOptions(argv), m.main, true);
  },
  "src/start.ts": async () => {
    const [m, u] = await Promise.all([import("../../src/start.js"), import("../../src/updateTestData.js")]);
    return runner("start", (argv) => u.parseUpdateOptions(argv, m.startCommand), m.main, true);
  },
  "src/migrateDatabase.ts": async () => {
    const [m, o] = await Promise.all([import("../../src/migrateDatabase.js"), import("../../src/cli/options.js")]);
    return runner("db:migrate", (argv) => o.parseCommandLine(m.migrateCommand, argv), m.main);
  },
  "src/resetDatabase.ts": async () => {
    const [m, o] = await Promise.all([import("../../src/resetDatabase.js"), import("../../src/cli/options.js")]);
    return runner("db:reset", (argv) => o.parseCommandLine(m.resetCommand, argv), m.main);
  },
};

interface Run {
  /** The variables the run sets (undefined: unset for it). */
  env: NodeJS.ProcessEnv;
  stdout: string;
  stderr: string;
}

const current = new AsyncLocalStorage<Run>();
let installed = false;

/** Once per process: process.env and the two streams consult the run a read or write is made in. */
function install(): void {
  if (installed) return;
  installed = true;
  const mine = (key: string | symbol): Run | undefined => {
    const run = current.getStore();
    return run && typeof key === "string" && Object.hasOwn(run.env, key) ? run : undefined;
  };
  // Writes go to the process's own environment (the commands write none); reads see the run's.
  process.env = new Proxy(process.env, {
    get: (env, key) => (mine(key) ? mine(key)!.env[key as string] : Reflect.get(env, key)),
    has: (env, key) => (mine(key) ? mine(key)!.env[key as string] !== undefined : Reflect.has(env, key)),
    ownKeys(env) {
      const run = current.getStore();
      if (!run) return Reflect.ownKeys(env);
      const keys = new Set(Reflect.ownKeys(env));
      for (const [key, value] of Object.entries(run.env)) {
        if (value === undefined) keys.delete(key);
        else keys.add(key);
      }
      return [...keys];
    },
    getOwnPropertyDescriptor(env, key) {
      const run = mine(key);
      if (!run) return Reflect.getOwnPropertyDescriptor(env, key);
      const value = run.env[key as string];
      return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true };
    },
  });
  for (const name of ["stdout", "stderr"] as const) {
    const stream = process[name];
    const write = stream.write;
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      const run = current.getStore();
      if (!run) return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      const encoding = typeof rest[0] === "string" ? (rest[0] as BufferEncoding) : undefined;
      run[name] += typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(encoding);
      const done = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
      if (done) process.nextTick(done);
      return true;
    } as typeof stream.write;
  }
}

/** Runs in flight, and the one that changed the working directory (it runs alone). */
let running: Promise<unknown>[] = [];
let alone: Promise<unknown> = Promise.resolve();

/**
 * Runs `script` (a path from the repository root, as for runCli) with `args`, on `databaseUrl`
 * (undefined: none, so the embedded database), `env` added; .env is not read (NO_DOTENV=1) unless
 * `env` says otherwise; `options.cwd`: the working directory. Resolves as runCli does; signal is
 * always null.
 */
export async function runInProcess(
  script: string,
  args: string[],
  databaseUrl: string | undefined,
  env: NodeJS.ProcessEnv = {},
  options: CliOptions = {},
): Promise<CliResult> {
  const load = COMMANDS[script];
  if (!load) throw new Error(`runInProcess: no command ${script} (one of ${Object.keys(COMMANDS).join(", ")})`);
  const command = await load();
  install();
  const run: Run = { env: { [NO_DOTENV_ENV]: "1", ...env, DATABASE_URL: databaseUrl }, stdout: "", stderr: "" };
  const go = () => current.run(run, () => command(commandArgs(["--", ...args])));
  let code: number;
  const { cwd } = options;
  if (cwd === undefined) {
    await alone;
    const mine = go();
    running.push(mine);
    try {
      code = await mine;
    } finally {
      running = running.filter((other) => other !== mine);
    }
  } else {
    const before = alone;
    let done!: () => void;
    alone = new Promise<void>((resolve) => (done = resolve));
    try {
      await before;
      await Promise.allSettled(running);
      const back = process.cwd();
      process.chdir(cwd);
      try {
        code = await go();
      } finally {
        process.chdir(back);
      }
    } finally {
      done();
    }
  }
  return { code, signal: null, stdout: run.stdout, stderr: run.stderr };
}
