// Runs one of the project's commands as a user would, in a child process.
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from "node:child_process";
import { NO_DOTENV_ENV } from "../../src/target/envFile.js";
import { compiledScript, TEST_NODE_FLAGS } from "./compiledTree.js";
import { ROOT } from "./repository.js";

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The working directory (default the repository): where the command looks for .env. */
  cwd?: string;
}

/**
 * Starts `script` (a path from the repository root) on `databaseUrl` (undefined: the embedded
 * database), Node itself, not a shell or npm (the child's pid is its own). The child never reads a
 * .env (NO_DOTENV=1) unless `env` says otherwise, e.g. { NO_DOTENV: "" }: a developer's .env must
 * not leak into tests.
 */
export function spawnCommand(
  script: string,
  args: string[],
  databaseUrl: string | undefined,
  env: NodeJS.ProcessEnv = {},
  { cwd = ROOT }: CliOptions = {},
): ChildProcessWithoutNullStreams {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, [NO_DOTENV_ENV]: "1", ...env };
  if (databaseUrl === undefined) delete childEnv.DATABASE_URL;
  else childEnv.DATABASE_URL = databaseUrl;
  // As the npm scripts run it: behind `--`, where Node leaves an `--env-file` to the command.
  return spawn(process.execPath, [...TEST_NODE_FLAGS, compiledScript(script), "--", ...args], { cwd, env: childEnv });
}

/** Runs `script` (see spawnCommand) to its end. */
export function runCli(
  script: string,
  args: string[],
  databaseUrl: string | undefined,
  env: NodeJS.ProcessEnv = {},
  options: CliOptions = {},
): Promise<CliResult> {
  return collectOutput(spawnCommand(script, args, databaseUrl, env, options));
}

/** Everything a finished child printed, and how it ended. */
export function collectOutput(child: ChildProcess): Promise<CliResult> {
  return new Promise((done, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => (stdout += d));
    child.stderr?.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => done({ code, signal, stdout, stderr }));
  });
}
