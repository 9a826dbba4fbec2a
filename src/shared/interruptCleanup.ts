// Work that must finish before exiting on Ctrl-C or SIGTERM: the embedded database runs in-process, and must not
// be left unclosed, its transaction open. In shared/: the db layer registers them, cli/runCommand.ts runs them.
import { errorLine } from "./errors.js";

const cleanups = new Set<() => Promise<void>>();

/** Runs `cleanup` if the command is interrupted; returns the function that takes it back. */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
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
