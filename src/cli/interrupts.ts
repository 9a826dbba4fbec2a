// Ctrl-C and SIGTERM for every command: one line on stderr, the registered cleanups (the embedded
// database rolls back its open transaction and closes: src/shared/interruptCleanup.ts), then exit
// 130 or 143. On a PostgreSQL server nothing is registered: exiting closes the socket and the
// server rolls back the open transaction.
import { runInterruptCleanups } from "../shared/interruptCleanup.js";

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/** Longest wait for the cleanups: closing PGlite waits for the statement in flight to end. */
const CLEANUP_TIMEOUT_MS = 30_000;

let exiting: Promise<never> | undefined;

export function handleInterrupts(name: string): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      const code = SIGNAL_EXIT[signal];
      // A second signal while cleaning up: the user won't wait (the lock goes with the process).
      if (exiting) process.exit(code);
      console.error(`${name}: interrupted (${signal}); any uncommitted writes are rolled back`);
      exiting = (async (): Promise<never> => {
        for (const problem of await runInterruptCleanups(CLEANUP_TIMEOUT_MS)) console.error(`${name}: ${problem}`);
        process.exit(code);
      })();
    });
  }
}

/**
 * Set once a signal is being handled. The command's own ending (the error its rolled-back
 * transaction or closed database raised, or a result) must then neither print nor exit: the
 * handler does, once the cleanups are done.
 */
export function interruption(): Promise<never> | undefined {
  return exiting;
}
