// The bulk path's column descriptions: what a caller hands bulkInsert/bulkUpdate, and what the
// text encodings (pgText.ts) read. Types only, so every module of the path can share them
// without importing each other.

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
  /** Optional to us: left out where the target lacks it (src/db/targetShape.ts). */
  optional?: boolean;
}
