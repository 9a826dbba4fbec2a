// The bulk write path, always in the caller's transaction: on a PostgreSQL server, COPY on the
// transaction's own connection (copyRows.ts; Prisma has no COPY, transactionConnection.ts finds the
// connection); else (PGlite, or an upsert) one statement per chunk through the Prisma tx client:
//     INSERT INTO "T" ("a", "b", ...) SELECT ... FROM unnest($1::text[], $2::integer[], ...)
// One array parameter per column: no chunking at createMany's 32,766 bind values, one plan per
// statement. Arrays go as literals built here: cheaper than the driver serialising each element,
// and independent of the adapter's array mapping. Values are never SQL; identifiers are checked.
import { copyRows } from "./copyRows.js";
import type { BulkColumn, BulkPgType } from "./pgText.js";
import { quoteIdentifier } from "../shared/identifier.js";
import { arrayElement, scalarText } from "./pgText.js";
import type { Tx } from "../connection/transaction.js";
import { transactionConnection } from "../connection/transactionConnection.js";
import { chunksOf } from "./chunks.js";
import { markWriteSent } from "../shared/writeMarker.js";

export type { BulkColumn, BulkPgType } from "./pgText.js";

/** Default rows per statement. Prisma's debug module keeps its last 100 calls' arguments (even with
 *  DEBUG off) and driver adapters log each query's parameters: ~100 statements' arrays stay in memory. */
export const DEFAULT_BULK_ROWS = 2_500;

/** The SQL type of the array parameter, and the expression that turns one element into the column's value. */
function typeOf(pgType: BulkPgType, alias: string): { param: string; select: string } {
  if (typeof pgType === "object") {
    const t = `${quoteIdentifier(pgType.enum)}`;
    return { param: `${t}[]`, select: alias };
  }
  if (pgType === "text[]") {
    return {
      param: "jsonb[]",
      select: `CASE WHEN ${alias} IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(${alias})) END`,
    };
  }
  return { param: `${pgType}[]`, select: alias };
}

function unnestSelect<Row>(columns: ReadonlyArray<BulkColumn<Row>>): { selects: string[]; from: string } {
  const params: string[] = [];
  const selects: string[] = [];
  const aliases: string[] = [];
  columns.forEach((column, i) => {
    const alias = `c${i + 1}`;
    const { param, select } = typeOf(column.pgType, alias);
    params.push(`$${i + 1}::${param}`);
    selects.push(select);
    aliases.push(alias);
  });
  return { selects, from: `unnest(${params.join(", ")}) AS x(${aliases.join(", ")})` };
}

/** Fixed conflict clauses the bulk path may end an INSERT with (no caller-built SQL). */
export type BulkConflict = { doUpdate: { key: string; set: string[] } };

export function bulkInsertSql<Row>(
  table: string,
  columns: ReadonlyArray<BulkColumn<Row>>,
  onConflict?: BulkConflict,
): string {
  if (columns.length === 0) throw new Error("bulkInsert: no columns");
  const names = columns.map((c) => quoteIdentifier(c.name));
  const { selects, from } = unnestSelect(columns);
  let sql = `INSERT INTO ${quoteIdentifier(table)} (${names.join(", ")}) SELECT ${selects.join(", ")} FROM ${from}`;
  if (onConflict) {
    const { key, set } = onConflict.doUpdate;
    sql +=
      ` ON CONFLICT (${quoteIdentifier(key)}) DO UPDATE SET ` +
      set.map((name) => `${quoteIdentifier(name)} = EXCLUDED.${quoteIdentifier(name)}`).join(", ");
  }
  return sql;
}

