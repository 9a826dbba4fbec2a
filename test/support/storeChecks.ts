// SQL checks shared by the creator's and the updater's tests: facts about the data that must
// hold whatever was generated.
import { STORE_TABLES } from "../../src/schema/storeSchemas.js";
import type { SqlSession } from "../../src/connection/sqlSession.js";
import {
  expectedReviewStats,
  expectedRunCounts,
  mapDifferences,
  runCountShape,
  sameReviewStat,
  viewReviewStats,
  viewRunCounts,
} from "./viewExpectations.js";

/** The spec's tables (../shared/spec/autogpt-schema.md). */
export const TABLES = STORE_TABLES;

/** Row count of every table and both views. */
export async function tableCounts(sql: SqlSession): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [...TABLES, "mv_agent_run_counts", "mv_review_stats"]) {
    const [row] = await sql.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "${table}"`);
    counts[table] = row!.n;
  }
  return counts;
}

/** Users whose credit chain is broken: each runningBalance must equal the previous one plus the
 *  amount (from 0), never go below 0, and UserBalance (where the table exists: older platform
 *  releases have none) must equal the last. */
export async function brokenCreditChains(sql: SqlSession): Promise<string[]> {
  const [found] = await sql.query<{ exists: boolean }>(`SELECT to_regclass('"UserBalance"') IS NOT NULL AS exists`);
  const balanceChecks = found?.exists
    ? `
    UNION ALL SELECT c."userId", 'UserBalance ' || COALESCE(b.balance::text, 'missing') || ' <> last ' || c."runningBalance"
      FROM chain c LEFT JOIN "UserBalance" b ON b."userId" = c."userId"
      WHERE c.from_end = 1 AND b.balance IS DISTINCT FROM c."runningBalance"
    UNION ALL SELECT b."userId", 'UserBalance ' || b.balance || ' without transactions'
      FROM "UserBalance" b WHERE b.balance <> 0 AND NOT EXISTS (SELECT 1 FROM "CreditTransaction" t WHERE t."userId" = b."userId")`
    : "";
  const rows = await sql.query<{ userId: string; problem: string }>(`
    WITH chain AS (
      SELECT "userId", amount, "runningBalance", type,
             SUM(amount) OVER (PARTITION BY "userId" ORDER BY "createdAt", "transactionKey") AS expected,
             ROW_NUMBER() OVER (PARTITION BY "userId" ORDER BY "createdAt" DESC, "transactionKey" DESC) AS from_end
      FROM "CreditTransaction"
    )
    SELECT "userId", 'runningBalance ' || "runningBalance" || ' <> ' || expected AS problem FROM chain WHERE "runningBalance" IS DISTINCT FROM expected
    UNION ALL SELECT "userId", 'negative balance' FROM chain WHERE "runningBalance" < 0
    UNION ALL SELECT "userId", 'wrong sign for ' || type FROM chain
      WHERE (type IN ('TOP_UP', 'GRANT') AND amount <= 0) OR (type = 'USAGE' AND amount >= 0)${balanceChecks}`);
  return rows.map((r) => `${r.userId}: ${r.problem}`);
}

/** Node runs that break their run: a node of another graph (id and version), another status, or
 *  times outside the run's window. All node runs, or those of `runIds`. */
export async function nodeRunsOutsideTheirRun(sql: SqlSession, runIds?: readonly string[]): Promise<string[]> {
  // endedAt read through to_jsonb: platform releases before mid-2025 have no such column (then no end to check).
  const rows = await sql.query<{ problem: string }>(
    `
    WITH e AS (SELECT x.id, x."agentGraphId", x."agentGraphVersion", x."executionStatus", x."startedAt",
                      (to_jsonb(x)->>'endedAt')::timestamp AS "endedAt", to_jsonb(x) ? 'endedAt' AS has_end FROM "AgentGraphExecution" x)
    SELECT ne.id || ': ' || CASE
      WHEN n."agentGraphId" <> e."agentGraphId" OR n."agentGraphVersion" <> e."agentGraphVersion" THEN 'node of another graph'
      WHEN ne."executionStatus" <> e."executionStatus" THEN 'status differs from the run'
      WHEN ne."addedTime" < e."startedAt" OR ne."startedTime" < ne."addedTime" THEN 'starts before the run'
      WHEN e."endedAt" IS NOT NULL AND (ne."endedTime" IS NULL OR ne."endedTime" > e."endedAt" OR ne."endedTime" < ne."startedTime") THEN 'ends outside the run'
      WHEN e."endedAt" IS NULL AND e.has_end AND ne."endedTime" IS NOT NULL THEN 'ended inside a running run'
      END AS problem
    FROM "AgentNodeExecution" ne
    JOIN e ON e.id = ne."agentGraphExecutionId"
    JOIN "AgentNode" n ON n.id = ne."agentNodeId"
    WHERE $1::text[] IS NULL OR e.id = ANY($1::text[])`,
    [runIds ? [...runIds] : null],
  );
  return rows.map((r) => r.problem).filter((p) => p !== null); // NULL: nothing wrong
}

/** Keys where a view differs from what its rows should be, computed in TypeScript from the base
 *  tables (see viewExpectations.ts): "view key: in view | expected". */
export async function viewMismatches(sql: SqlSession): Promise<string[]> {
  const runs = mapDifferences(
    await viewRunCounts(sql),
    await expectedRunCounts(sql, await runCountShape(sql)),
    (a, b) => a === b,
  );
  const reviews = mapDifferences(await viewReviewStats(sql), await expectedReviewStats(sql), sameReviewStat);
  return [...runs.map((d) => `mv_agent_run_counts ${d}`), ...reviews.map((d) => `mv_review_stats ${d}`)];
}

/** The enum types in `schema`, by name, each with its labels in declaration order. */
export async function schemaEnums(sql: SqlSession, schema: string): Promise<Array<{ name: string; values: string[] }>> {
  return sql.query<{ name: string; values: string[] }>(
    `SELECT t.typname AS name,
            ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)::text[] AS values
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = $1 AND t.typtype = 'e' ORDER BY 1`,
    [schema],
  );
}
