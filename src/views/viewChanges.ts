// What the run changed in a view, as the platform's own check shows it (counts before and
// after): the copy taken before any write against the view after the refresh, by key.
import { compareKeyed, tempTableRows, viewRows } from "./keyedDifferences.js";
import {
  AVG_RATING,
  graphNameSql,
  graphSlugSql,
  listingGraphSql,
  listingSlugSql,
  REVIEW_COUNT,
  RUN_COUNT,
  SAMPLE_SIZE,
} from "./viewSamples.js";
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

export interface RunChange {
  graphId: string;
  name: string | null;
  slug: string | null;
  /** null: no row on that side. */
  runCountBefore: number | null;
  runCount: number | null;
}

export interface RatingChange {
  storeListingId: string;
  name: string | null;
  slug: string | null;
  /** null: no row on that side; a row without reviews shows 0, as the samples do. */
  avgRatingBefore: number | null;
  reviewCountBefore: number | null;
  avgRating: number | null;
  reviewCount: number | null;
}

/** `countColumn`: the column whose sum is shown (already known to exist in the view). */
export async function changedRows<Entry>(
  tx: Tx,
  after: ViewShape,
  before: ViewBefore,
  countColumn: string | undefined,
  largest: Entry[],
): Promise<ViewChange<Entry>> {
  const result = await compareKeyed(tx, after, tempTableRows(before.shape, before.table), viewRows(after), 0);
  return {
    rowsBefore: result.leftRows,
    rowsAfter: result.rightRows,
    populatedBefore: before.shape.populated,
    added: result.onlyRight,
    removed: result.onlyLeft,
    changed: result.both,
    counted: countColumn ? { column: countColumn, ...(await sums(tx, after, before, countColumn)) } : null,
    largest,
  };
}

async function sums(
  tx: Tx,
  after: ViewShape,
  before: ViewBefore,
  column: string,
): Promise<{ before: number; after: number }> {
  const c = ident(column);
  const total = (rows: string) => `(SELECT COALESCE(SUM(x.${c}::numeric), 0)::float8 FROM (${rows}) x)`;
  const [row] = await tx.$queryRawUnsafe<Array<{ before: number; after: number }>>(
    `SELECT ${total(tempTableRows(before.shape, before.table))} AS before, ${total(viewRows(after))} AS after`,
  );
  return row!;
}

export function largestRunChanges(tx: Tx, view: string, key: string, before: string): Promise<RunChange[]> {
  const k = ident(key);
  const n = ident(RUN_COUNT);
  const id = `COALESCE(v.${k}, b.${k})::text`;
  return tx.$queryRawUnsafe<RunChange[]>(
    `SELECT ${id} AS "graphId", ${graphNameSql(id)} AS "name", ${graphSlugSql(id)} AS "slug",
            b.${n}::int AS "runCountBefore", v.${n}::int AS "runCount"
     FROM ${ident(view)} v FULL JOIN pg_temp.${ident(before)} b ON b.${k} = v.${k}
     WHERE v.${n} IS DISTINCT FROM b.${n}
     ORDER BY abs(COALESCE(v.${n}, 0) - COALESCE(b.${n}, 0)) DESC, 1 LIMIT $1`,
    SAMPLE_SIZE,
  );
}

export function largestRatingChanges(tx: Tx, view: string, key: string, before: string): Promise<RatingChange[]> {
  const k = ident(key);
  const a = ident(AVG_RATING);
  const c = ident(REVIEW_COUNT);
  const id = `COALESCE(v.${k}, b.${k})::text`;
  const rating = (side: string) =>
    `CASE WHEN ${side}.${k} IS NULL THEN NULL ELSE COALESCE(${side}.${a}, 0)::float8 END`;
  return tx.$queryRawUnsafe<RatingChange[]>(
    `SELECT ${id} AS "storeListingId", ${graphNameSql(listingGraphSql(id))} AS "name", ${listingSlugSql(id)} AS "slug",
            ${rating("b")} AS "avgRatingBefore", b.${c}::int AS "reviewCountBefore",
            ${rating("v")} AS "avgRating", v.${c}::int AS "reviewCount"
     FROM ${ident(view)} v FULL JOIN pg_temp.${ident(before)} b ON b.${k} = v.${k}
     WHERE (v.${c}, v.${a}) IS DISTINCT FROM (b.${c}, b.${a})
     ORDER BY abs(COALESCE(v.${c}, 0) - COALESCE(b.${c}, 0)) DESC, abs(COALESCE(v.${a}, 0) - COALESCE(b.${a}, 0)) DESC, 1
     LIMIT $1`,
    SAMPLE_SIZE,
  );
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

/** Before any write. A refused copy (no TEMP privilege, say) costs only the before/after report, not the run's data. */
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
