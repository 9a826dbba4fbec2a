// The proof that a materialized view is right: its rows equal, both ways and with multiplicity, what
// its own definition (from the catalog) gives run fresh in the same transaction.
import type { Tx } from "../connection/transaction.js";
import { ident, type ViewShape } from "./viewShape.js";
import { CommandError } from "../shared/errors.js";

type Text = string | null;
type Counts = Record<"leftRows" | "rightRows" | "leftSum" | "rightSum" | "onlyLeft" | "onlyRight" | "both", number>;

export type ViewCheck = Awaited<ReturnType<typeof proveView>>;

const DIFFERENCES_SHOWN = 20;

export async function proveView(tx: Tx, shape: ViewShape) {
  // The definition as the catalog holds it, never a copy of ours: the proof must follow whatever the
  // platform's migrations made the view. Its column list names the output as the view does.
  const definition = `(${checkedDefinition(shape.name, shape.definition)}) x(${columnList(shape.columns)})`;
  const result = await compareKeyed(tx, shape, viewRows(shape), rowsOf(shape, definition), DIFFERENCES_SHOWN);
  const differenceCount = result.onlyLeft + result.onlyRight + result.both;
  const labelled = (columns: string[], values: Text[]) => columns.map((c, i) => `${c}=${values[i] ?? "null"}`);
  const side = (rows: Text[][] | null) =>
    rows && rows.map((r) => labelled(valueColumns(shape), r).join(", ")).join("; ");
  return {
    rows: result.leftRows,
    matchesSource: differenceCount === 0 && shape.populated,
    /** Keys that differ (a changed row counts once). */
    differenceCount,
    /** key: the key's value (the unique index's column), or `col=value, ...` for a wider key; inView,
     *  inSource: each side's row for that key as `col=value, ...` (several joined by "; "), or null: none. */
    differences: result.first.map(({ k, left_values, right_values }) => ({
      key: k.length === 1 ? (k[0] ?? "null") : labelled(shape.key, k).join(", "),
      inView: side(left_values),
      inSource: side(right_values),
    })),
    keyColumns: shape.key,
    /** Rows the definition gives now. */
    sourceRows: result.rightRows,
    /** false: the view holds no data (never refreshed): every row its definition gives is missing. */
    populated: shape.populated,
  };
}

function valueColumns(shape: ViewShape): string[] {
  const rest = shape.columns.filter((c) => !shape.key.includes(c));
  return rest.length > 0 ? rest : shape.columns;
}

/** `left`/`right`: queries returning shape.columns as text under those names (rowsOf), built from
 *  checked names or a checked definition. Counts each side's rows (and sums its column `sum`, else 0)
 *  and the keys with rows left over on one side only or on both (a changed row); `first`: the first
 *  `limit` differing keys (k), in key order, with each side's leftover rows' values (valueColumns), or null. */
export async function compareKeyed(tx: Tx, shape: ViewShape, left: string, right: string, limit: number, sum?: string) {
  const total = (side: string) =>
    sum ? `(SELECT COALESCE(SUM(x.${ident(sum)}::numeric), 0)::float8 FROM ${side} x)` : "0::float8";
  const array = (columns: readonly string[], alias: string) =>
    `ARRAY[${columns.map((c) => `${alias}.${ident(c)}`).join(", ")}]::text[]`;
  const [key, values] = [(alias: string) => array(shape.key, alias), (a: string) => array(valueColumns(shape), a)];
  const rows = await tx.$queryRawUnsafe<
    Array<Counts & { k: Text[] | null; left_values: Text[][] | null; right_values: Text[][] | null }>
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
       SELECT k, array_agg(v ORDER BY v) FILTER (WHERE in_left) AS left_values,
              array_agg(v ORDER BY v) FILTER (WHERE NOT in_left) AS right_values, dense_rank() OVER (ORDER BY k) AS n
       FROM sides GROUP BY k
     ),
     summary AS (
       SELECT (SELECT count(*) FROM l)::int AS "leftRows", (SELECT count(*) FROM r)::int AS "rightRows",
              ${total("l")} AS "leftSum", ${total("r")} AS "rightSum",
              (count(*) FILTER (WHERE right_values IS NULL))::int AS "onlyLeft",
              (count(*) FILTER (WHERE left_values IS NULL))::int AS "onlyRight",
              (count(*) FILTER (WHERE left_values IS NOT NULL AND right_values IS NOT NULL))::int AS both
       FROM keys
     )
     SELECT s.*, d.k, d.left_values, d.right_values FROM summary s LEFT JOIN keys d ON d.n <= $1 ORDER BY d.n`,
    limit,
  );
  const first = rows.flatMap(({ k, left_values, right_values }) => (k ? [{ k, left_values, right_values }] : []));
  const { leftRows, rightRows, leftSum, rightSum, onlyLeft, onlyRight, both } = rows[0]!;
  return { leftRows, rightRows, leftSum, rightSum, onlyLeft, onlyRight, both, first };
}

/** `x."a"::text AS "a", ...` from `source`, aliased x: every type has a text form (json has no equality
 *  operator), so EXCEPT ALL compares any rows; exact for the views' text, bigint and numeric (text keeps scale). */
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
  if (!QUERY_START.test(text) || /[;'"]/.test(text.replace(QUOTED, ""))) {
    throw new CommandError(`${view}: its definition in the catalog is not a single query; it was not run`);
  }
  return text;
}

/** Quoted text: '...' and "..." (a doubled quote escapes), and E'...' (a backslash escapes too) where
 *  the E doesn't end a name; a quote after such an E opens only an E'...'. Without it, a definition
 *  holds no ';' outside quotes nor a quote left open. */
const QUOTED = /(?<!\w)[eE]'(?:[^'\\]|\\.|'')*'(?!')|(?<!(?<!\w)[eE])'(?:[^']|'')*'(?!')|"(?:[^"]|"")*"(?!")/gs;
