// The only ways the view checks put names into SQL text: every identifier passes the strict
// allow-list quoter, whether it is one of our constants or a column name read from the catalog.
import { CommandError } from "../shared/errors.js";
import { quoteIdentifier } from "../db/pgText.js";

/** A name, double-quoted; a name that isn't a plain identifier is refused with a message that
 *  says where it came from (the quoter's own message speaks of the bulk path). */
export function ident(name: string, where = "a store view"): string {
  try {
    return quoteIdentifier(name);
  } catch {
    throw new CommandError(`${where} has a name this tool won't put into SQL: ${JSON.stringify(name)}`);
  }
}

/** `alias."a"::text AS "a", ...`: each column in its text form, which every type has (json
 *  included, which has no equality operator), so two row sets compare with EXCEPT ALL whatever
 *  their types. Exact for the store views' types: text, bigint, and numeric, whose text keeps
 *  its scale. */
export function textColumns(columns: readonly string[], alias: string): string {
  return columns.map((c) => `${ident(alias)}.${ident(c)}::text AS ${ident(c)}`).join(", ");
}

/** `ARRAY[alias."a", ...]` over columns that are already text. */
export function textArray(columns: readonly string[], alias: string): string {
  return `ARRAY[${columns.map((c) => `${ident(alias)}.${ident(c)}`).join(", ")}]::text[]`;
}

/** `"a", "b"` */
export function columnList(columns: readonly string[]): string {
  return columns.map((c) => ident(c)).join(", ");
}
