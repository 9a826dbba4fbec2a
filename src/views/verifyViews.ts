// Step 8, beyond the original: each view is compared with a fresh aggregate of its source tables,
// row by row, and any difference is reported. The views' definitions are the platform's:
// mv_agent_run_counts counts every run per graph ("agentGraphId"), or, in the 2026 shape
// (column graph_id), every run not made by the graph's owner.
import { CommandError } from "../cli/errors.js";
import type { Tx } from "../db/prismaClient.js";

export interface ViewDifference {
  key: string;
  inView: string | null;
  inSource: string | null;
}
export interface ViewCheck {
  rows: number;
  matchesSource: boolean;
  differenceCount: number;
  /** Up to 20 differing rows. */
  differences: ViewDifference[];
}
export interface TopRun {
  graphId: string;
  runCount: number;
}
export interface TopRating {
  storeListingId: string;
  avgRating: number;
  reviewCount: number;
}
export interface ViewsReport {
  runCountColumn: RunCountColumn;
  mv_agent_run_counts: ViewCheck & { top: TopRun[] };
  mv_review_stats: ViewCheck & { top: TopRating[] };
}

type RunCountColumn = "agentGraphId" | "graph_id";

const FRESH_RUN_COUNTS: Record<RunCountColumn, string> = {
  agentGraphId: `SELECT "agentGraphId" AS key, COUNT(*) AS n FROM "AgentGraphExecution" GROUP BY "agentGraphId"`,
  graph_id: `SELECT e."agentGraphId" AS key, COUNT(*) AS n
             FROM "AgentGraphExecution" e
             JOIN "AgentGraph" g ON g."id" = e."agentGraphId" AND g."version" = e."agentGraphVersion"
             WHERE e."userId" <> g."userId"
             GROUP BY e."agentGraphId"`,
};

const FRESH_REVIEW_STATS = `
  SELECT sl."id" AS key, COUNT(sr."id") AS review_count, AVG(sr."score"::numeric) AS avg_rating
  FROM "StoreListing" sl
  JOIN "StoreListingVersion" slv ON slv."storeListingId" = sl."id"
  LEFT JOIN "StoreListingReview" sr ON sr."storeListingVersionId" = slv."id"
  WHERE sl."isDeleted" = false AND slv."submissionStatus" = 'APPROVED'
  GROUP BY sl."id"`;

export async function verifyStoreViews(tx: Tx): Promise<ViewsReport> {
  const column = await runCountColumn(tx);
  await requireView(tx, "mv_review_stats");
  // The identifiers below come from the fixed lists above, never from input.
  const runs = await compare(
    tx,
    `SELECT "${column}"::text AS key, run_count::text AS val FROM "mv_agent_run_counts"`,
    `SELECT key::text, n::text AS val FROM (${FRESH_RUN_COUNTS[column]}) s`,
  );
  const reviews = await compare(
    tx,
    `SELECT "storeListingId"::text AS key, review_count || ' reviews, avg ' || COALESCE(avg_rating::text, 'null') AS val FROM "mv_review_stats"`,
    `SELECT key::text, review_count || ' reviews, avg ' || COALESCE(avg_rating::text, 'null') AS val FROM (${FRESH_REVIEW_STATS}) s`,
  );
  const topRuns = await tx.$queryRawUnsafe<Array<{ graphId: string; runCount: number }>>(
    `SELECT "${column}" AS "graphId", run_count::int AS "runCount" FROM "mv_agent_run_counts"
     ORDER BY run_count DESC, "${column}" LIMIT 5`,
  );
  const topRatings = await tx.$queryRaw<TopRating[]>`
    SELECT "storeListingId", COALESCE(avg_rating, 0)::float8 AS "avgRating", review_count::int AS "reviewCount"
    FROM "mv_review_stats" ORDER BY avg_rating DESC NULLS LAST, "storeListingId" LIMIT 5`;
  return {
    runCountColumn: column,
    mv_agent_run_counts: { ...runs, top: topRuns },
    mv_review_stats: { ...reviews, top: topRatings },
  };
}

async function runCountColumn(tx: Tx): Promise<RunCountColumn> {
  await requireView(tx, "mv_agent_run_counts");
  const columns = await tx.$queryRaw<Array<{ name: string }>>`
    SELECT attname AS name FROM pg_attribute
    WHERE attrelid = to_regclass('mv_agent_run_counts') AND attnum > 0 AND NOT attisdropped`;
  const names = new Set(columns.map((c) => c.name));
  if (names.has("agentGraphId")) return "agentGraphId";
  if (names.has("graph_id")) return "graph_id";
  throw new CommandError('mv_agent_run_counts has neither an "agentGraphId" nor a graph_id column: unknown view shape');
}

async function requireView(tx: Tx, name: string): Promise<void> {
  const [row] = await tx.$queryRaw<Array<{ found: boolean }>>`SELECT to_regclass(${name}) IS NOT NULL AS found`;
  if (!row?.found) {
    throw new CommandError(`materialized view ${name} is missing: migrate the database first (npm run db:migrate)`);
  }
}

/** Full outer join of view and fresh aggregate on the key; any row whose value differs counts. */
async function compare(tx: Tx, viewSql: string, sourceSql: string): Promise<ViewCheck> {
  const rows = await tx.$queryRawUnsafe<Array<ViewDifference & { total: number; viewRows: number }>>(`
    WITH v AS (${viewSql}), s AS (${sourceSql}),
    diff AS (
      SELECT COALESCE(v.key, s.key) AS key, v.val AS "inView", s.val AS "inSource"
      FROM v FULL JOIN s ON v.key = s.key
      WHERE v.val IS DISTINCT FROM s.val
    )
    SELECT d.*, (SELECT COUNT(*)::int FROM diff) AS total, (SELECT COUNT(*)::int FROM v) AS "viewRows"
    FROM (SELECT 1) one
    LEFT JOIN (SELECT * FROM diff ORDER BY key LIMIT 20) d ON true`);
  const first = rows[0];
  const differences = rows.filter((r) => r.key !== null).map(({ key, inView, inSource }) => ({ key, inView, inSource }));
  return {
    rows: first?.viewRows ?? 0,
    matchesSource: (first?.total ?? 0) === 0,
    differenceCount: first?.total ?? 0,
    differences,
  };
}
