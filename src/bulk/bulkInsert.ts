// The bulk write path, always in the caller's transaction: on a PostgreSQL server, COPY on the
// transaction's own connection (copyRows; Prisma has no COPY, transactionConnection.ts finds the
// connection); else (PGlite, or an upsert) one statement per chunk through the Prisma tx client:
//     INSERT INTO "T" ("a", "b", ...) SELECT ... FROM unnest($1::text[], $2::integer[], ...)
// One array parameter per column: no chunking at createMany's 32,766 bind values, one plan per
// statement. Arrays go as literals built here: cheaper than the driver serialising each element,
// and independent of the adapter's array mapping. Values are never SQL; identifiers are checked.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { scalarText, type BulkColumn, type BulkPgType } from "./pgText.js";
import { quoteIdentifier } from "../shared/identifier.js";
import type { Tx } from "../connection/transaction.js";
import { transactionConnection } from "../connection/transactionConnection.js";

/** Default rows per statement. Prisma's debug module keeps its last 100 calls' arguments (even with
 *  DEBUG off) and driver adapters log each query's parameters: ~100 statements' arrays stay in memory. */
const DEFAULT_BULK_ROWS = 2_500;

/** `SELECT c1, c2, ... FROM unnest($1::text[], $2::integer[], ...) AS x(c1, c2, ...)`: one array parameter
 *  per column, a text[] column's JSON arrays (see BulkPgType) rebuilt. */
function unnestSelect<Row>(columns: ReadonlyArray<BulkColumn<Row>>): string {
  const aliases = columns.map((_, i) => `c${i + 1}`);
  const params = columns.map(({ pgType }, i) => {
    if (typeof pgType === "object") return `$${i + 1}::${quoteIdentifier(pgType.enum)}[]`;
    return `$${i + 1}::${pgType === "text[]" ? "jsonb" : pgType}[]`;
  });
  const selects = columns.map(({ pgType }, i) => {
    const alias = aliases[i]!;
    if (pgType !== "text[]") return alias;
    const elements = `ARRAY(SELECT jsonb_array_elements_text(${alias}))`;
    return `CASE WHEN ${alias} IS NULL THEN NULL ELSE ${elements} END AS ${alias}`;
  });
  return `SELECT ${selects.join(", ")} FROM unnest(${params.join(", ")}) AS x(${aliases.join(", ")})`;
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
  let sql = `INSERT INTO ${quoteIdentifier(table)} (${names.join(", ")}) ${unnestSelect(columns)}`;
  if (onConflict) {
    const { key, set } = onConflict.doUpdate;
    sql +=
      ` ON CONFLICT (${quoteIdentifier(key)}) DO UPDATE SET ` +
      set.map((name) => `${quoteIdentifier(name)} = EXCLUDED.${quoteIdentifier(name)}`).join(", ");
  }
  return sql;
}

/** `UPDATE "T" SET ... FROM (SELECT ... FROM unnest(...))`: each row to its own values, keyed by the first column. */
function bulkUpdateSql<Row>(table: string, columns: ReadonlyArray<BulkColumn<Row>>): string {
  if (columns.length < 2) throw new Error("bulkUpdate: need a key column and at least one column to set");
  const t = quoteIdentifier(table);
  const sets = columns.slice(1).map((c, i) => `${quoteIdentifier(c.name)} = u.c${i + 2}`);
  const key = `${t}.${quoteIdentifier(columns[0]!.name)}`;
  return `UPDATE ${t} SET ${sets.join(", ")} FROM (${unnestSelect(columns)}) AS u WHERE ${key} = u.c1`;
}

/** One column's values as a PostgreSQL array literal, e.g. {"a","b",NULL}; a text[] value as JSON (see BulkPgType). */
export function arrayLiteral(values: readonly unknown[], pgType: BulkPgType): string {
  const elements = values.map((value) => {
    if (value === null || value === undefined) return "NULL";
    const text = pgType === "text[]" ? JSON.stringify(value) : scalarText(value, pgType);
    return `"${text.replace(/["\\]/g, "\\$&")}"`; // double-quoted, " and \ escaped
  });
  return `{${elements.join(",")}}`;
}

export interface BulkInsertOptions {
  /** Rows per statement (default DEFAULT_BULK_ROWS). */
  rowsPerStatement?: number;
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
  if (connection) return copyRows(connection, table, columns, rows);
  return runChunked(tx, sql, columns, rows, options);
}

