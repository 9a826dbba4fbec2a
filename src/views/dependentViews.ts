// Which materialized views a run must refresh: those of the target's schema that read a table it writes,
// found in the catalog, never from a list, so one a later release adds (mv_suggested_blocks, 2026) isn't missed.
import type { Tx } from "../connection/transaction.js";
import { readViewShape, type ViewShape } from "./viewShape.js";

/** Views reading `tables` directly or through other views, each once, in refresh order. */
export async function viewsReading(tx: Tx, tables: readonly string[]): Promise<ViewShape[]> {
  // A view's depth is its longest path from a table written, so it comes after the views it reads. No path
  // without a cycle is longer than the reads are many: the bound stops a walk round plain views reading each other.
  const stale = await tx.$queryRawUnsafe<Array<{ name: string }>>(
    `WITH RECURSIVE reads AS (
       SELECT DISTINCT v.oid AS view, v.relname::text AS name, v.relkind = 'm' AS materialized, d.refobjid AS reads
       FROM pg_class v
       JOIN pg_rewrite r ON r.ev_class = v.oid
       JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
         AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> v.oid
       WHERE v.relkind IN ('v', 'm')
         AND v.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())),
     stale AS (
       SELECT view, name, materialized, 1 AS depth FROM reads
       WHERE reads IN (SELECT to_regclass(quote_ident(t)) FROM unnest($1::text[]) AS t)
       UNION
       SELECT r.view, r.name, r.materialized, s.depth + 1 FROM reads r JOIN stale s ON r.reads = s.view
       WHERE s.depth < (SELECT count(*) FROM reads))
     SELECT name FROM stale WHERE materialized GROUP BY name ORDER BY max(depth), name`,
    [...tables],
  );
  return Promise.all(stale.map(({ name }) => readViewShape(tx, name)));
}
