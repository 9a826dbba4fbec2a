// How every layer reports to the user without knowing the terminal: plain callbacks. The command
// entries decide where lines go (stdout, stderr under --json, nowhere) and draw progress bars.

/** One line of output. */
export type Log = (line: string) => void;

/** Progress of a long write: how far it has got (`done` of its total) and the rows written so far. */
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

/** Prints nothing (tests, and callers that only want the result). */
export const quietOutput: Output = { say: silent, log: silent };
