// The proof that a materialized view is right: its rows equal, in both directions and with
// multiplicity, what its own definition (read from the catalog) gives when run fresh in the same
// transaction. It holds whatever formula the platform's migrations gave the view.
import type { Tx } from "../db/prismaClient.js";
import { compareKeyed, valueColumns, type KeyedDifference } from "./keyedDifferences.js";
import { definitionRows, viewRows } from "./rowSources.js";
import { readViewDefinition } from "./viewDefinition.js";
import type { ViewShape } from "./viewShape.js";

export interface ViewDifference {
  /** The key's value (the unique index's column), or `col=value, ...` for a wider key. */
  key: string;
  /** The view's row for that key as `col=value, ...` (several joined by "; "), or null: none. */
  inView: string | null;
  /** What the definition gives for that key, the same way. */
  inSource: string | null;
}

export interface ViewCheck {
  /** Rows in the view. */
  rows: number;
  /** The view equals its definition run fresh. */
  matchesSource: boolean;
  /** Keys that differ (a changed row counts once). */
  differenceCount: number;
  /** Up to 20 differing keys. */
  differences: ViewDifference[];
  /** The columns differences are keyed by: the view's unique index, else the whole row. */
  keyColumns: string[];
  /** Rows its definition gives now. */
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
  const shown = (values: Array<string | null>) => (values.length === 1 ? [values[0] ?? "null"] : labelled(shape.key, values));
  const side = (rows: Array<Array<string | null>>) =>
    rows.length === 0 ? null : rows.map((r) => labelled(valueColumns(shape), r).join(", ")).join("; ");
  return { key: shown(d.key).join(", "), inView: side(d.left), inSource: side(d.right) };
}

const labelled = (columns: string[], values: Array<string | null>) => columns.map((c, i) => `${c}=${values[i] ?? "null"}`);
