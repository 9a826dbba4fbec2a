/** Bad command-line input: exit code 2. */
export class UsageError extends Error {}

/** A failure the user can act on, with a message that says how: exit code 1, no stack. */
export class CommandError extends Error {}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** What was thrown, as text. */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** One line of an error for a one-line report: its message's first non-empty line, or its last (where the
 *  cause comes last, as in Prisma's errors). */
export function errorLine(error: unknown, which: "first" | "last" = "first"): string {
  const lines = errorMessage(error)
    .trim()
    .split(/\s*\n\s*/);
  return (which === "first" ? lines[0] : lines.at(-1)) || "unknown error";
}