/** Updates rows by key (the first column), `rowsPerStatement` at a time; returns the rows updated. */
export async function bulkUpdate<Row>(
  tx: Tx,
  table: string,
  columns: ReadonlyArray<BulkColumn<Row>>,
  rows: Iterable<Row>,
  options: Pick<BulkInsertOptions, "rowsPerStatement"> = {},
): Promise<number> {
  return runChunked(tx, bulkUpdateSql(table, columns), columns, rows, options);
}

async function runChunked<Row>(
  tx: Tx,
  sql: string,
  columns: ReadonlyArray<BulkColumn<Row>>,
  rows: Iterable<Row>,
  { rowsPerStatement = DEFAULT_BULK_ROWS }: BulkInsertOptions,
): Promise<number> {
  let inserted = 0;
  for (const chunk of chunksOf(rows, rowsPerStatement)) {
    const parameters = columns.map(({ name, pgType }) => {
      const values = chunk.map((row) => row[name]);
      return arrayLiteral(values, pgType);
    });
    inserted += await tx.$executeRawUnsafe(sql, ...parameters);
    markWriteSent();
  }
  return inserted;
}

/** Rows encoded per chunk written to the connection (~100-300 KB of text for the run tables). */
const ROWS_PER_CHUNK = 1_000;

/** Streams `rows` into `table` with COPY ... FROM STDIN on `connection`, a chunk at a time as the connection
 *  drains: memory holds one chunk whatever the row count, and making a generator's next chunk overlaps the
 *  server's work on the ones before. Returns the rows the server stored (none sent: no COPY). */
async function copyRows<Row>(
  connection: pg.PoolClient,
  table: string,
  columns: ReadonlyArray<BulkColumn<Row>>,
  rows: Iterable<Row>,
): Promise<number> {
  const chunks = chunksOf(rows, ROWS_PER_CHUNK);
  const first = chunks.next();
  if (first.done) return 0;
  const sql = `COPY ${quoteIdentifier(table)} (${columns.map((c) => quoteIdentifier(c.name)).join(", ")}) FROM STDIN`;
  const sink = connection.query(copyFrom(sql));
  const encode = lineEncoder(columns);
  function* text() {
    for (let chunk = first; !chunk.done; chunk = chunks.next()) {
      let lines = "";
      for (const row of chunk.value) lines += encode(row);
      yield lines;
    }
  }
  await pipeline(Readable.from(text()), sink);
  return sink.rowCount;
}

/** One row as a line of COPY's text format: tab-separated, \N for NULL, backslash escapes. */
export function lineEncoder<Row>(columns: ReadonlyArray<BulkColumn<Row>>): (row: Row) => string {
  const fields = columns.map(({ name, pgType }) => {
    const toText = copyText(pgType);
    return (row: Row) => {
      const value = row[name];
      return value === null || value === undefined ? "\\N" : toText(value);
    };
  });
  return (row) => {
    let line = fields[0]!(row);
    for (let i = 1; i < fields.length; i++) line += "\t" + fields[i]!(row);
    return line + "\n";
  };
}

/** COPY's text format reads backslash sequences: a literal backslash, tab or line break is escaped. */
function escapeCopy(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : text;
}
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** Numbers, booleans and times never hold a backslash, tab or line break. */
const NEVER_ESCAPED = new Set<BulkPgType>(["integer", "bigint", "double precision", "boolean", "timestamp(3)"]);

/** The COPY text of a non-null value of the column's type. */
function copyText(pgType: BulkPgType): (value: unknown) => string {
  // Its elements are text: the array literal unnest would take for a text column, escaped for COPY.
  if (pgType === "text[]") return (value) => escapeCopy(arrayLiteral(value as unknown[], "text"));
  if (NEVER_ESCAPED.has(pgType)) return (value) => scalarText(value, pgType);
  return (value) => escapeCopy(scalarText(value, pgType));
}

/** `items` in arrays of `size` (the last one shorter); a generator's items are taken as each array is asked for. */
export function* chunksOf<T>(items: Iterable<T>, size: number): Generator<T[], void> {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError("chunksOf: size must be a positive integer");
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

// For tests only: with AUTOGPT_TEST_WRITE_MARKER=1 a command says once on stderr that its first
// write was sent, so a test can interrupt it mid-write (PGlite has no pg_stat_activity to watch).

export const WRITE_MARKER_ENV = "AUTOGPT_TEST_WRITE_MARKER";
export const WRITE_MARKER_LINE = "test marker: first write sent";

let marked = false;

function markWriteSent(): void {
  if (marked || process.env[WRITE_MARKER_ENV] !== "1") return;
  marked = true;
  // Written at once to a file, or a pipe on Linux (elsewhere on the next turn of the event loop).
  process.stderr.write(`${WRITE_MARKER_LINE}\n`);
}
