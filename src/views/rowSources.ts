// The row sets compareKeyed compares, each as a query returning the view's columns as text:
// the view as stored, its definition run fresh, and the copy taken before the run wrote.
import type { ViewShape } from "./viewShape.js";
import { columnList, ident, textColumns } from "./viewSql.js";

/** The view's rows; none when it was never populated (reading it would raise an error). */
export function viewRows(shape: ViewShape): string {
  if (!shape.populated) return noRows(shape);
  return `SELECT ${textColumns(shape.columns, "v")} FROM ${ident(shape.name)} AS v`;
}

/** The rows the view's own definition gives now; `definition` is checked (readViewDefinition).
 *  The column list names the output as the view names it. */
export function definitionRows(shape: ViewShape, definition: string): string {
  return `SELECT ${textColumns(shape.columns, "d")} FROM (${definition}) AS d(${columnList(shape.columns)})`;
}

/** The rows of a temporary table of ours holding a copy of the view. */
export function tempTableRows(shape: ViewShape, table: string): string {
  return `SELECT ${textColumns(shape.columns, "b")} FROM pg_temp.${ident(table)} AS b`;
}

function noRows(shape: ViewShape): string {
  return `SELECT ${shape.columns.map((c) => `NULL::text AS ${ident(c)}`).join(", ")} WHERE false`;
}
