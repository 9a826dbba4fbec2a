// Step 7 of the design: refresh the store's materialized views. The platform's function comes
// first; if the database lacks it (an older or hand-made schema), the two views are refreshed
// directly; if that fails too, the caller warns and goes on (verification then says what's stale).
// Each attempt runs under a savepoint so a failure doesn't abort the surrounding transaction.
import type { Tx } from "../db/prismaClient.js";
import { errorSummary, underSavepoint } from "./savepoint.js";

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
