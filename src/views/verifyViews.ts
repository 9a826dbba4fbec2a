// Step 6, beyond the original: after the refresh, inside the run's transaction, each view is
// proven against its own definition read from the catalog (never a copy of ours, so it holds
// for whatever shape the platform's migrations gave it), sampled as the original prints it,
// and compared with its copy from before the run.
import { changedRows, largestRatingChanges, largestRunChanges, type RatingChange, type RunChange, type ViewChange, type ViewBefore, type ViewsBefore } from "./viewChanges.js";
import { reviewStatsRoles, runCountRoles, topRatings, topRuns, type TopRating, type TopRun } from "./viewSamples.js";
import type { Tx } from "../db/transaction.js";
import { proveView, type ViewCheck } from "./proveView.js";
import { readViewShape, type StoreViewName, type ViewShape } from "./viewShape.js";

export type { ViewCheck, ViewDifference } from "./proveView.js";
export type { RatingChange, RunChange, ViewChange } from "./viewChanges.js";
export type { TopRating, TopRun } from "./viewSamples.js";

export interface ViewsReport {
  /** mv_agent_run_counts's key column, from the catalog ("agentGraphId", or graph_id in the
   *  2026 shape); null when it has none the samples can use. */
  runCountColumn: string | null;
  mv_agent_run_counts: ViewCheck & { top: TopRun[]; changes: ViewChange<RunChange> | null };
  mv_review_stats: ViewCheck & { top: TopRating[]; changes: ViewChange<RatingChange> | null };
  /** Why there are no before/after figures (changes: null), when the views couldn't be copied. */
  changesUnavailable?: string;
}

export async function verifyStoreViews(tx: Tx, before: ViewsBefore): Promise<ViewsReport> {
  const copy = (name: StoreViewName) => (before.taken ? before.views[name] : undefined);
  const runShape = await readViewShape(tx, "mv_agent_run_counts");
  const runs = await checkView(tx, runShape, copy(runShape.name), runShape.populated ? runCountRoles(runShape) : undefined, {
    count: (roles) => roles.runCount,
    top: topRuns,
    largest: largestRunChanges,
  });
  const reviewShape = await readViewShape(tx, "mv_review_stats");
  const reviews = await checkView(tx, reviewShape, copy(reviewShape.name), reviewShape.populated ? reviewStatsRoles(reviewShape) : undefined, {
    count: (roles) => roles.reviewCount,
    top: topRatings,
    largest: largestRatingChanges,
  });
  return {
    runCountColumn: runCountRoles(runShape)?.key ?? null,
    mv_agent_run_counts: runs,
    mv_review_stats: reviews,
    ...(before.taken ? {} : { changesUnavailable: before.reason }),
  };
}

/** How one view's samples and largest changes are read, given the columns it plays them with. */
interface SampleReaders<Roles, Top, Change> {
  count: (roles: Roles) => string;
  top: (tx: Tx, view: string, roles: Roles, before?: string) => Promise<Top[]>;
  largest: (tx: Tx, view: string, roles: Roles, before: string) => Promise<Change[]>;
}

/** The proof, the samples and (with a copy from before the run) what changed, for one view. */
async function checkView<Roles, Top, Change>(
  tx: Tx,
  shape: ViewShape,
  before: ViewBefore | undefined,
  roles: Roles | undefined,
  read: SampleReaders<Roles, Top, Change>,
): Promise<ViewCheck & { top: Top[]; changes: ViewChange<Change> | null }> {
  const proof = await proveView(tx, shape);
  const top = roles ? await read.top(tx, shape.name, roles, before?.table) : [];
  if (!before) return { ...proof, top, changes: null };
  const largest = roles ? await read.largest(tx, shape.name, roles, before.table) : [];
  return { ...proof, top, changes: await changedRows(tx, shape, before, roles ? read.count(roles) : undefined, largest) };
}
