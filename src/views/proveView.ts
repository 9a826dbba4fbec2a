// The proof that a materialized view is right: its rows equal, both ways and with multiplicity,
// what its own definition (from the catalog) gives run fresh in the same transaction. The comparison
// (EXCEPT ALL both ways, leftovers grouped by key so a changed row is one difference showing both
// sides) also serves the before/after report (viewChanges.ts).
import type { Tx } from "../connection/transaction.js";
import { ident, type ViewShape } from "./viewShape.js";
import { CommandError } from "../shared/errors.js";

type Text = string | null;
type Counts = Record<"leftRows" | "rightRows" | "leftSum" | "rightSum" | "onlyLeft" | "onlyRight" | "both", number>;

export interface ViewDifference {
  /** The key's value (the unique index's column), or `col=value, ...` for a wider key. */
  key: string;
  /** The view's row for that key as `col=value, ...` (several joined by "; "), or null: none. */
  inView: string | null;
  inSource: string | null;
}

export interface ViewCheck {
  rows: number;
  matchesSource: boolean;
  /** Keys that differ (a changed row counts once). */
  differenceCount: number;
  differences: ViewDifference[];
  /** The columns differences are keyed by: the view's unique index, else the whole row. */
  keyColumns: string[];
  /** Rows the definition gives now. */
  sourceRows: number;
  /** false: the view holds no data (never refreshed): every row its definition gives is missing. */
  populated: boolean;
}

export const DIFFERENCES_SHOWN = 20;

export async function proveView(tx: Tx, shape: ViewShape): Promise<ViewCheck> {
  // The definition as the catalog holds it, never a copy of ours: the proof must follow whatever the
  // platform's migrations made the view. Its column list names the output as the view does.
  const definition = `(${checkedDefinition(shape.name, shape.definition)}) x(${columnList(shape.columns)})`;
  const result = await compareKeyed(tx, shape, viewRows(shape), rowsOf(shape, definition), DIFFERENCES_SHOWN);
  const differenceCount = result.onlyLeft + result.onlyRight + result.both;
  const labelled = (columns: string[], values: Text[]) => columns.map((c, i) => `${c}=${values[i] ?? "null"}`);
  const side = (rows: Text[][]) =>
    rows.length === 0 ? null : rows.map((r) => labelled(valueColumns(shape), r).join(", ")).join("; ");
  return {
    rows: result.leftRows,
    matchesSource: differenceCount === 0 && shape.populated,
    differenceCount,
    differences: result.first.map((d) => ({
      key: d.key.length === 1 ? (d.key[0] ?? "null") : labelled(shape.key, d.key).join(", "),
      inView: side(d.left),
      inSource: side(d.right),
    })),
    keyColumns: shape.key,
    sourceRows: result.rightRows,
    populated: shape.populated,
  };
}

/** All columns but the key's; the whole row when the key is the whole row. */
function valueColumns(shape: ViewShape): string[] {
  const rest = shape.columns.filter((c) => !shape.key.includes(c));
  return rest.length > 0 ? rest : shape.columns;
}

/** `left`/`right`: queries returning shape.columns as text under those names (rowsOf), built from
 *  checked names or a checked definition. Counts rows on each side (and sums column `sum` on each,
 *  0 without one) and keys with rows left over on one side only or on both (a changed row); `first`:
 *  the first `limit` differing keys, in key order, with the values (valueColumns) of the rows left
 *  over on each side, usually one or none. */
export async function compareKeyed(tx: Tx, shape: ViewShape, left: string, right: string, limit: number, sum?: string) {
  const total = (side: string) =>
    sum ? `(SELECT COALESCE(SUM(x.${ident(sum)}::numeric), 0)::float8 FROM ${side} x)` : "0::float8";
  const array = (columns: readonly string[], alias: string) =>
    `ARRAY[${columns.map((c) => `${alias}.${ident(c)}`).join(", ")}]::text[]`;
  const [key, values] = [(alias: string) => array(shape.key, alias), (a: string) => array(valueColumns(shape), a)];
  const rows = await tx.$queryRawUnsafe<
    Array<Counts & { in_left: boolean | null; k: Text[] | null; v: Text[] | null }>
  >(
    `WITH l AS MATERIALIZED (${left}),
     r AS MATERIALIZED (${right}),
     sides AS (
       SELECT true AS in_left, ${key("x")} AS k, ${values("x")} AS v
       FROM (SELECT * FROM l EXCEPT ALL SELECT * FROM r) x
       UNION ALL
       SELECT false, ${key("y")}, ${values("y")} FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM l) y
     ),
     keys AS (
       SELECT k, bool_or(in_left) AS in_left, bool_or(NOT in_left) AS in_right, dense_rank() OVER (ORDER BY k) AS n
       FROM sides GROUP BY k
     ),
     summary AS (
       SELECT (SELECT count(*) FROM l)::int AS "leftRows", (SELECT count(*) FROM r)::int AS "rightRows",
              ${total("l")} AS "leftSum", ${total("r")} AS "rightSum",
              (count(*) FILTER (WHERE in_left AND NOT in_right))::int AS "onlyLeft",
              (count(*) FILTER (WHERE in_right AND NOT in_left))::int AS "onlyRight",
              (count(*) FILTER (WHERE in_left AND in_right))::int AS both
       FROM keys
     )
     SELECT s.*, d.in_left, d.k, d.v
     FROM summary s
     LEFT JOIN (SELECT sides.*, keys.n FROM sides JOIN keys USING (k) WHERE keys.n <= $1) d ON true
     ORDER BY d.n, d.in_left DESC, d.v`,
    limit,
  );
  const first: Array<{ key: Text[]; left: Text[][]; right: Text[][] }> = [];
  for (const row of rows) {
    if (row.k === null || row.v === null) continue;
    let current = first[first.length - 1];
    if (!current || !sameKey(current.key, row.k)) first.push((current = { key: row.k, left: [], right: [] }));
    (row.in_left ? current.left : current.right).push(row.v);
  }
  const { leftRows, rightRows, leftSum, rightSum, onlyLeft, onlyRight, both } = rows[0]!;
  return { leftRows, rightRows, leftSum, rightSum, onlyLeft, onlyRight, both, first };
}

const sameKey = (a: Text[], b: Text[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** `x."a"::text AS "a", ...` from `source`, aliased x: every type has a text form (json has no
 *  equality operator), so EXCEPT ALL compares any row sets; exact for the views' text, bigint and
 *  numeric (text keeps scale). */
const rowsOf = (shape: ViewShape, source: string) =>
  `SELECT ${shape.columns.map((c) => `x.${ident(c)}::text AS ${ident(c)}`).join(", ")} FROM ${source}`;
const columnList = (columns: readonly string[]) => columns.map((c) => ident(c)).join(", ");

/** The view's rows; none when it was never populated (reading it would raise an error). */
export function viewRows(shape: ViewShape): string {
  const none = `(SELECT ${shape.columns.map(() => "NULL").join(", ")}) x(${columnList(shape.columns)}) WHERE false`;
  return rowsOf(shape, shape.populated ? `${ident(shape.name)} x` : none);
}

export const tempTableRows = (shape: ViewShape, table: string) => rowsOf(shape, `pg_temp.${ident(table)} x`);

const QUERY_START = /^\s*(\(|SELECT\b|WITH\b|VALUES\b|TABLE\b)/i;

/** The definition without its trailing ';', refused unless it starts as a query does and has no
 *  ';' outside quotes, so it can only be read as one subquery. */
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
