// A materialized view as the catalog describes it, found as every other statement finds it
// (to_regclass, in the session's search_path): columns, key (the unique index REFRESH ...
// CONCURRENTLY needs), populated.
import { CommandError } from "../shared/errors.js";
import type { Tx } from "../connection/transaction.js";
import { quoteIdentifier } from "../shared/identifier.js";

export interface ViewShape {
  name: string;
  columns: string[];
  /** The columns of its unique index (the narrowest, then by name); every column without one. */
  key: string[];
  /** The key is a unique index's, not the whole row. */
  uniqueKey: boolean;
  populated: boolean;
}

/** `name`: a materialized view the catalog just listed (dependentViews.ts). */
export async function readViewShape(tx: Tx, name: string): Promise<ViewShape> {
  ident(name);
  const [rel] = await tx.$queryRawUnsafe<Array<{ populated: boolean }>>(
    `SELECT c.relispopulated AS populated FROM pg_class c WHERE c.oid = to_regclass(quote_ident($1)) AND c.relkind = 'm'`,
    name,
  );
  if (!rel) throw new CommandError(`materialized view ${name} vanished while this run read it`);
  const columns = (
    await tx.$queryRawUnsafe<Array<{ name: string }>>(
      `SELECT attname::text AS name FROM pg_attribute
       WHERE attrelid = to_regclass(quote_ident($1)) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      name,
    )
  ).map((c) => c.name);
  // Refuse an odd column name now, with the view named, rather than half-way through a query.
  for (const column of columns) ident(column, name);
  const unique = await uniqueIndexColumns(tx, name);
  return { name, columns, key: unique ?? columns, uniqueKey: unique !== undefined, populated: rel.populated };
}

/** The narrowest valid, non-partial, plain-column unique index's columns. */
async function uniqueIndexColumns(tx: Tx, view: string): Promise<string[] | undefined> {
  const rows = await tx.$queryRawUnsafe<Array<{ index: string; position: number; column: string }>>(
    `SELECT ic.relname::text AS index, k.position::int AS position, a.attname::text AS column
     FROM pg_index i
     JOIN pg_class ic ON ic.oid = i.indexrelid
     CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
     WHERE i.indrelid = to_regclass(quote_ident($1)) AND i.indisunique AND i.indisvalid
       AND i.indpred IS NULL AND i.indexprs IS NULL AND k.position <= i.indnkeyatts
     ORDER BY ic.relname, k.position`,
    view,
  );
  const byIndex = new Map<string, string[]>();
  for (const r of rows) byIndex.set(r.index, [...(byIndex.get(r.index) ?? []), r.column]);
  return [...byIndex.values()].sort((a, b) => a.length - b.length)[0];
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

/** `alias."a"::text AS "a", ...`: every type has a text form (json has no equality operator), so
 *  EXCEPT ALL compares any row sets; exact for the views' text, bigint and numeric (text keeps scale). */
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
