// Step 5: refresh the store's views with the platform's function, else (older or hand-made schema)
// directly, else the caller warns and goes on (verification says what's stale). Each attempt runs
// under a savepoint so a failure doesn't abort the surrounding transaction.
import type { Tx } from "../db/transaction.js";

export type RefreshOutcome =
  | { method: "function" }
  | { method: "direct"; reason: string }
  | { method: "failed"; reason: string };

export const MANUAL_REFRESH = "SELECT refresh_store_materialized_views();";

export async function refreshStoreViews(tx: Tx): Promise<RefreshOutcome> {
  const [fn] = await tx.$queryRaw<Array<{ exists: boolean }>>`
    SELECT to_regprocedure('refresh_store_materialized_views()') IS NOT NULL AS "exists"`;
  let reason = "refresh_store_materialized_views() does not exist in this schema";
  if (fn?.exists) {
    try {
      await underSavepoint(tx, () => tx.$executeRaw`SELECT refresh_store_materialized_views()`);
      return { method: "function" };
    } catch (error) {
      reason = `refresh_store_materialized_views() failed: ${errorSummary(error)}`;
    }
  }
  try {
    await underSavepoint(tx, async () => {
      await tx.$executeRaw`REFRESH MATERIALIZED VIEW "mv_agent_run_counts"`;
      await tx.$executeRaw`REFRESH MATERIALIZED VIEW "mv_review_stats"`;
    });
    return { method: "direct", reason };
  } catch (error) {
    return { method: "failed", reason: `${reason}; refreshing the views directly failed too: ${errorSummary(error)}` };
  }
}

// On failure, rolls back to the savepoint (the transaction goes on) and rethrows for the caller to judge.
export async function underSavepoint(tx: Tx, work: () => Promise<unknown>): Promise<void> {
  await tx.$executeRaw`SAVEPOINT store_views`;
  try {
    await work();
    await tx.$executeRaw`RELEASE SAVEPOINT store_views`;
  } catch (error) {
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT store_views`;
    throw error;
  }
}

/** The last non-empty line of an error's message: PostgreSQL's own words, without context lines. */
export const errorSummary = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split("\n").filter(Boolean).pop() ?? "unknown error";
