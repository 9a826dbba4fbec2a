// SQL checks shared by the creator's and the updater's tests: facts about the data that must
// hold whatever was generated.
import { STORE_TABLES } from "../../src/db/storeTables.js";
import type { SqlSession } from "../../src/db/sqlSession.js";

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
 *  amount (from 0), never go below 0, and UserBalance must equal the last. */
export async function brokenCreditChains(sql: SqlSession): Promise<string[]> {
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
      WHERE (type IN ('TOP_UP', 'GRANT') AND amount <= 0) OR (type = 'USAGE' AND amount >= 0)
    UNION ALL SELECT c."userId", 'UserBalance ' || COALESCE(b.balance::text, 'missing') || ' <> last ' || c."runningBalance"
      FROM chain c LEFT JOIN "UserBalance" b ON b."userId" = c."userId"
      WHERE c.from_end = 1 AND b.balance IS DISTINCT FROM c."runningBalance"
    UNION ALL SELECT b."userId", 'UserBalance ' || b.balance || ' without transactions'
      FROM "UserBalance" b WHERE b.balance <> 0 AND NOT EXISTS (SELECT 1 FROM "CreditTransaction" t WHERE t."userId" = b."userId")`);
  return rows.map((r) => `${r.userId}: ${r.problem}`);
}

/** Rows where a view differs from a fresh aggregate of its source tables (spec definitions). */
export async function viewMismatches(sql: SqlSession): Promise<string[]> {
  const runs = await sql.query<{ key: string }>(`
    WITH v AS (SELECT "agentGraphId" AS key, run_count AS n FROM "mv_agent_run_counts"),
         s AS (SELECT "agentGraphId" AS key, COUNT(*) AS n FROM "AgentGraphExecution" GROUP BY 1)
    SELECT 'mv_agent_run_counts ' || COALESCE(v.key, s.key) AS key FROM v FULL JOIN s ON v.key = s.key
    WHERE v.n IS DISTINCT FROM s.n`);
  const reviews = await sql.query<{ key: string }>(`
    WITH v AS (SELECT "storeListingId" AS key, review_count AS n, avg_rating AS a FROM "mv_review_stats"),
         s AS (SELECT sl.id AS key, COUNT(sr.id) AS n, AVG(sr.score::numeric) AS a
               FROM "StoreListing" sl JOIN "StoreListingVersion" slv ON slv."storeListingId" = sl.id
               LEFT JOIN "StoreListingReview" sr ON sr."storeListingVersionId" = slv.id
               WHERE NOT sl."isDeleted" AND slv."submissionStatus" = 'APPROVED' GROUP BY sl.id)
    SELECT 'mv_review_stats ' || COALESCE(v.key, s.key) AS key FROM v FULL JOIN s ON v.key = s.key
    WHERE v.n IS DISTINCT FROM s.n OR v.a IS DISTINCT FROM s.a`);
  return [...runs, ...reviews].map((r) => r.key);
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
