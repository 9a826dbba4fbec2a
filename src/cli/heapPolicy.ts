// The commands are batch jobs: a small, flat live heap and many short-lived rows. V8 lets the old
// generation grow up to 4x its live size between full collections; capping growth at 30% keeps
// the peak near it, and the database, not this process, is the bottleneck (README, Performance).
import v8 from "node:v8";

export const HEAP_GROWING_PERCENT = 30;

/** Applies the heap policy unless node was started with its own --heap-growing-percent. */
export function limitHeapGrowth(): void {
  if (process.execArgv.some((arg) => arg.startsWith("--heap-growing-percent"))) return;
  // Read by V8 at every full collection, so setting it once the process runs takes effect.
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
