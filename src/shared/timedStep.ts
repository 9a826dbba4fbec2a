// The creator's and the updater's steps, timed, with their durations kept by name for the report.
import type { Log } from "./output.js";

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
