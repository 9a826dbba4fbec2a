// Work that must finish before exiting on Ctrl-C or SIGTERM: the embedded database runs in-process,
// so exiting at once would leave its transaction open and it unclosed. In shared/ because the db
// layer registers cleanups and the cli layer (cli/runCommand.ts) runs them.

import { errorLine } from "./errors.js";

type InterruptCleanup = () => Promise<void>;

const cleanups = new Set<InterruptCleanup>();

/** Runs `cleanup` if the command is interrupted; returns the function that takes it back. */
export function onInterrupt(cleanup: InterruptCleanup): () => void {
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

/** Runs every cleanup at once, waiting at most `timeoutMs` (a hung cleanup must not keep an
 *  interrupted command alive). Returns what went wrong, one line each; for a process about to exit. */
export async function runInterruptCleanups(timeoutMs: number): Promise<string[]> {
  const settled = Promise.allSettled([...cleanups].map((cleanup) => cleanup()));
  // Never cleared: the caller exits right after. It keeps the process alive while a cleanup hangs.
  const timedOut = new Promise<"timeout">((resolve) => setTimeout(resolve, timeoutMs, "timeout"));
  const outcome = await Promise.race([settled, timedOut]);
  if (outcome === "timeout") return [`cleanup did not finish within ${timeoutMs / 1000}s; exiting anyway`];
  return outcome.flatMap((result) =>
    result.status === "rejected" ? [`cleanup failed: ${errorLine(result.reason)}`] : [],
  );
}
