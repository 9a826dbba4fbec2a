// What the two store views should hold, computed here in TypeScript from base-table rows, for the
// shapes these tests know: an independent check that copies no view's SQL. The counts follow
// ../../../shared/spec/autogpt-schema.md ("Materialized views and their refresh").
import type { SqlSession } from "../../src/connection/sqlSession.js";

export type RunCountShape = "agentGraphId" | "graph_id";

export interface ReviewStat {
  reviewCount: number;
  /** null: an approved listing without reviews. */
  avgRating: number | null;
}

/**
 * Runs per graph id. "agentGraphId" (v0.6.44): every run. graph_id (2026): runs by anyone but
 * the graph's owner, the run matched to the graph's rows by id alone, so it counts once per
 * version row (each row's owner judged on its own).
 */
export async function expectedRunCounts(sql: SqlSession, shape: RunCountShape): Promise<Map<string, number>> {
  const runs = await sql.query<{ graph: string; user: string }>(
    `SELECT "agentGraphId" AS graph, "userId" AS user FROM "AgentGraphExecution"`,
  );
  const counts = new Map<string, number>();
  const add = (graph: string, n: number) => n > 0 && counts.set(graph, (counts.get(graph) ?? 0) + n);
  if (shape === "agentGraphId") {
    for (const run of runs) add(run.graph, 1);
    return counts;
  }
  const owners = new Map<string, string[]>();
  for (const g of await sql.query<{ id: string; owner: string }>(`SELECT id, "userId" AS owner FROM "AgentGraph"`)) {
    owners.set(g.id, [...(owners.get(g.id) ?? []), g.owner]);
  }
  for (const run of runs) add(run.graph, (owners.get(run.graph) ?? []).filter((owner) => owner !== run.user).length);
  return counts;
}

/** Per live listing with an APPROVED version: its reviews on APPROVED versions, counted and averaged. */
export async function expectedReviewStats(sql: SqlSession): Promise<Map<string, ReviewStat>> {
  const listings = new Set(
    (await sql.query<{ id: string }>(`SELECT id FROM "StoreListing" WHERE NOT "isDeleted"`)).map((l) => l.id),
  );
  const approved = new Map<string, string>(); // version id -> listing id
  for (const v of await sql.query<{ id: string; listing: string; status: string }>(
    `SELECT id, "storeListingId" AS listing, "submissionStatus"::text AS status FROM "StoreListingVersion"`,
  )) {
    if (v.status === "APPROVED" && listings.has(v.listing)) approved.set(v.id, v.listing);
  }
  const sums = new Map<string, { n: number; sum: number }>();
  for (const listing of approved.values()) sums.set(listing, { n: 0, sum: 0 });
  for (const r of await sql.query<{ version: string; score: number }>(
    `SELECT "storeListingVersionId" AS version, score FROM "StoreListingReview"`,
  )) {
    const listing = approved.get(r.version);
    if (listing === undefined) continue;
    const s = sums.get(listing)!;
    s.n += 1;
    s.sum += r.score;
  }
  return new Map([...sums].map(([id, s]) => [id, { reviewCount: s.n, avgRating: s.n === 0 ? null : s.sum / s.n }]));
}

/** The run-count view's key column, as the catalog has it. */
export async function runCountShape(sql: SqlSession): Promise<RunCountShape> {
  const rows = await sql.query<{ name: string }>(
    `SELECT attname::text AS name FROM pg_attribute WHERE attrelid = to_regclass('mv_agent_run_counts') AND attnum > 0 AND NOT attisdropped`,
  );
  const names = rows.map((r) => r.name);
  if (names.includes("agentGraphId")) return "agentGraphId";
  if (names.includes("graph_id")) return "graph_id";
  throw new Error(`mv_agent_run_counts has an unknown shape: ${names.join(", ")}`);
}

/** The run-count view as stored. */
export async function viewRunCounts(sql: SqlSession): Promise<Map<string, number>> {
  const key = await runCountShape(sql);
  const rows = await sql.query<{ key: string; n: string }>(
    `SELECT "${key}" AS key, run_count::text AS n FROM "mv_agent_run_counts"`,
  );
  return new Map(rows.map((r) => [r.key, Number(r.n)]));
}

/** The review view as stored. */
export async function viewReviewStats(sql: SqlSession): Promise<Map<string, ReviewStat>> {
  const rows = await sql.query<{ key: string; n: string; avg: string | null }>(
    `SELECT "storeListingId" AS key, review_count::text AS n, avg_rating::text AS avg FROM "mv_review_stats"`,
  );
  return new Map(
    rows.map((r) => [r.key, { reviewCount: Number(r.n), avgRating: r.avg === null ? null : Number(r.avg) }]),
  );
}

/** Keys whose value differs between two maps, as "key: left | right" ("none" for a missing one). */
export function mapDifferences<V>(
  left: Map<string, V>,
  right: Map<string, V>,
  same: (a: V, b: V) => boolean,
): string[] {
  const show = (v: V | undefined) => (v === undefined ? "none" : JSON.stringify(v));
  const out: string[] = [];
  for (const key of new Set([...left.keys(), ...right.keys()])) {
    const [a, b] = [left.get(key), right.get(key)];
    if (a === undefined || b === undefined || !same(a, b)) out.push(`${key}: ${show(a)} | ${show(b)}`);
  }
  return out.sort();
}

/** Two review stats agree (the view's numeric average against a float computed here). */
export const sameReviewStat = (a: ReviewStat, b: ReviewStat) =>
  a.reviewCount === b.reviewCount &&
  (a.avgRating === null || b.avgRating === null
    ? a.avgRating === b.avgRating
    : Math.abs(a.avgRating - b.avgRating) < 1e-9);
