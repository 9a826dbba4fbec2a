/** Bad command-line input: exit code 2. */
export class UsageError extends Error {}

/** A failure the user can act on, with a message that says how: exit code 1, no stack. */
export class CommandError extends Error {}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
