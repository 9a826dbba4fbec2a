// What the catalog says about one of the store's materialized views, found as every other
// statement finds it (to_regclass, in the session's search_path): its columns, the key its rows
// are told apart by (its unique index, the one REFRESH ... CONCURRENTLY needs), and whether it
// holds data at all.
import { CommandError } from "../shared/errors.js";
import type { Tx } from "../db/transaction.js";
import { quoteIdentifier } from "../db/identifier.js";

export const STORE_VIEWS = ["mv_agent_run_counts", "mv_review_stats"] as const;
export type StoreViewName = (typeof STORE_VIEWS)[number];

export interface ViewShape {
  name: StoreViewName;
  /** Its columns in order. */
  columns: string[];
  /** The columns of its unique index (the narrowest, then by name); every column without one. */
  key: string[];
  /** The key is a unique index's, not the whole row. */
  uniqueKey: boolean;
  populated: boolean;
}

export async function readViewShape(tx: Tx, name: StoreViewName): Promise<ViewShape> {
  const [rel] = await tx.$queryRawUnsafe<Array<{ kind: string; populated: boolean }>>(
    `SELECT c.relkind::text AS kind, c.relispopulated AS populated FROM pg_class c WHERE c.oid = to_regclass($1)`,
    name,
  );
  if (!rel) throw new CommandError(`materialized view ${name} is missing: migrate the database first (npm run db:migrate)`);
  if (rel.kind !== "m") throw new CommandError(`${name} is not a materialized view: migrate the database first (npm run db:migrate)`);
  const columns = (
    await tx.$queryRawUnsafe<Array<{ name: string }>>(
      `SELECT attname::text AS name FROM pg_attribute
       WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      name,
    )
  ).map((c) => c.name);
  // Refuse an odd column name now, with the view named, rather than half-way through a query.
  for (const column of columns) ident(column, name);
  const unique = await uniqueIndexColumns(tx, name);
  return { name, columns, key: unique ?? columns, uniqueKey: unique !== undefined, populated: rel.populated };
}

/** Key columns of the view's valid, non-partial, plain-column unique indexes: the narrowest. */
async function uniqueIndexColumns(tx: Tx, view: string): Promise<string[] | undefined> {
  const rows = await tx.$queryRawUnsafe<Array<{ index: string; position: number; column: string }>>(
    `SELECT ic.relname::text AS index, k.position::int AS position, a.attname::text AS column
     FROM pg_index i
     JOIN pg_class ic ON ic.oid = i.indexrelid
     CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
     WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indisvalid
       AND i.indpred IS NULL AND i.indexprs IS NULL AND k.position <= i.indnkeyatts
     ORDER BY ic.relname, k.position`,
    view,
  );
  const byIndex = new Map<string, string[]>();
  for (const r of rows) byIndex.set(r.index, [...(byIndex.get(r.index) ?? []), r.column]);
  return [...byIndex.values()].sort((a, b) => a.length - b.length)[0];
}

// The only ways the view checks put names into SQL text: every identifier passes the strict
// allow-list quoter, whether it is one of our constants or a column name read from the catalog.
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
