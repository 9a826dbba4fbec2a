/** Bad command-line input: exit code 2. */
export class UsageError extends Error {}

/** A failure the user can act on, with a message that says how: exit code 1, no stack. */
export class CommandError extends Error {}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** An error's first non-empty line, or its last (where the cause comes last, as in Prisma's errors). */
export function errorLine(error: unknown, which: "first" | "last" = "first"): string {
  const lines = errorMessage(error)
    .trim()
    .split(/\s*\n\s*/);
  return (which === "first" ? lines[0] : lines.at(-1)) || "unknown error";
}

/** The first minX, maxX pair in `values` with min > max: the one range rule, for the parser and the creator. */
export function invertedRange(values: Record<string, unknown>): [min: string, max: string] | undefined {
  for (const min of Object.keys(values).filter((name) => name.startsWith("min"))) {
    const max = min.replace(/^min/, "max");
    if ((values[min] as number) > (values[max] as number)) return [min, max];
  }
  return undefined;
}
