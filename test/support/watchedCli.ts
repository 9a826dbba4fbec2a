// Runs one of the project's commands in a child process, as runCli.ts does, but hands it back
// while it runs: a test can wait for a line on its stderr, then signal it.
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { NO_DOTENV_ENV } from "../../src/cli/envFile.js";
import { ROOT, type CliResult } from "./runCli.js";

const TSX_LOADER = import.meta.resolve("tsx");

export interface WatchedCli {
  /** Resolves once stderr holds `text`; rejects, saying so, if the command ends first. */
  waitForStderr(text: string): Promise<void>;
  /** Sends `signal`; false if the command had already ended. */
  kill(signal: NodeJS.Signals): boolean;
  /** Kills it if it still runs (a failed test must not leave it behind). */
  stop(): void;
  /** The command's ending and everything it printed. */
  exited: Promise<CliResult>;
}

/** Starts `script` on the embedded database (DATABASE_URL unset, no .env read), with `env` added. */
export function startCli(script: string, args: string[], env: NodeJS.ProcessEnv): WatchedCli {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, [NO_DOTENV_ENV]: "1", ...env };
  delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ["--import", TSX_LOADER, resolve(ROOT, script), "--", ...args], { cwd: ROOT, env: childEnv });
  let stdout = "";
  let stderr = "";
  let ended = false;
  const waiters = new Set<() => void>();
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => {
    stderr += d;
    for (const check of waiters) check();
  });
  const exited = new Promise<CliResult>((done, fail) => {
    child.on("error", fail);
    child.on("close", (code, signal) => {
      ended = true;
      for (const check of waiters) check();
      done({ code, signal, stdout, stderr });
    });
  });
  return {
    waitForStderr: (text) =>
      new Promise((done, fail) => {
        const check = () => {
          if (stderr.includes(text)) {
            waiters.delete(check);
            done();
          } else if (ended) {
            waiters.delete(check);
            fail(new Error(`${script} ended before printing "${text}" on stderr:\n${stdout}\n${stderr}`));
          }
        };
        waiters.add(check);
        check();
      }),
    kill: (signal) => !ended && child.kill(signal),
    stop: () => {
      if (!ended) child.kill("SIGKILL");
    },
    exited,
  };
}