/** `UPDATE "T" SET ... FROM unnest(...)`: many rows, each to its own values, keyed by the first column. */
export function bulkUpdateSql<Row>(table: string, columns: ReadonlyArray<BulkColumn<Row>>): string {
  if (columns.length < 2) throw new Error("bulkUpdate: need a key column and at least one column to set");
  const { selects, from } = unnestSelect(columns);
  const t = quoteIdentifier(table);
  const sets = columns.slice(1).map((c, i) => `${quoteIdentifier(c.name)} = u.v${i + 2}`);
  return (
    `UPDATE ${t} SET ${sets.join(", ")} ` +
    `FROM (SELECT ${selects.map((s, i) => `${s} AS v${i + 1}`).join(", ")} FROM ${from}) AS u ` +
    `WHERE ${t}.${quoteIdentifier(columns[0]!.name)} = u.v1`
  );
}

/** One element of an array literal; a text[] value goes as JSON (see BulkPgType). */
function element(value: unknown, pgType: BulkPgType): string {
  if (value === null || value === undefined) return "NULL";
  return arrayElement(pgType === "text[]" ? JSON.stringify(value) : scalarText(value, pgType));
}

/** One column's values as a PostgreSQL array literal, e.g. {"a","b",NULL}. */
export function arrayLiteral(values: readonly unknown[], pgType: BulkPgType): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = element(values[i], pgType);
  return `{${parts.join(",")}}`;
}

export interface BulkOptions {
  /** Rows per statement (default DEFAULT_BULK_ROWS). */
  rowsPerStatement?: number;
  /** Called after each statement with the rows written so far. */
  onProgress?: (rowsWritten: number) => void;
}

export interface BulkInsertOptions extends BulkOptions {
  /** Upsert on this key (INSERT ... ON CONFLICT: never COPY). */
  onConflict?: BulkConflict;
  /** false: INSERT ... unnest even where COPY is available (tests compare the two). */
  copy?: boolean;
}

/** Inserts `rows` in `tx`'s transaction: COPY on our server connections, else INSERT ... unnest.
 *  `rows` may be a generator: its rows are then made as the write takes them, a chunk at a time. */
export async function bulkInsert<Row>(
  tx: Tx,
  table: string,
  columns: ReadonlyArray<BulkColumn<Row>>,
  rows: Iterable<Row>,
  options: BulkInsertOptions = {},
): Promise<number> {
  const sql = bulkInsertSql(table, columns, options.onConflict); // checks the identifiers either way
  const connection = options.onConflict || options.copy === false ? null : await transactionConnection(tx);
  if (connection) return copyRows(connection, table, columns, rows, options.onProgress);
  return runChunked(tx, sql, columns, rows, options);
}

/** Updates rows by key (the first column), `rowsPerStatement` at a time; returns the rows updated. */
export async function bulkUpdate<Row>(
  tx: Tx,
  table: string,
  columns: ReadonlyArray<BulkColumn<Row>>,
  rows: Iterable<Row>,
  options: BulkOptions = {},
): Promise<number> {
  return runChunked(tx, bulkUpdateSql(table, columns), columns, rows, options);
}

async function runChunked<Row>(
  tx: Tx,
  sql: string,
  columns: ReadonlyArray<BulkColumn<Row>>,
  rows: Iterable<Row>,
  { rowsPerStatement = DEFAULT_BULK_ROWS, onProgress }: BulkOptions,
): Promise<number> {
  let inserted = 0;
  let written = 0;
  for (const chunk of chunksOf(rows, rowsPerStatement)) {
    inserted += await tx.$executeRawUnsafe(sql, ...columnParameters(columns, chunk));
    markWriteSent(); // tests only: src/shared/writeMarker.ts
    onProgress?.((written += chunk.length));
  }
  return inserted;
}

export function columnParameters<Row>(columns: ReadonlyArray<BulkColumn<Row>>, rows: readonly Row[]): string[] {
  return columns.map((column) => {
    const get = column.value ?? ((row: Row) => (row as Record<string, unknown>)[column.name]);
    const values = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = get(rows[i]!);
    return arrayLiteral(values, column.pgType);
  });
}
