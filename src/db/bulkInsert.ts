// The bulk write path: many rows in one parameterised statement,
//   INSERT INTO "T" ("a", "b", ...) SELECT ... FROM unnest($1::text[], $2::integer[], ...)
// one array parameter per column, through the Prisma transaction client. Unlike createMany it is
// not chunked at 32,766 bind values (a statement carries one bind value per column whatever the
// row count), it is planned once per statement, and it stays inside the caller's transaction (and
// works on any backend that speaks PostgreSQL's SQL through Prisma: no second connection, no COPY).
//
// Identifiers come from the caller's fixed column lists and are checked here; values are always
// parameters. Each array parameter is sent as a PostgreSQL array literal built here (one string per
// column), which is both cheaper than having the driver serialise millions of elements one by one
// and independent of how a driver adapter maps JS arrays.
import type { Tx } from "./prismaClient.js";

/** The column types the bulk path knows how to send. Enum types are named by their exact type name. */
export type BulkPgType =
  | "text"
  | "integer"
  | "bigint"
  | "double precision"
  | "boolean"
  | "timestamp(3)"
  | "jsonb"
  /** A text[] column: sent as JSON arrays (unnest would flatten a text[][]), rebuilt in SQL. */
  | "text[]"
  | { enum: string };

export interface BulkColumn<Row> {
  /** The column's name, exactly as in the table. */
  name: string;
  pgType: BulkPgType;
  /** The row's value for this column (defaults to `row[name]`). null/undefined is SQL NULL. */
  value?: (row: Row) => unknown;
}

/** Rows per statement unless the caller says otherwise: measured fastest on the updater's tables. */
export const DEFAULT_BULK_ROWS = 10_000;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`bulkInsert: not a plain identifier: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/** The SQL type of the array parameter, and the expression that turns one element into the column's value. */
function typeOf(pgType: BulkPgType, alias: string): { param: string; select: string } {
  if (typeof pgType === "object") {
    const t = `${quoteIdentifier(pgType.enum)}`;
    return { param: `${t}[]`, select: alias };
  }
  if (pgType === "text[]") {
    return { param: "jsonb[]", select: `CASE WHEN ${alias} IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(${alias})) END` };
  }
  return { param: `${pgType}[]`, select: alias };
}

/** The INSERT ... SELECT FROM unnest(...) statement for a table and its columns. */
export function bulkInsertSql<Row>(table: string, columns: ReadonlyArray<BulkColumn<Row>>): string {
  if (columns.length === 0) throw new Error("bulkInsert: no columns");
  const names = columns.map((c) => quoteIdentifier(c.name));
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
  return (
    `INSERT INTO ${quoteIdentifier(table)} (${names.join(", ")}) ` +
    `SELECT ${selects.join(", ")} FROM unnest(${params.join(", ")}) AS x(${aliases.join(", ")})`
  );
}

/** One element of an array literal: NULL, or the value's text form double-quoted and escaped. */
function element(value: unknown, pgType: BulkPgType): string {
  if (value === null || value === undefined) return "NULL";
  let text: string;
  if (pgType === "jsonb" || pgType === "text[]") text = JSON.stringify(value);
  else if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError("bulkInsert: invalid Date");
    // timestamp(3) holds UTC wall-clock time, as Prisma writes it: no zone in the literal.
    text = value.toISOString().slice(0, 23);
  } else if (typeof value === "boolean") return value ? "t" : "f";
  else if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`bulkInsert: not a finite number: ${value}`);
    return String(value);
  } else if (typeof value === "bigint") return value.toString();
  else text = String(value);
  return `"${text.replace(/["\\]/g, "\\$&")}"`;
}

/** One column's values as a PostgreSQL array literal, e.g. {"a","b",NULL}. */
export function arrayLiteral(values: readonly unknown[], pgType: BulkPgType): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = element(values[i], pgType);
  return `{${parts.join(",")}}`;
}

/**
 * Inserts `rows` into `table`, `rowsPerStatement` at a time, through `tx` (so inside its
 * transaction). Returns the number of rows inserted.
 */
export async function bulkInsert<Row>(
  tx: Tx,
  table: string,
  columns: ReadonlyArray<BulkColumn<Row>>,
  rows: readonly Row[],
  rowsPerStatement = DEFAULT_BULK_ROWS,
): Promise<number> {
  if (rows.length === 0) return 0;
  if (!Number.isSafeInteger(rowsPerStatement) || rowsPerStatement < 1) throw new RangeError("bulkInsert: rowsPerStatement must be >= 1");
  const sql = bulkInsertSql(table, columns);
  let inserted = 0;
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    inserted += await tx.$executeRawUnsafe(sql, ...columnParameters(columns, chunk));
  }
  return inserted;
}

/** The statement's parameters for `rows`: one array literal per column. */
export function columnParameters<Row>(columns: ReadonlyArray<BulkColumn<Row>>, rows: readonly Row[]): string[] {
  return columns.map((column) => {
    const get = column.value ?? ((row: Row) => (row as Record<string, unknown>)[column.name]);
    const values = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = get(rows[i]!);
    return arrayLiteral(values, column.pgType);
  });
}
