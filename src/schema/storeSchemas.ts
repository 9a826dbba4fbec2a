// Which schemas hold the store's tables, for advice when the target schema has none: a platform database
// keeps them in `platform`, and a DATABASE_URL without `?schema=platform` lands in an empty `public`.
import { isPlainIdentifier, quoteIdentifier } from "../shared/identifier.js";
import type { SqlSession } from "../connection/sqlSession.js";
import type { Tx } from "../connection/transaction.js";
import { CREATOR_WRITES, ORGANIZATION_WRITES } from "./storeColumns.js";

/** What the catalog is read through: a SqlSession, or a Prisma transaction (catalogOf). */
export type CatalogQuery = Pick<SqlSession, "query">;

export const catalogOf = (tx: Tx): CatalogQuery => ({
  query: (sql, params = []) => tx.$queryRawUnsafe(sql, ...params),
});

/** Tables that together mark a schema as holding an AutoGPT store. */
export const STORE_MARKER_TABLES = ["User", "StoreListing"] as const;

/** Tables (and partitioned tables) of these names, per schema; PostgreSQL's own schemas left out. */
const TABLES_BY_SCHEMA = `
  SELECT schemaname AS schema, array_agg(tablename::text ORDER BY tablename) AS tables
  FROM pg_tables
  WHERE tablename = ANY($1::text[]) AND schemaname <> 'information_schema' AND schemaname NOT LIKE 'pg\\_%'
  GROUP BY schemaname
  ORDER BY schemaname`;

async function schemasHoldingTables(run: CatalogQuery, tables: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await run.query<{ schema: string; tables: string[] }>(TABLES_BY_SCHEMA, [[...tables]]);
  return new Map(rows.map((r) => [r.schema, r.tables]));
}

/** The schemas holding the store (both marker tables), sorted by name. */
export async function findStoreSchemas(run: CatalogQuery): Promise<string[]> {
  const bySchema = await schemasHoldingTables(run, STORE_MARKER_TABLES);
  // Only names a DATABASE_URL can carry (src/shared/identifier.ts): the hint must be advice that works.
  return [...bySchema]
    .filter(([schema, tables]) => tables.length === STORE_MARKER_TABLES.length && isPlainIdentifier(schema))
    .map(([schema]) => schema);
}

export async function storeTablesIn(run: CatalogQuery, schema: string): Promise<string[]> {
  return (await schemasHoldingTables(run, STORE_TABLES)).get(schema) ?? [];
}

/** "..., but schema platform has them: add ?schema=platform to DATABASE_URL" (several schemas: each offered). */
export function wrongSchemaHint(targetSchema: string, schemas: readonly string[]): string {
  const one = schemas.length === 1;
  const holders = `${one ? "schema" : "schemas"} ${schemas.join(", ")} ${one ? "has" : "have"} them`;
  const options = schemas.map((s) => `?schema=${encodeURIComponent(s)}`).join(" or ");
  const advice =
    targetSchema === "public"
      ? `add ${options} to DATABASE_URL`
      : `use ${options} in DATABASE_URL instead of ?schema=${encodeURIComponent(targetSchema)}`;
  return `schema ${targetSchema} lacks the store's tables, but ${holders}: ${advice}`;
}

/** For a target schema without the store's tables; undefined if no other has them (then: migrate). */
export async function storeSchemaHint(run: CatalogQuery, targetSchema: string): Promise<string | undefined> {
  const others = (await findStoreSchemas(run)).filter((s) => s !== targetSchema);
  return others.length > 0 ? wrongSchemaHint(targetSchema, others) : undefined;
}

/** The store's tables: the creator's (organisation tables aside), in its write order, which their rows follow. */
export const STORE_TABLES = [...new Set(CREATOR_WRITES.map((write) => write.table))].filter(
  (table) => !Object.values(ORGANIZATION_WRITES).some((write) => write.table === table),
);

// A schema's Prisma Migrate history, read without writing: the checks before migrating mustn't create the table.
interface HistoryEntry {
  name: string;
  finished: boolean;
  /** rolled_back_at is set: `prisma migrate resolve --rolled-back` discounted it. */
  rolledBack: boolean;
}

const HAS_HISTORY_TABLE = `
  SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = '_prisma_migrations') AS present`;

/** The schema's history, oldest first; undefined when the schema has no `_prisma_migrations`. */
export async function readHistory(run: CatalogQuery, schema: string): Promise<HistoryEntry[] | undefined> {
  const [row] = await run.query<{ present: boolean }>(HAS_HISTORY_TABLE, [schema]);
  if (!row?.present) return undefined;
  // The schema name is the user's (?schema=) or the catalog's, and quoted; the table was just seen there.
  return run.query<HistoryEntry>(
    `SELECT migration_name AS name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS "rolledBack"
     FROM ${quoteIdentifier(schema)}."_prisma_migrations" ORDER BY started_at, migration_name`,
  );
}

/** "a, b, c and 4 more": a few names in a one-line message. */
export function listSome(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
