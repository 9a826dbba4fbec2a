// PostgreSQL's "Populating a Database" advice for a bulk load, in the caller's transaction. Until ANALYZE runs
// the planner knows nothing of fresh rows (autovacuum lags a bulk load): the updater's look-up of a batch's nodes
// then scanned all of AgentNode. A foreign key checked per row costs a look-up per row and key (a third of a COPY
// restore of the creator's rows, README, Performance); added after the data, as pg_restore does, one join checks it.
import { quoteIdentifier } from "../shared/identifier.js";
import type { Tx } from "../connection/transaction.js";

/** ANALYZE of the given tables (fixed names only) in the caller's transaction: it counts that transaction's rows. */
export async function analyzeTables(tx: Tx, tables: readonly string[]): Promise<number> {
  await tx.$executeRawUnsafe(`ANALYZE ${tables.map(quoteIdentifier).join(", ")}`);
  return tables.length;
}

/** Drops the foreign keys of `tables` (fixed names, in the target's schema); `addBack` adds them as the catalog
 *  defined them, checking every row at once. In the caller's transaction: a failure or rollback brings the keys
 *  back; until it commits, the tables and those they refer to are locked for others. */
export async function dropForeignKeys(tx: Tx, tables: readonly string[]): Promise<{ addBack: () => Promise<number> }> {
  const keys = await tx.$queryRaw<{ table: string; name: string; definition: string }[]>`
    SELECT c.relname AS "table", k.conname AS name, pg_get_constraintdef(k.oid) AS definition
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
    WHERE k.contype = 'f' AND k.convalidated AND c.relname = ANY(${tables})
      AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
    ORDER BY c.relname, k.conname`;
  for (const key of keys) {
    if (!key.definition.startsWith("FOREIGN KEY ("))
      throw new Error(`unexpected definition of ${key.name}: ${key.definition}`);
    await tx.$executeRawUnsafe(
      `ALTER TABLE ${quoteIdentifier(key.table)} DROP CONSTRAINT ${quoteIdentifier(key.name)}`,
    );
  }
  return {
    async addBack() {
      for (const key of keys) {
        await tx.$executeRawUnsafe(
          `ALTER TABLE ${quoteIdentifier(key.table)} ADD CONSTRAINT ${quoteIdentifier(key.name)} ${key.definition}`,
        );
      }
      return keys.length;
    },
  };
}
