// The commands are batch jobs with a small, flat live heap (base data plus one batch of rows) that
// allocate hundreds of MB of short-lived rows. By default V8 lets the old generation grow to up to
// 4x its live size between full collections, so a large run's peak was several times its live
// heap (README, Performance). Letting it grow by at most 30% per collection keeps the peak near
// the live size; the extra collections cost no measurable time here, since the database, not
// this process, is the bottleneck (README, Performance).
import v8 from "node:v8";

export const HEAP_GROWING_PERCENT = 30;

/** Applies the heap policy unless node was started with its own --heap-growing-percent. */
export function limitHeapGrowth(): void {
  if (process.execArgv.some((arg) => arg.startsWith("--heap-growing-percent"))) return;
  // Read by V8 at every full collection, so setting it once the process runs takes effect.
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
