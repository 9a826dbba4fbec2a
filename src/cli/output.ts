// What a command prints: its lines (stdout, or stderr under --json), and a progress line redrawn on stderr at
// most ~10 times a second, only when both streams are a terminal (never under --json, piped, or in tests).
import { noProgress, silent, type Log, type Output, type TrackProgress } from "../shared/output.js";

/** With --json, stdout carries the document alone; everything else goes to stderr or nowhere. */
export function outputFor(json: boolean): Output {
  const say: Log = json ? (line) => console.error(line) : (line) => console.log(line);
  const onTerminal = !json && process.stdout.isTTY === true && process.stderr.isTTY === true;
  return { say, log: json ? silent : say, track: onTerminal ? terminalProgress : noProgress };
}

const MIN_INTERVAL_MS = 100;
const CLEAR_LINE = "\r\x1b[2K";
let lineShown = false;

/** The line is cleared once `done` reaches the total (the step then prints its own summary). */
const terminalProgress: TrackProgress = (label, total, unit = "rows") => {
  const started = performance.now();
  let last = 0;
  return (done, rows) => {
    const now = performance.now();
    if (total <= 0 || (now - last < MIN_INTERVAL_MS && done < total)) return;
    last = now;
    if (done >= total) return clearProgressLine();
    const seconds = (now - started) / 1000;
    const rate = seconds > 0 ? (rows ?? done) / seconds : 0;
    const eta = done > 0 && seconds > 0 ? ((total - done) * seconds) / done : Infinity;
    const filled = Math.round((20 * done) / total);
    const count = (n: number) => n.toLocaleString("en-US");
    process.stderr.write(
      `${CLEAR_LINE}  ${label} [${"#".repeat(filled)}${"-".repeat(20 - filled)}] ` +
        `${((100 * done) / total).toFixed(0).padStart(3)}% ${count(done)}/${count(total)} ${unit}` +
        `${rows === undefined ? "" : ` | ${count(rows)} rows`} | ${count(Math.round(rate))} ` +
        `${rows === undefined ? unit : "rows"}/s | ETA ${formatSeconds(eta)}`,
    );
    lineShown = true;
  };
};

export function clearProgressLine(): void {
  if (lineShown) process.stderr.write(CLEAR_LINE);
  lineShown = false;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--";
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}
