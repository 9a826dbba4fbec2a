// One descriptor per materialized view this tool knows by name: its key column's names across the
// platform's releases, the columns its samples and checks read, and those readers. A view it
// doesn't know is still refreshed, proven and compared before/after; it just gets no samples.
import type { Tx } from "../connection/transaction.js";
import { largestRatingChanges, largestRunChanges } from "./viewChanges.js";
import { checkReviewStats, checkRunCounts } from "./viewChecks.js";
import { AVG_RATING, REVIEW_COUNT, RUN_COUNT, topRatings, topRuns } from "./viewSamples.js";
import type { ViewShape } from "./viewShape.js";

export interface KnownView {
  /** Names the key column had in the platform's releases: used when the view has no unique index. */
  keys: readonly string[];
  /** Columns the readers need; the first is the count summed in the before/after report. */
  columns: readonly string[];
  top?: (tx: Tx, view: string, key: string, before?: string) => Promise<unknown[]>;
  largest?: (tx: Tx, view: string, key: string, before: string) => Promise<unknown[]>;
  /** Findings of what the view says against the rows it counts (viewChecks.ts). */
  check?: (tx: Tx, view: string, key: string) => Promise<string[]>;
}

const KNOWN_VIEWS: Record<string, KnownView> = {
  // "agentGraphId" at v0.6.44, graph_id since 2026.
  mv_agent_run_counts: {
    keys: ["agentGraphId", "graph_id"],
    columns: [RUN_COUNT],
    top: topRuns,
    largest: largestRunChanges,
    check: checkRunCounts,
  },
  mv_review_stats: {
    keys: ["storeListingId"],
    columns: [REVIEW_COUNT, AVG_RATING],
    top: topRatings,
    largest: largestRatingChanges,
    check: checkReviewStats,
  },
  // Since 2026-01-29: block suggestions from node runs of the last 14 days.
  mv_suggested_blocks: { keys: ["block_id"], columns: ["execution_count"] },
};

export const knownView = (name: string): KnownView | undefined =>
  Object.hasOwn(KNOWN_VIEWS, name) ? KNOWN_VIEWS[name] : undefined;

/** The view's key column: its single-column unique index's, else a known name; undefined when it
 *  has neither, or lacks a column its readers need. */
export function viewKey(shape: ViewShape, known: KnownView | undefined): string | undefined {
  const key =
    shape.uniqueKey && shape.key.length === 1 ? shape.key[0] : known?.keys.find((c) => shape.columns.includes(c));
  return key && (known?.columns ?? []).every((c) => shape.columns.includes(c)) ? key : undefined;
}
