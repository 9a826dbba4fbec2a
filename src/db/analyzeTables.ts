// PostgreSQL's planner knows nothing of freshly loaded rows until ANALYZE has run. Autovacuum
// does it eventually, but it may be off and it lags a bulk load: with no statistics, the
// updater's look-up of a batch's nodes scanned all of AgentNode in id order instead of using the
// graph index (README, Performance). PostgreSQL's guide to populating a database says the same:
// run ANALYZE after loading. It may run inside a transaction, and counts
// the rows that transaction has written.
import { quoteIdentifier } from "./identifier.js";
import type { Tx } from "./transaction.js";

/** ANALYZE of the given tables (fixed names only), in the caller's transaction. */
export async function analyzeTables(tx: Tx, tables: readonly string[]): Promise<number> {
  await tx.$executeRawUnsafe(`ANALYZE ${tables.map(quoteIdentifier).join(", ")}`);
  return tables.length;
}
