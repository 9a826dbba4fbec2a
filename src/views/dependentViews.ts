// Which materialized views a run must refresh: those of the target's schema that read a table it
// writes, found in the catalog (each view's rewrite rule and what pg_depend says it reads), never
// from a list, so a view a later platform release adds (mv_suggested_blocks, 2026) is not left stale.
import type { Tx } from "../connection/transaction.js";
import { readViewShape, type ViewShape } from "./viewShape.js";

/** Views reading `tables` directly, through plain views or through other such views, each once,
 *  in refresh order: a view that reads another comes after it. */
export async function viewsReading(tx: Tx, tables: readonly string[]): Promise<ViewShape[]> {
  // Each view's reads, and whether it reads a table written.
  const edges = await tx.$queryRawUnsafe<
    Array<{ view: string; name: string; kind: string; reads: string; written: boolean }>
  >(
    `SELECT DISTINCT v.oid::text AS view, v.relname::text AS name, v.relkind::text AS kind,
            d.refobjid::text AS reads,
            d.refobjid IN (SELECT to_regclass(quote_ident(t)) FROM unnest($1::text[]) AS t) AS written
     FROM pg_class v
     JOIN pg_rewrite r ON r.ev_class = v.oid
     JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
       AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> v.oid
     WHERE v.relkind IN ('v', 'm')
       AND v.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
     ORDER BY 2, 4`,
    [...tables],
  );
  const readers = new Map<string, { name: string; materialized: boolean; reads: string[] }>();
  // Stale: a view reading a written table, or something stale (to a fixed point: views nest).
  const stale = new Set<string>();
  for (const e of edges) {
    const reader = readers.get(e.view) ?? { name: e.name, materialized: e.kind === "m", reads: [] };
    reader.reads.push(e.reads);
    readers.set(e.view, reader);
    if (e.written) stale.add(e.view);
  }
  for (let grew = true; grew;) {
    grew = false;
    for (const [oid, reader] of readers) {
      if (!stale.has(oid) && reader.reads.some((r) => stale.has(r))) grew = stale.add(oid).size > 0;
    }
  }
  const order: string[] = [];
  const placed = new Set<string>();
  const place = (oid: string) => {
    const reader = readers.get(oid);
    if (!reader || placed.has(oid) || !stale.has(oid)) return;
    placed.add(oid);
    for (const read of reader.reads) place(read);
    if (reader.materialized) order.push(reader.name);
  };
  for (const oid of readers.keys()) place(oid);
  const shapes: ViewShape[] = [];
  for (const name of order) shapes.push(await readViewShape(tx, name));
  return shapes;
}
