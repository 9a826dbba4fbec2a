// COPY ... FROM STDIN on a transaction's own connection, streamed: rows are encoded a chunk at a
// time and written with backpressure, so memory holds one chunk whatever the row count.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { BulkColumn, BulkPgType } from "./pgText.js";
import { chunksOf } from "./chunks.js";
import { quoteIdentifier } from "../shared/identifier.js";
import { arrayElement, scalarText } from "./pgText.js";

/** Rows encoded per chunk written to the connection (~100-300 KB of text for the run tables). */
const ROWS_PER_CHUNK = 1_000;

/** Streams `rows` into `table` with COPY on `connection`; returns the rows the server stored (none sent: no COPY). */
export async function copyRows<Row>(
  connection: pg.PoolClient,
  table: string,
  columns: ReadonlyArray<BulkColumn<Row>>,
  rows: Iterable<Row>,
  onProgress?: (rowsWritten: number) => void,
): Promise<number> {
  // A generator's rows are made here, a chunk at a time as the connection drains: making the next
  // chunk overlaps the server's work on the ones before.
  const chunks = chunksOf(rows, ROWS_PER_CHUNK);
  const first = chunks.next();
  if (first.done) return 0;
  const sql = `COPY ${quoteIdentifier(table)} (${columns.map((c) => quoteIdentifier(c.name)).join(", ")}) FROM STDIN`;
  const sink = connection.query(copyFrom(sql));
  const encode = lineEncoder(columns);
  function* text() {
    let written = 0;
    for (let chunk = first; !chunk.done; chunk = chunks.next()) {
      let lines = "";
      for (const row of chunk.value) lines += encode(row);
      yield lines;
      onProgress?.((written += chunk.value.length));
    }
  }
  await pipeline(Readable.from(text()), sink);
  return sink.rowCount;
}

/** One row as a line of COPY's text format: tab-separated, \N for NULL, backslash escapes. */
export function lineEncoder<Row>(columns: ReadonlyArray<BulkColumn<Row>>): (row: Row) => string {
  const fields = columns.map((column) => {
    const get = column.value ?? ((row: Row) => (row as Record<string, unknown>)[column.name]);
    const toText = copyText(column.pgType);
    return (row: Row) => {
      const value = get(row);
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

/** The COPY text of a non-null value of the column's type. */
function copyText(pgType: BulkPgType): (value: unknown) => string {
  if (pgType === "text[]") {
    return (value) =>
      escapeCopy(
        `{${(value as unknown[]).map((v) => arrayElement(v === null || v === undefined ? null : String(v))).join(",")}}`,
      );
  }
  // Numbers, booleans and times never hold a backslash, tab or line break.
  if (
    pgType === "integer" ||
    pgType === "bigint" ||
    pgType === "double precision" ||
    pgType === "boolean" ||
    pgType === "timestamp(3)"
  ) {
    return (value) => scalarText(value, pgType);
  }
  return (value) => escapeCopy(scalarText(value, pgType));
}
