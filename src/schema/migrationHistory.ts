// Reads a schema's Prisma Migrate history (`_prisma_migrations`) without writing anything: the
// checks before migrating must not create the table they look at.
import { quoteIdentifier } from "../shared/identifier.js";
import type { CatalogQuery } from "./storeSchemas.js";

export interface HistoryEntry {
  name: string;
  /** finished_at is set: the migration was applied whole. */
  finished: boolean;
  /** rolled_back_at is set: `prisma migrate resolve --rolled-back` discounted it. */
  rolledBack: boolean;
}

const HAS_HISTORY_TABLE = `
  SELECT EXISTS (
    SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 AND c.relname = '_prisma_migrations' AND c.relkind IN ('r', 'p')
  ) AS present`;

/** The schema's history, oldest first; undefined when the schema has no `_prisma_migrations`. */
export async function readHistory(run: CatalogQuery, schema: string): Promise<HistoryEntry[] | undefined> {
  const [row] = await run.query<{ present: boolean }>(HAS_HISTORY_TABLE, [schema]);
  if (!row?.present) return undefined;
  // The schema name is the user's (?schema=) or the catalog's, and quoted; the table was just seen there.
  const rows = await run.query<{ name: string; finished: boolean; rolled_back: boolean }>(
    `SELECT migration_name AS name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
     FROM ${quoteIdentifier(schema)}."_prisma_migrations" ORDER BY started_at, migration_name`,
  );
  return rows.map((r) => ({ name: r.name, finished: r.finished, rolledBack: r.rolled_back }));
}

/** "a, b, c and 4 more": a few names in a one-line message. */
export function listSome(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
