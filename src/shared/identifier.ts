// The one rule for a name put into SQL text (table, column, enum type, schema): an allow-list, not
// escaping. Every name we quote (our code, the catalog, DATABASE_URL's `?schema=`) is a plain
// identifier; anything else is refused, so a crafted name can never change the statement.

export const IDENTIFIER_RULE = "letters, digits and _, not starting with a digit";

export function isPlainIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** The name double-quoted (so its case is kept); a name outside the rule is refused. */
export function quoteIdentifier(name: string): string {
  if (!isPlainIdentifier(name)) throw new Error(`not a plain identifier (${IDENTIFIER_RULE}): ${JSON.stringify(name)}`);
  return `"${name}"`;
}
