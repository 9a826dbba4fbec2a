// What the run changed in a view, as the platform's own check shows it (counts before and
// after): the copy taken before any write against the view after the refresh, by key.
import { compareKeyed, tempTableRows, viewRows } from "./proveView.js";
import { viewsReading } from "./dependentViews.js";
import { ident, type ViewShape } from "./viewShape.js";
import type { Tx } from "../connection/transaction.js";
import { errorSummary, underSavepoint } from "./refreshViews.js";

export type ViewChange<Entry> = Awaited<ReturnType<typeof changedRows<Entry>>>;

/** `count`: the column whose sum is shown (already known to exist in the view). */
export async function changedRows<E>(tx: Tx, after: ViewShape, before: ViewShape, largest: E[], count?: string) {
  const copy = tempTableRows(before, copyTable(before.name));
  const result = await compareKeyed(tx, after, copy, viewRows(after), 0, count);
  return {
    rowsBefore: result.leftRows,
    rowsAfter: result.rightRows,
    /** false: the view held no data before the run (its rows all count as added). */
    populatedBefore: before.populated,
    added: result.onlyRight,
    removed: result.onlyLeft,
    /** Keys whose row differs. */
    changed: result.both,
    /** Sums of the count column (run_count, review_count) before and after; null without one. */
    counted: count ? { column: count, before: result.leftSum, after: result.rightSum } : null,
    largest,
  };
}

// The views as the store showed them (stale or not) when this run got the updater lock, copied into
// temp tables: server-side, so no memory here at any view size, and compared in the database by key.
export interface ViewsBefore {
  /** The views the run will make stale, in refresh order (dependentViews.ts), as they were then. */
  views: ViewShape[];
  /** All copied (copyTable); not when they couldn't be (`reason` says why). */
  copied?: boolean;
  reason?: string;
}

export const copyTable = (view: string) => `atd_before_${view}`;

/** Before any write. A refused copy (no TEMP privilege, say) costs only the before/after report. */
export async function snapshotViews(tx: Tx, tables: readonly string[]): Promise<ViewsBefore> {
  const views = await viewsReading(tx, tables);
  try {
    await underSavepoint(tx, async () => {
      for (const shape of views) {
        const [table, view] = [ident(copyTable(shape.name)), ident(shape.name)];
        // An unpopulated view can't be read: its copy is an empty table of the same columns.
        await tx.$executeRawUnsafe(
          shape.populated
            ? `CREATE TEMPORARY TABLE ${table} ON COMMIT DROP AS TABLE ${view}`
            : `CREATE TEMPORARY TABLE ${table} (LIKE ${view}) ON COMMIT DROP`,
        );
      }
    });
  } catch (error) {
    return { views, reason: `could not copy the views before writing: ${errorSummary(error)}` };
  }
  return { views, copied: true };
}
