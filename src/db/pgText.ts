// Values in PostgreSQL's text form, for both bulk encodings (unnest's array literals, COPY's lines).
import type { BulkPgType } from "./bulkTypes.js";

/** The text form of a non-null value of a scalar column type (text[] is each encoding's own). */
export function scalarText(value: unknown, pgType: Exclude<BulkPgType, "text[]">): string {
  if (pgType === "jsonb") return JSON.stringify(value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError("bulkInsert: invalid Date");
    // timestamp(3) holds UTC wall-clock time, as Prisma writes it: no zone in the literal.
    return value.toISOString().slice(0, 23);
  }
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number" && !Number.isFinite(value)) throw new RangeError(`bulkInsert: not a finite number: ${value}`);
  return String(value);
}

/** One element of an array literal: NULL, or the text double-quoted with " and \ escaped. */
export function arrayElement(text: string | null): string {
  return text === null ? "NULL" : `"${text.replace(/["\\]/g, "\\$&")}"`;
}
