// What the run changed in a view, as the platform's own check shows it (counts before and
// after): the copy taken before any write against the view after the refresh, by key.
import { compareKeyed, tempTableRows, viewRows } from "./proveView.js";
import { viewsReading } from "./dependentViews.js";
import { ident, type ViewShape } from "./viewShape.js";
import type { Tx } from "../connection/transaction.js";
import { errorSummary, underSavepoint } from "./refreshViews.js";

export interface ViewChange<Entry> {
  rowsBefore: number;
  rowsAfter: number;
  /** false: the view held no data before the run (its rows all count as added). */
  populatedBefore: boolean;
  added: number;
  removed: number;
  /** Keys whose row differs. */
  changed: number;
  /** Sums of the count column (run_count, review_count) before and after; null without one. */
  counted: { column: string; before: number; after: number } | null;
  largest: Entry[];
}

/** `count`: the column whose sum is shown (already known to exist in the view). */
export async function changedRows<E>(tx: Tx, after: ViewShape, before: ViewBefore, largest: E[], count?: string) {
  const result = await compareKeyed(tx, after, tempTableRows(before.shape, before.table), viewRows(after), 0, count);
  return {
    rowsBefore: result.leftRows,
    rowsAfter: result.rightRows,
    populatedBefore: before.shape.populated,
    added: result.onlyRight,
    removed: result.onlyLeft,
    changed: result.both,
    counted: count ? { column: count, before: result.leftSum, after: result.rightSum } : null,
    largest,
  } satisfies ViewChange<E>;
}

// The views as the store showed them (stale or not) when this run got the updater lock, before any
// write, copied into temp tables dropped at transaction end: server-side, so no memory here at any
// view size, and the before/after comparison runs in the database by key.
export interface ViewBefore {
  shape: ViewShape;
  /** The temporary table holding the copy (empty when the view was not populated). */
  table: string;
}

export interface ViewsBefore {
  /** The views the run will make stale, in refresh order (dependentViews.ts). */
  views: ViewShape[];
  /** Their copies by name; none when they couldn't be made (`reason` says why). */
  copies?: Record<string, ViewBefore>;
  reason?: string;
}

/** Before any write. A refused copy (no TEMP privilege, say) costs only the before/after report,
 *  not the run's data. */
export async function snapshotViews(tx: Tx, tables: readonly string[]): Promise<ViewsBefore> {
  const views = await viewsReading(tx, tables);
  const copies: Record<string, ViewBefore> = {};
  try {
    await underSavepoint(tx, async () => {
      for (const shape of views) {
        const table = `atd_before_${shape.name}`;
        const view = ident(shape.name);
        // An unpopulated view can't be read: its copy is an empty table of the same columns.
        await tx.$executeRawUnsafe(
          shape.populated
            ? `CREATE TEMPORARY TABLE ${ident(table)} ON COMMIT DROP AS TABLE ${view}`
            : `CREATE TEMPORARY TABLE ${ident(table)} (LIKE ${view}) ON COMMIT DROP`,
        );
        copies[shape.name] = { shape, table };
      }
    });
  } catch (error) {
    return { views, reason: `could not copy the views before writing: ${errorSummary(error)}` };
  }
  return { views, copies };
}
