// The one rule for a name this tool puts into SQL text (a table, column, enum type or schema):
// an allow-list, not escaping. Every name we quote comes from our own code, the catalog, or the
// `?schema=` of DATABASE_URL, and all of them are plain identifiers; anything else is refused
// rather than escaped, so a crafted name can never change the statement it is put into.

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Letters, digits and underscores, not starting with a digit: what the rule lets through. */
export const IDENTIFIER_RULE = "letters, digits and _, not starting with a digit";

export function isPlainIdentifier(name: string): boolean {
  return PLAIN_IDENTIFIER.test(name);
}

/** The name double-quoted (so its case is kept); a name outside the rule is refused. */
export function quoteIdentifier(name: string): string {
  if (!isPlainIdentifier(name)) throw new Error(`not a plain identifier (${IDENTIFIER_RULE}): ${JSON.stringify(name)}`);
  return `"${name}"`;
}
