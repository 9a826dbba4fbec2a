// Ctrl-C and SIGTERM for every command: one line on stderr, the registered cleanups (see
// shared/interruptCleanup.ts), exit 130 or 143. A server rolls back when the socket closes.
import { runInterruptCleanups } from "../shared/interruptCleanup.js";

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/** Longest wait for the cleanups: closing PGlite waits for the statement in flight to end. */
const CLEANUP_TIMEOUT_MS = 30_000;

let exiting: Promise<never> | undefined;

/** `report`: also says it on stdout (--json), once the cleanups are done. */
export function handleInterrupts(name: string, report?: (message: string, exitCode: number) => void): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      const code = SIGNAL_EXIT[signal];
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

/** Set once a signal is being handled: the command's own ending (an error from its rolled-back
 *  transaction or closed database, or a result) must then not print or exit; the handler does. */
export function interruption(): Promise<never> | undefined {
  return exiting;
}
