// Plain callbacks, so no layer below the command entries knows the terminal (cli/output.ts does).

export type Log = (line: string) => void;

/** Starts a long phase's progress; the callback reports how much of `total` is done (and the rows written). */
export type TrackProgress = (label: string, total: number, unit?: string) => (done: number, rows?: number) => void;

export const noProgress: TrackProgress = () => () => {};

export interface Output {
  /** Lines the user must see (which database, what was prepared): stderr under --json. */
  say: Log;
  /** Step-by-step progress lines: none under --json. */
  log: Log;
  /** The progress of a long phase: a line on a terminal, else nothing. */
  track: TrackProgress;
}

export const silent: Log = () => {};

export const quietOutput: Output = { say: silent, log: silent, track: noProgress };

/** Runs `work`, adding the time it takes to the step `name`'s. */
export type Timed = <T>(name: string, work: () => Promise<T>) => Promise<T>;

/** The creator's and the updater's steps, timed, with their durations kept by name (`seconds`) for the report. */
export function stepTimer(log: Log) {
  const seconds: Record<string, number> = {};
  /** For a step done in parts: each part timed, then its line logged once (logStep). */
  const timed: Timed = async (name, work) => {
    const started = performance.now();
    const result = await work();
    seconds[name] = Number(((seconds[name] ?? 0) + (performance.now() - started) / 1000).toFixed(3));
    return result;
  };
  const logStep = (name: string, line: string) => log(`${line} (${(seconds[name] ?? 0).toFixed(2)}s)`);
  /** Runs `work`, then logs `done(result) (1.23s)`; a `title` is logged first, underlined. */
  async function step<T>(name: string, work: () => Promise<T>, done: (result: T) => string, title?: string) {
    if (title) log(`\n${title}\n${"-".repeat(40)}`);
    const result = await timed(name, work);
    logStep(name, done(result));
    return result;
  }
  return { seconds, timed, logStep, step };
}
