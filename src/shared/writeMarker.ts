// For tests only: with AUTOGPT_TEST_WRITE_MARKER=1 a command says once on stderr that its first
// write was sent, so a test can interrupt it mid-write (PGlite has no pg_stat_activity to watch).

export const WRITE_MARKER_ENV = "AUTOGPT_TEST_WRITE_MARKER";
export const WRITE_MARKER_LINE = "test marker: first write sent";

let marked = false;

/** Called where the bulk write path has sent a write; prints the marker the first time. */
export function markWriteSent(): void {
  if (marked || process.env[WRITE_MARKER_ENV] !== "1") return;
  marked = true;
  // Written at once to a file, or a pipe on Linux (elsewhere on the next turn of the event loop).
  process.stderr.write(`${WRITE_MARKER_LINE}\n`);
}
