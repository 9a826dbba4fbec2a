// The proof that a materialized view is right: its rows equal, both ways and with multiplicity,
// what its own definition (from the catalog) gives run fresh in the same transaction. The comparison
// (EXCEPT ALL both ways, leftovers grouped by key so a changed row is one difference showing both
// sides) also serves the before/after report (viewChanges.ts).
import type { Tx } from "../connection/transaction.js";
import { columnList, ident, textArray, textColumns, type ViewShape } from "./viewShape.js";
import { CommandError } from "../shared/errors.js";

type Text = string | null;

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
  const definition = await readViewDefinition(tx, shape.name);
  const result = await compareKeyed(tx, shape, viewRows(shape), definitionRows(shape, definition), DIFFERENCES_SHOWN);
  const differenceCount = result.onlyLeft + result.onlyRight + result.both;
  return {
    rows: result.leftRows,
    matchesSource: differenceCount === 0 && shape.populated,
    differenceCount,
    differences: result.first.map((d) => describe(shape, d)),
    keyColumns: shape.key,
    sourceRows: result.rightRows,
    populated: shape.populated,
  };
}

function describe(shape: ViewShape, d: KeyedDifference): ViewDifference {
  const shown = (values: Text[]) => (values.length === 1 ? [values[0] ?? "null"] : labelled(shape.key, values));
  const side = (rows: Text[][]) =>
    rows.length === 0 ? null : rows.map((r) => labelled(valueColumns(shape), r).join(", ")).join("; ");
  return { key: shown(d.key).join(", "), inView: side(d.left), inSource: side(d.right) };
}

const labelled = (columns: string[], values: Text[]) => columns.map((c, i) => `${c}=${values[i] ?? "null"}`);

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
export async function compareKeyed(tx: Tx, shape: ViewShape, left: string, right: string, limit: number) {
  const key = (alias: string) => textArray(shape.key, alias);
  const values = (alias: string) => textArray(valueColumns(shape), alias);
  const rows = await tx.$queryRawUnsafe<
    Array<Omit<KeyedComparison, "first"> & { in_left: boolean | null; k: Text[] | null; v: Text[] | null }>
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
       SELECT (SELECT count(*) FROM l)::int AS "leftRows", (SELECT count(*) FROM r)::int AS "rightRows",
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
  const first: KeyedDifference[] = [];
  for (const row of rows) {
    if (row.k === null || row.v === null) continue;
    let current = first[first.length - 1];
    if (!current || !sameKey(current.key, row.k)) first.push((current = { key: row.k, left: [], right: [] }));
    (row.in_left ? current.left : current.right).push(row.v);
  }
  const { leftRows, rightRows, onlyLeft, onlyRight, both } = rows[0]!;
  return { leftRows, rightRows, onlyLeft, onlyRight, both, first } satisfies KeyedComparison;
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

// The definition as the catalog holds it (pg_get_viewdef), never a copy of ours: the proof must
// follow whatever the platform's migrations made the view.
export async function readViewDefinition(tx: Tx, view: string): Promise<string> {
  const [row] = await tx.$queryRawUnsafe<Array<{ definition: string | null }>>(
    `SELECT pg_get_viewdef(to_regclass(quote_ident($1))) AS definition`,
    view,
  );
  return checkedDefinition(view, row?.definition ?? null);
}

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
