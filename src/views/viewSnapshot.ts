// The views as they stood when this run got the updater lock, before it wrote anything (stale or
// not: what the store showed until now). Each is copied into a temporary table dropped at the
// end of the transaction, commit or rollback. A server-side copy rather than rows held in this
// process: it costs no memory here at any view size, and the before/after comparison then runs
// in the database by key, like the proof.
import type { Tx } from "../db/prismaClient.js";
import { errorSummary, underSavepoint } from "./savepoint.js";
import { ident } from "./viewSql.js";
import { readViewShape, STORE_VIEWS, type StoreViewName, type ViewShape } from "./viewShape.js";

export interface ViewBefore {
  shape: ViewShape;
  /** The temporary table holding the copy (empty when the view was not populated). */
  table: string;
}

export type ViewsBefore =
  | { taken: true; views: Record<StoreViewName, ViewBefore> }
  | { taken: false; reason: string };

/** Throws (before any write) when a view is missing; a copy the database refuses (no TEMP
 *  privilege, say) leaves the run without its before/after report, not without its data. */
export async function snapshotStoreViews(tx: Tx): Promise<ViewsBefore> {
  const shapes: ViewShape[] = [];
  for (const name of STORE_VIEWS) shapes.push(await readViewShape(tx, name));
  const views = {} as Record<StoreViewName, ViewBefore>;
  try {
    await underSavepoint(tx, async () => {
      for (const shape of shapes) {
        const table = `atd_before_${shape.name}`;
        const view = ident(shape.name);
        // An unpopulated view can't be read: its copy is an empty table of the same columns.
        await tx.$executeRawUnsafe(
          shape.populated
            ? `CREATE TEMPORARY TABLE ${ident(table)} ON COMMIT DROP AS TABLE ${view}`
            : `CREATE TEMPORARY TABLE ${ident(table)} (LIKE ${view}) ON COMMIT DROP`,
        );
        views[shape.name] = { shape, table };
      }
    });
  } catch (error) {
    return { taken: false, reason: `could not copy the views before writing: ${errorSummary(error)}` };
  }
  return { taken: true, views };
}
