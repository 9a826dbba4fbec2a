// Two row sets of a view's shape compared both ways with EXCEPT ALL, leftovers grouped by key so a
// changed row is one difference showing both sides. Used by the proof and the before/after report.
import { columnList, ident, textArray, textColumns, type ViewShape } from "./viewShape.js";
import type { Tx } from "../connection/transaction.js";

type Text = string | null;

export interface KeyedDifference {
  key: Text[];
  /** Rows left over on each side for that key (values of valueColumns(shape)); usually one or none. */
  left: Text[][];
  right: Text[][];
}

export interface KeyedComparison {
  leftRows: number;
  rightRows: number;
  /** Keys with rows left over on one side only, or on both (a changed row). */
  onlyLeft: number;
  onlyRight: number;
  both: number;
  /** The first `limit` differing keys, in key order. */
  first: KeyedDifference[];
}

/** All columns but the key's; the whole row when the key is the whole row. */
export function valueColumns(shape: ViewShape): string[] {
  const rest = shape.columns.filter((c) => !shape.key.includes(c));
  return rest.length > 0 ? rest : shape.columns;
}

/** `left`/`right`: queries returning shape.columns as text under those names (see textColumns),
 *  built from checked names or a checked definition. */
export async function compareKeyed(
  tx: Tx,
  shape: ViewShape,
  left: string,
  right: string,
  limit: number,
): Promise<KeyedComparison> {
  const key = (alias: string) => textArray(shape.key, alias);
  const values = (alias: string) => textArray(valueColumns(shape), alias);
  const rows = await tx.$queryRawUnsafe<
    Array<{
      left_rows: number;
      right_rows: number;
      only_left: number;
      only_right: number;
      both: number;
      in_left: boolean | null;
      k: Text[] | null;
      v: Text[] | null;
    }>
  >(
    `WITH l AS MATERIALIZED (${left}),
     r AS MATERIALIZED (${right}),
     sides AS (
       SELECT true AS in_left, ${key("x")} AS k, ${values("x")} AS v FROM (SELECT * FROM l EXCEPT ALL SELECT * FROM r) x
       UNION ALL
       SELECT false, ${key("y")}, ${values("y")} FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM l) y
     ),
     keys AS (
       SELECT k, bool_or(in_left) AS in_left, bool_or(NOT in_left) AS in_right, dense_rank() OVER (ORDER BY k) AS n
       FROM sides GROUP BY k
     ),
     summary AS (
       SELECT (SELECT count(*) FROM l)::int AS left_rows, (SELECT count(*) FROM r)::int AS right_rows,
              (count(*) FILTER (WHERE in_left AND NOT in_right))::int AS only_left,
              (count(*) FILTER (WHERE in_right AND NOT in_left))::int AS only_right,
              (count(*) FILTER (WHERE in_left AND in_right))::int AS both
       FROM keys
     )
     SELECT s.*, d.in_left, d.k, d.v
     FROM summary s
     LEFT JOIN (SELECT sides.*, keys.n FROM sides JOIN keys USING (k) WHERE keys.n <= $1) d ON true
     ORDER BY d.n, d.in_left DESC, d.v`,
    limit,
  );
  const summary = rows[0]!;
  const first: KeyedDifference[] = [];
  for (const row of rows) {
    if (row.k === null || row.v === null) continue;
    let current = first[first.length - 1];
    if (!current || !sameKey(current.key, row.k)) first.push((current = { key: row.k, left: [], right: [] }));
    (row.in_left ? current.left : current.right).push(row.v);
  }
  return {
    leftRows: summary.left_rows,
    rightRows: summary.right_rows,
    onlyLeft: summary.only_left,
    onlyRight: summary.only_right,
    both: summary.both,
    first,
  };
}

const sameKey = (a: Text[], b: Text[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The view's rows; none when it was never populated (reading it would raise an error). */
export function viewRows(shape: ViewShape): string {
  if (!shape.populated) return noRows(shape);
  return `SELECT ${textColumns(shape.columns, "v")} FROM ${ident(shape.name)} AS v`;
}

/** `definition` is checked (readViewDefinition); the column list names the output as the view does. */
export function definitionRows(shape: ViewShape, definition: string): string {
  return `SELECT ${textColumns(shape.columns, "d")} FROM (${definition}) AS d(${columnList(shape.columns)})`;
}

export function tempTableRows(shape: ViewShape, table: string): string {
  return `SELECT ${textColumns(shape.columns, "b")} FROM pg_temp.${ident(table)} AS b`;
}

function noRows(shape: ViewShape): string {
  return `SELECT ${shape.columns.map((c) => `NULL::text AS ${ident(c)}`).join(", ")} WHERE false`;
}
