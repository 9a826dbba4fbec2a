// Values in PostgreSQL's text form, for both bulk encodings (unnest's array literals, COPY's lines).

/** The text form of a non-null value of a scalar column type (text[] is each encoding's own). */
export function scalarText(value: unknown, pgType: Exclude<BulkPgType, "text[]">): string {
  if (pgType === "jsonb") return JSON.stringify(value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError("bulkInsert: invalid Date");
    return timestampText(value.getTime());
  }
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number" && !Number.isFinite(value))
    throw new RangeError(`bulkInsert: not a finite number: ${value}`);
  return String(value);
}

const DAY_MS = 86_400_000;
let cachedDay = NaN;
let cachedDate = "";

/** timestamp(3) holds UTC wall-clock time, as Prisma writes it: no zone in the literal. The date part
 *  is kept from the call before (the bulk rows come in runs of one day), the rest is arithmetic:
 *  a fifth of toISOString's cost, the creator's largest share of its own time. */
function timestampText(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  const rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  const minutes = Math.floor(rest / 60_000) % 60;
  const seconds = Math.floor(rest / 1000) % 60;
  return `${cachedDate}${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(rest % 1000, 3)}`;
}

function pad(n: number, width: number): string {
  return n.toString().padStart(width, "0");
}

// The bulk path's column descriptions: types only, so its modules share them without importing each other.

/** The column types the bulk path can send, as format_type names them (timestamp(3) without its "without
 *  time zone"). A text[] column is sent as JSON arrays (unnest would flatten a text[][]), rebuilt in SQL. */
export const BULK_TYPES = [
  "text",
  "integer",
  "bigint",
  "double precision",
  "boolean",
  "timestamp(3)",
  "jsonb",
  "text[]",
] as const;

/** A column type the bulk path can send; an enum by its exact type name. */
export type BulkPgType = (typeof BULK_TYPES)[number] | { enum: string };

export interface BulkColumn<Row> {
  /** The row's field of this name is the column's value (null/undefined: SQL NULL). */
  name: keyof Row & string;
  pgType: BulkPgType;
}
