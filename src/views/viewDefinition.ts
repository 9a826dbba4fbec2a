// A materialized view's own definition, as the catalog holds it (pg_get_viewdef), checked before
// it is run as a subquery: the proof must follow whatever the platform's migrations made the
// view, so it never carries a copy of its own.
import { CommandError } from "../shared/errors.js";
import type { Tx } from "../db/prismaClient.js";

export async function readViewDefinition(tx: Tx, view: string): Promise<string> {
  const [row] = await tx.$queryRawUnsafe<Array<{ definition: string | null }>>(
    `SELECT pg_get_viewdef(to_regclass($1)) AS definition`,
    view,
  );
  return checkedDefinition(view, row?.definition ?? null);
}

const QUERY_START = /^\s*(\(|SELECT\b|WITH\b|VALUES\b|TABLE\b)/i;

/**
 * The definition without its trailing ';', refused unless it is one query: it must start as a
 * query does and hold no ';' outside quotes, so it can only ever be read as one subquery.
 */
export function checkedDefinition(view: string, definition: string | null): string {
  if (definition === null) throw new CommandError(`${view}: the catalog has no definition for it`);
  const text = definition.trim().replace(/;\s*$/, "");
  if (!QUERY_START.test(text) || hasTopLevelSemicolon(text)) {
    throw new CommandError(`${view}: its definition in the catalog is not a single query; it was not run`);
  }
  return text;
}

/** A ';' outside '...' and "..." (doubled quotes escape; E'...' also escapes with backslash). */
function hasTopLevelSemicolon(text: string): boolean {
  let quote: "'" | '"' | null = null;
  let backslashes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (backslashes && c === "\\") i++;
      else if (c === quote) {
        if (text[i + 1] === quote) i++;
        else quote = null;
      }
    } else if (c === "'" || c === '"') {
      quote = c;
      backslashes = c === "'" && /[eE]/.test(text[i - 1] ?? "") && !/[A-Za-z0-9_]/.test(text[i - 2] ?? "");
    } else if (c === ";") return true;
  }
  return quote !== null;
}
