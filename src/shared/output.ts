// Plain callbacks, so no layer below the command entries knows the terminal.

export type Log = (line: string) => void;

/** `done` of its total, and the rows written so far. */
export type OnProgress = (done: number, rows?: number) => void;

/** A long phase's progress: given its label, total and unit, the callback to report rows written. */
export type TrackProgress = (label: string, total: number, unit?: string) => (done: number) => void;

export const noProgress: TrackProgress = () => () => {};

export interface Output {
  /** Lines the user must see (which database, what was prepared): stderr under --json. */
  say: Log;
  /** Step-by-step progress lines: none under --json. */
  log: Log;
}

export const silent: Log = () => {};

/** With --json, stdout carries the document alone; everything else goes to stderr or nowhere. */
export function outputFor(json: boolean): Output {
  const say: Log = json ? (line) => console.error(line) : (line) => console.log(line);
  return { say, log: json ? silent : say };
}

/** For tests, and callers that only want the result. */
export const quietOutput: Output = { say: silent, log: silent };

/** The creator's and the updater's steps, timed, with their durations kept by name for the report. */
export interface StepTimer {
  /** Runs `work`, then logs `done(result) (1.23s)`; a `title` is logged first, underlined. */
  step<T>(name: string, work: () => Promise<T>, done: (result: T) => string, title?: string): Promise<T>;
  seconds: Record<string, number>;
}

export function stepTimer(log: Log): StepTimer {
  const seconds: Record<string, number> = {};
  return {
    seconds,
    async step(name, work, done, title) {
      if (title) log(`\n${title}\n${"-".repeat(40)}`);
      const started = performance.now();
      const result = await work();
      seconds[name] = Number(((performance.now() - started) / 1000).toFixed(3));
      log(`${done(result)} (${seconds[name].toFixed(2)}s)`);
      return result;
    },
  };
}
