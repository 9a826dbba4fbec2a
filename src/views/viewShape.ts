// A materialized view as the catalog describes it, found as every other statement finds it
// (to_regclass, in the session's search_path).
import { CommandError } from "../shared/errors.js";
import type { Tx } from "../connection/transaction.js";
import { quoteIdentifier } from "../shared/identifier.js";

export interface ViewShape {
  name: string;
  columns: string[];
  /** Its unique index's columns (valid, non-partial, plain; the narrowest, then by name); all without one. */
  key: string[];
  uniqueKey: boolean;
  populated: boolean;
  /** Its query as the catalog holds it (pg_get_viewdef); unchecked (proveView.ts checks it). */
  definition: string | null;
}

/** `name`: a materialized view the catalog just listed (dependentViews.ts). */
export async function readViewShape(tx: Tx, name: string): Promise<ViewShape> {
  ident(name);
  const [view] = await tx.$queryRawUnsafe<
    Array<Omit<ViewShape, "name" | "key" | "uniqueKey"> & { key: string[] | null }>
  >(
    `SELECT c.relispopulated AS populated, pg_get_viewdef(c.oid) AS definition,
       ARRAY(SELECT a.attname::text FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns,
       (SELECT ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                     WHERE k.position <= i.indnkeyatts ORDER BY k.position)
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = c.oid AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
        ORDER BY i.indnkeyatts, ic.relname LIMIT 1) AS key
     FROM pg_class c WHERE c.oid = to_regclass(quote_ident($1)) AND c.relkind = 'm'`,
    name,
  );
  if (!view) throw new CommandError(`materialized view ${name} vanished while this run read it`);
  // Refuse an odd column name now, with the view named, rather than half-way through a query.
  for (const column of view.columns) ident(column, name);
  const { key, ...rest } = view;
  return { name, ...rest, key: key ?? view.columns, uniqueKey: key !== null };
}

/** The only way view checks put names into SQL: the strict allow-list quoter, for our constants
 *  and catalog names alike. A refusal says where the name came from (the quoter's speaks of the bulk path). */
export function ident(name: string, where = "a materialized view"): string {
  try {
    return quoteIdentifier(name);
  } catch {
    throw new CommandError(`${where} has a name this tool won't put into SQL: ${JSON.stringify(name)}`);
  }
}
