// Step 8, beyond the original: after the refresh, inside the run's transaction, each view is
// proven against its own definition read from the catalog (never a copy of ours, so it holds
// for whatever shape the platform's migrations gave it), sampled as the original prints it,
// and compared with its copy from before the run.
import type { Tx } from "../db/prismaClient.js";
import { proveView, type ViewCheck } from "./proveView.js";
import { changedRows, largestRatingChanges, largestRunChanges, type RatingChange, type RunChange, type ViewChange } from "./viewChanges.js";
import { reviewStatsRoles, runCountRoles } from "./viewRoles.js";
import { topRatings, topRuns, type TopRating, type TopRun } from "./viewSamples.js";
import { readViewShape, type StoreViewName } from "./viewShape.js";
import type { ViewsBefore } from "./viewSnapshot.js";

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
  const runRoles = runShape.populated ? runCountRoles(runShape) : undefined;
  const runBefore = copy("mv_agent_run_counts");
  const runs = {
    ...(await proveView(tx, runShape)),
    top: runRoles ? await topRuns(tx, runShape.name, runRoles, runBefore?.table) : [],
    changes: runBefore
      ? await changedRows(tx, runShape, runBefore, runRoles?.runCount,
          runRoles ? await largestRunChanges(tx, runShape.name, runRoles, runBefore.table) : [])
      : null,
  };

  const reviewShape = await readViewShape(tx, "mv_review_stats");
  const reviewRoles = reviewShape.populated ? reviewStatsRoles(reviewShape) : undefined;
  const reviewBefore = copy("mv_review_stats");
  const reviews = {
    ...(await proveView(tx, reviewShape)),
    top: reviewRoles ? await topRatings(tx, reviewShape.name, reviewRoles, reviewBefore?.table) : [],
    changes: reviewBefore
      ? await changedRows(tx, reviewShape, reviewBefore, reviewRoles?.reviewCount,
          reviewRoles ? await largestRatingChanges(tx, reviewShape.name, reviewRoles, reviewBefore.table) : [])
      : null,
  };

  return {
    runCountColumn: runCountRoles(runShape)?.key ?? null,
    mv_agent_run_counts: runs,
    mv_review_stats: reviews,
    ...(before.taken ? {} : { changesUnavailable: before.reason }),
  };
}
