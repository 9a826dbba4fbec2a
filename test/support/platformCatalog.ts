// The platform's catalog facts (test/fixtures/platform-schema/<state>/*.tsv) and the same facts read
// from a database, in the same text form, so the two compare line by line; and a readable diff of them.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { SqlSession } from "../../src/connection/sqlSession.js";
import { ROOT } from "./repository.js";

/** The states of the platform whose facts the repository holds, one folder each. */
export type PlatformFactsState = "v0.6.12" | "v0.6.44" | "dev-2026-05-11" | "org-2026-05-11";

/** The folder of one state's facts. */
export const platformFactsDir = (state: PlatformFactsState): string =>
  join(ROOT, "test", "fixtures", "platform-schema", state);

/** Release v0.6.44's facts, the default. */
export const PLATFORM_FACTS_DIR = platformFactsDir("v0.6.44");

/** One fact per row, fields as the TSV files hold them. */
export interface CatalogFacts {
  /** table, column, type, nullable (YES/NO), default ('' for none) */
  columns: string[][];
  /** table, constraint, kind (p/f/c), definition */
  constraints: string[][];
  /** table, index, definition (without the schema prefix) */
  indexes: string[][];
  /** enum, values in sort order (comma-separated) */
  enums: string[][];
  /** view, kind ("view" / "materialized view"), column, type */
  views: string[][];
  /** materialized view, index, definition (without the schema prefix) */
  viewIndexes: string[][];
}

export type FactKind = keyof CatalogFacts;

/** The fields that name a fact (the rest are what it says about it). */
export const FACT_KEYS: Record<FactKind, number[]> = {
  columns: [0, 1],
  constraints: [0, 1],
  indexes: [0, 1],
  enums: [0],
  views: [0, 2],
  viewIndexes: [0, 1],
};

async function readTsv(path: string): Promise<string[][]> {
  const lines = (await readFile(path, "utf8")).split("\n").filter((line) => line !== "");
  return lines.slice(1).map((line) => line.split("\t"));
}

/**
 * view-indexes.tsv holds only each index's CREATE statement; the materialized view and the index
 * are read from it, so it compares as the tables' indexes do.
 */
function viewIndexFact([definition]: string[]): string[] {
  const match = /^CREATE (?:UNIQUE )?INDEX (\S+) ON (\S+) /.exec(definition!);
  if (!match) throw new Error(`view-indexes.tsv: not a CREATE INDEX statement: ${definition}`);
  return [match[2]!, match[1]!, definition!];
}

export async function readPlatformFacts(dir = PLATFORM_FACTS_DIR): Promise<CatalogFacts> {
  const [columns, constraints, indexes, enums, views, viewIndexes] = await Promise.all(
    ["columns", "constraints", "indexes", "enums", "views", "view-indexes"].map((name) =>
      readTsv(join(dir, `${name}.tsv`)),
    ),
  );
  return {
    columns: columns!,
    constraints: constraints!,
    indexes: indexes!,
    enums: enums!,
    views: views!,
    viewIndexes: viewIndexes!.map(viewIndexFact),
  };
}

/** The platform's migration names at that state, in order. */
export async function readPlatformMigrationNames(dir = PLATFORM_FACTS_DIR): Promise<string[]> {
  return (await readFile(join(dir, "migrations.txt"), "utf8")).split("\n").filter((line) => line !== "");
}

/** The tables the facts describe. */
export const factTables = (facts: CatalogFacts): string[] => [...new Set(facts.columns.map((row) => row[0]!))];

/**
 * The same facts read from `schema` for `tables`, plus every view and materialized view of the
 * schema and the materialized views' indexes. The session's search_path must be `schema`, as the TSVs were made: types and referenced
 * tables then print unqualified.
 */
