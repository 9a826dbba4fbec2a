// A dependency-free progress line (count/total, rate, ETA) redrawn in place on stderr at most ~10
// times a second; nothing at all under --json or when not on a terminal (piped, test runner).
import type { TrackProgress } from "../shared/output.js";

export interface Progress {
  /** `done` of the total, and optionally the rows written so far. */
  update(done: number, rows?: number): void;
  /** Clears the line (the step then prints its own summary). */
  finish(): void;
}

const SILENT: Progress = { update() {}, finish() {} };
const MIN_INTERVAL_MS = 100;

export function progressEnabled(json: boolean): boolean {
  return !json && process.stdout.isTTY === true && process.stderr.isTTY === true;
}

export function createProgress(label: string, total: number, unit: string, enabled: boolean): Progress {
  if (!enabled || total <= 0) return SILENT;
  const started = performance.now();
  let last = 0;
  const draw = (done: number, rows: number | undefined) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? (rows ?? done) / seconds : 0;
    const unitRate = seconds > 0 ? done / seconds : 0;
    const eta = unitRate > 0 ? (total - done) / unitRate : Infinity;
    const pct = Math.min(100, (100 * done) / total);
    const width = 20;
    const filled = Math.round((pct / 100) * width);
    const bar = "#".repeat(filled) + "-".repeat(width - filled);
    const rowsText = rows === undefined ? "" : ` | ${rows.toLocaleString("en-US")} rows`;
    const line =
      `${label} [${bar}] ${pct.toFixed(0).padStart(3)}% ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} ${unit}` +
      `${rowsText} | ${Math.round(rate).toLocaleString("en-US")} ${rows === undefined ? unit : "rows"}/s | ETA ${formatSeconds(eta)}`;
    process.stderr.write(`\r\x1b[2K${line}`);
  };
  return {
    update(done, rows) {
      const now = performance.now();
      if (now - last < MIN_INTERVAL_MS && done < total) return;
      last = now;
      draw(done, rows);
    },
    finish() {
      process.stderr.write("\r\x1b[2K");
    },
  };
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--";
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** Progress lines for the creator's phases (see TrackProgress); nothing unless `enabled`. */
export function terminalTracker(enabled: boolean): TrackProgress {
  return (label, total, unit = "rows") => {
    const progress = createProgress(`  ${label}`, total, unit, enabled);
    return (done) => {
      progress.update(done);
      if (done >= total) progress.finish();
    };
  };
}
