// One of the project's commands in a child process, handed back while it runs: a test can watch
// its backends on a PostgreSQL server (they are named after its pid, see applicationName in
// src/connection/sqlSession.ts), wait for a line it prints, and signal it.
import { applicationName } from "../../src/connection/sqlSession.js";
import { spawnCommand, type CliResult } from "./runCli.js";

export interface RunningCommand {
  /** The command's process. */
  pid: number;
  /** What the command's connections call themselves on the server. */
  applicationName: string;
  /** Set once the command has ended. */
  ended(): CliResult | undefined;
  /** Resolves once stderr holds `text`; rejects, saying so, if the command ends first or after
   *  `limitMs` (a command held by the test would never end: the test must not hang). */
  waitForStderr(text: string, limitMs?: number): Promise<void>;
  /** Sends `signal`; false if the command had already ended. */
  kill(signal: NodeJS.Signals): boolean;
  /** Kills it if it still runs (a failed test must not leave it behind). */
  stop(): void;
  /** The command's ending and everything it printed. */
  exited: Promise<CliResult>;
  /** What it has printed so far. */
  output(): { stdout: string; stderr: string };
}

/** Starts `script` on `databaseUrl` with `extraEnv` added (runCli.ts, spawnCommand). */
export function startCommand(
  script: string,
  args: string[],
  databaseUrl: string | undefined,
  extraEnv: NodeJS.ProcessEnv = {},
): RunningCommand {
  // The child's pid is the pid its connections are named after.
  const child = spawnCommand(script, args, databaseUrl, extraEnv);
  let stdout = "";
  let stderr = "";
  let result: CliResult | undefined;
  const waiters = new Set<() => void>();
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => {
    stderr += d;
    for (const check of waiters) check();
  });
  const exited = new Promise<CliResult>((done, fail) => {
    child.on("error", fail);
    child.on("close", (code, signal) => {
      result = { code, signal, stdout, stderr };
      for (const check of waiters) check();
      done(result);
    });
  });
  return {
    pid: child.pid!,
    applicationName: applicationName(child.pid!),
    ended: () => result,
    waitForStderr: (text, limitMs = 60_000) =>
      new Promise((done, fail) => {
        const finish = (error?: Error) => {
          waiters.delete(check);
          clearTimeout(timer);
          if (error) fail(error);
          else done();
        };
        const check = () => {
          if (stderr.includes(text)) finish();
          else if (result)
            finish(
              new Error(
                `${script} ended (exit ${result.code ?? result.signal}) before printing "${text}" on stderr:\n${stdout}\n${stderr}`,
              ),
            );
        };
        const timer = setTimeout(
          () => finish(new Error(`${script} did not print "${text}" on stderr within ${limitMs / 1000} s:\n${stderr}`)),
          limitMs,
        );
        waiters.add(check);
        check();
      }),
    kill: (signal) => !result && child.kill(signal),
    stop: () => {
      if (!result) child.kill("SIGKILL");
    },
    exited,
    output: () => ({ stdout, stderr }),
  };
}
