// The proof that a materialized view is right: its rows equal, both ways and with multiplicity,
// what its own definition (from the catalog) gives run fresh in the same transaction.
import { compareKeyed, definitionRows, valueColumns, viewRows, type KeyedDifference } from "./keyedDifferences.js";
import type { Tx } from "../connection/transaction.js";
import type { ViewShape } from "./viewShape.js";
import { CommandError } from "../shared/errors.js";

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
  const shown = (values: Array<string | null>) =>
    values.length === 1 ? [values[0] ?? "null"] : labelled(shape.key, values);
  const side = (rows: Array<Array<string | null>>) =>
    rows.length === 0 ? null : rows.map((r) => labelled(valueColumns(shape), r).join(", ")).join("; ");
  return { key: shown(d.key).join(", "), inView: side(d.left), inSource: side(d.right) };
}

const labelled = (columns: string[], values: Array<string | null>) =>
  columns.map((c, i) => `${c}=${values[i] ?? "null"}`);

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
