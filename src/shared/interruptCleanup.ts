// Work that must finish before a command exits on Ctrl-C or SIGTERM. A PostgreSQL server rolls
// back when the process exits and its socket closes; the embedded database runs inside the
// process, so exiting at once would leave its transaction open and the database unclosed. What
// needs it registers a cleanup here; the signal handler (src/cli/interrupts.ts) awaits them all
// before it exits. Here in shared/ because the db layer registers and the cli layer runs them.

export type InterruptCleanup = () => Promise<void>;

const cleanups = new Set<InterruptCleanup>();

/** Runs `cleanup` if the command is interrupted; returns the function that takes it back. */
export function onInterrupt(cleanup: InterruptCleanup): () => void {
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

/**
 * Runs every registered cleanup at once and waits for them, at most `timeoutMs` (a cleanup that
 * hangs must not keep an interrupted command alive). Returns what went wrong, one line each.
 */
export async function runInterruptCleanups(timeoutMs: number): Promise<string[]> {
  const settled = Promise.allSettled([...cleanups].map((cleanup) => cleanup()));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const outcome = await Promise.race([settled, timedOut]);
    if (outcome === "timeout") return [`cleanup did not finish within ${timeoutMs / 1000}s; exiting anyway`];
    return outcome.flatMap((result) =>
      result.status === "rejected" ? [`cleanup failed: ${result.reason instanceof Error ? result.reason.message.split("\n")[0] : String(result.reason)}`] : [],
    );
  } finally {
    clearTimeout(timer);
  }
}