export async function readCatalogFacts(sql: SqlSession, schema: string, tables: string[]): Promise<CatalogFacts> {
  const rows = async (text: string, params: unknown[]) =>
    (await sql.query<{ f: string[] }>(text, params)).map((r) => r.f);
  const inTables = [schema, tables];
  const columns = await rows(
    `
    SELECT ARRAY[c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                 CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END,
                 COALESCE(pg_get_expr(d.adbin, d.adrelid), '')]::text[] AS f
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind IN ('r', 'p')
      AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`,
    inTables,
  );
  const constraints = await rows(
    `
    SELECT ARRAY[c.relname, con.conname, con.contype::text, pg_get_constraintdef(con.oid)]::text[] AS f
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 AND c.relname = ANY($2::text[])
    ORDER BY c.relname, con.conname`,
    inTables,
  );
  // pg_get_indexdef always qualifies the table with its schema; the facts don't.
  const indexes = await rows(
    `
    SELECT ARRAY[c.relname, i.relname,
                 replace(pg_get_indexdef(x.indexrelid), ' ON ' || quote_ident(n.nspname) || '.', ' ON ')]::text[] AS f
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class c ON c.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 AND c.relname = ANY($2::text[])
    ORDER BY c.relname, i.relname`,
    inTables,
  );
  const enums = await rows(
    `
    SELECT ARRAY[t.typname,
                 (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)]::text[] AS f
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = $1 AND t.typtype = 'e'
    ORDER BY t.typname`,
    [schema],
  );
  const views = await rows(
    `
    SELECT ARRAY[c.relname, CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END,
                 a.attname, format_type(a.atttypid, a.atttypmod)]::text[] AS f
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 AND c.relkind IN ('v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`,
    [schema],
  );
  return { columns, constraints, indexes, enums, views, viewIndexes: await readMatviewIndexes(sql, schema) };
}

/** The indexes of the schema's materialized views: table, index, definition (no schema prefix). */
export async function readMatviewIndexes(sql: SqlSession, schema: string): Promise<string[][]> {
  const rows = await sql.query<{ f: string[] }>(
    `SELECT ARRAY[c.relname, i.relname,
                  replace(pg_get_indexdef(x.indexrelid), ' ON ' || quote_ident(n.nspname) || '.', ' ON ')]::text[] AS f
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_class c ON c.oid = x.indrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'm'
     ORDER BY c.relname, i.relname`,
    [schema],
  );
  return rows.map((r) => r.f);
}

/**
 * Every difference between two sets of facts of one kind, one readable line each: a fact only on
 * one side, or the same fact saying different things. Empty when they agree (order aside).
 */
export function diffFacts(kind: FactKind, platform: string[][], database: string[][]): string[] {
  const keyOf = (row: string[]) => FACT_KEYS[kind].map((i) => row[i]).join(".");
  const valueOf = (row: string[]) =>
    row
      .filter((_, i) => !FACT_KEYS[kind].includes(i))
      .map((field) => (field === "" ? "(none)" : field))
      .join(" | ");
  const want = new Map(platform.map((row) => [keyOf(row), valueOf(row)]));
  const have = new Map(database.map((row) => [keyOf(row), valueOf(row)]));
  const lines: string[] = [];
  for (const [key, value] of want) {
    const found = have.get(key);
    if (found === undefined) lines.push(`${kind} ${key}: only on the platform (${value})`);
    else if (found !== value) lines.push(`${kind} ${key}: the platform has ${value}; the database has ${found}`);
  }
  for (const [key, value] of have) {
    if (!want.has(key)) lines.push(`${kind} ${key}: only in the database (${value})`);
  }
  return lines;
}

/** diffFacts over every kind. */
export function diffAllFacts(platform: CatalogFacts, database: CatalogFacts): string[] {
  return (Object.keys(FACT_KEYS) as FactKind[]).flatMap((kind) => diffFacts(kind, platform[kind], database[kind]));
}

export const factReport = (title: string, lines: string[]) => `${title}:\n  ${lines.join("\n  ")}`;
