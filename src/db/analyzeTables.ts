// The planner knows nothing of freshly loaded rows until ANALYZE runs, and autovacuum, if on, lags
// a bulk load: without statistics the updater's look-up of a batch's nodes scanned all of AgentNode
// instead of using the graph index (README, Performance; PostgreSQL docs, "Populating a Database").
import { quoteIdentifier } from "./identifier.js";
import type { Tx } from "./transaction.js";

/** ANALYZE of the given tables (fixed names only) in the caller's transaction: it counts that transaction's rows. */
export async function analyzeTables(tx: Tx, tables: readonly string[]): Promise<number> {
  await tx.$executeRawUnsafe(`ANALYZE ${tables.map(quoteIdentifier).join(", ")}`);
  return tables.length;
}
