// Step 6, beyond the original: after the refresh, each view is proven against its own definition
// (see proveView.ts), sampled as the original prints it, and compared with its copy from before the run.
import { changedRows, largestRatingChanges, largestRunChanges, type RatingChange, type RunChange, type ViewChange, type ViewBefore, type ViewsBefore } from "./viewChanges.js";
import { AVG_RATING, REVIEW_COUNT, RUN_COUNT, sampleKey, topRatings, topRuns, type TopRating, type TopRun } from "./viewSamples.js";
import type { Tx } from "../db/transaction.js";
import { proveView, type ViewCheck } from "./proveView.js";
import { readViewShape, type StoreViewName, type ViewShape } from "./viewShape.js";

export type { ViewCheck, ViewDifference } from "./proveView.js";
export type { RatingChange, RunChange, ViewChange } from "./viewChanges.js";
export type { TopRating, TopRun } from "./viewSamples.js";

export interface ViewsReport {
  /** mv_agent_run_counts's key column (see sampleKey); null when it has none the samples can use. */
  runCountColumn: string | null;
  mv_agent_run_counts: ViewCheck & { top: TopRun[]; changes: ViewChange<RunChange> | null };
  mv_review_stats: ViewCheck & { top: TopRating[]; changes: ViewChange<RatingChange> | null };
  /** Why there are no before/after figures (changes: null), when the views couldn't be copied. */
  changesUnavailable?: string;
}

export async function verifyStoreViews(tx: Tx, before: ViewsBefore): Promise<ViewsReport> {
  const copy = (name: StoreViewName) => (before.taken ? before.views[name] : undefined);
  const runShape = await readViewShape(tx, "mv_agent_run_counts");
  const runKey = sampleKey(runShape, [RUN_COUNT]);
  const runs = await checkView(tx, runShape, copy(runShape.name), { key: runKey, count: RUN_COUNT, top: topRuns, largest: largestRunChanges });
  const reviewShape = await readViewShape(tx, "mv_review_stats");
  const reviewKey = sampleKey(reviewShape, [REVIEW_COUNT, AVG_RATING]);
  const reviews = await checkView(tx, reviewShape, copy(reviewShape.name), { key: reviewKey, count: REVIEW_COUNT, top: topRatings, largest: largestRatingChanges });
  return {
    runCountColumn: runKey ?? null,
    mv_agent_run_counts: runs,
    mv_review_stats: reviews,
    ...(before.taken ? {} : { changesUnavailable: before.reason }),
  };
}

/** Samples and largest changes are read by `key` (none: no samples); `count` is the column summed. */
interface SampleReaders<Top, Change> {
  key: string | undefined;
  count: string;
  top: (tx: Tx, view: string, key: string, before?: string) => Promise<Top[]>;
  largest: (tx: Tx, view: string, key: string, before: string) => Promise<Change[]>;
}

async function checkView<Top, Change>(
  tx: Tx,
  shape: ViewShape,
  before: ViewBefore | undefined,
  read: SampleReaders<Top, Change>,
): Promise<ViewCheck & { top: Top[]; changes: ViewChange<Change> | null }> {
  const proof = await proveView(tx, shape);
  // An unpopulated view can't be read: no samples.
  const key = shape.populated ? read.key : undefined;
  const top = key ? await read.top(tx, shape.name, key, before?.table) : [];
  if (!before) return { ...proof, top, changes: null };
  const largest = key ? await read.largest(tx, shape.name, key, before.table) : [];
  return { ...proof, top, changes: await changedRows(tx, shape, before, key ? read.count : undefined, largest) };
}
