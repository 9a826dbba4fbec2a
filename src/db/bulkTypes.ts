// The bulk path's column descriptions: types only, so its modules share them without importing each other.

/** The column types the bulk path can send; an enum by its exact type name. */
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
  name: string;
  pgType: BulkPgType;
  /** The row's value for this column (defaults to `row[name]`). null/undefined is SQL NULL. */
  value?: (row: Row) => unknown;
  /** Optional to us: left out where the target lacks it (src/db/targetShape.ts). */
  optional?: boolean;
  /** Written only where the target also has this table (an organisation id needs Organization). */
  onlyWith?: string;
}
