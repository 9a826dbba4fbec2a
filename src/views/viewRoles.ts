// Which columns of a store view the samples and the before/after lists read. The key comes from
// the catalog (the view's unique index), so both shapes of mv_agent_run_counts are read alike:
// "agentGraphId" (v0.6.44) and graph_id (2026). A view lacking a column these lists need gets
// no samples; its proof and its changed-row counts don't depend on them.
import type { ViewShape } from "./viewShape.js";

export interface RunCountRoles {
  key: string;
  runCount: "run_count";
}

export interface ReviewStatsRoles {
  key: string;
  reviewCount: "review_count";
  avgRating: "avg_rating";
}

/** Names the key column had in the platform's releases: used when the view has no unique index. */
const KNOWN_KEYS = { mv_agent_run_counts: ["agentGraphId", "graph_id"], mv_review_stats: ["storeListingId"] };

function keyColumn(shape: ViewShape): string | undefined {
  if (shape.uniqueKey && shape.key.length === 1) return shape.key[0];
  return KNOWN_KEYS[shape.name].find((c) => shape.columns.includes(c));
}

export function runCountRoles(shape: ViewShape): RunCountRoles | undefined {
  const key = keyColumn(shape);
  return key && shape.columns.includes("run_count") ? { key, runCount: "run_count" } : undefined;
}

export function reviewStatsRoles(shape: ViewShape): ReviewStatsRoles | undefined {
  const key = keyColumn(shape);
  const has = (c: string) => shape.columns.includes(c);
  return key && has("review_count") && has("avg_rating") ? { key, reviewCount: "review_count", avgRating: "avg_rating" } : undefined;
}
