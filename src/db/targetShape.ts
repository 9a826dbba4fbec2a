// The target's catalog for the tables a run writes, read once before the first write. Platform schemas
// differ by release (mid-2025 had no UserBalance and fewer columns; later ones add more), so the catalog,
// never a version number, decides: a missing optional column is left out; a missing needed column or
// table, or a NOT NULL column neither we nor the database fill, is refused (the insert would fail half-way).
import { CommandError } from "../shared/errors.js";
import type { BulkColumn } from "./bulkInsert.js";
import type { Tx } from "./transaction.js";
import { catalogOf, storeSchemaHint } from "./storeSchemas.js";

/** The platform release whose schema this tool follows (named in preflight errors). */
export const PLATFORM_RELEASE = "v0.6.44";

interface ColumnFacts {
  notNull: boolean;
  /** A default, an identity or a generated column: the database fills it when we don't. */
  filledByDatabase: boolean;
}

/** One table a command writes: the columns it inserts (or only updates). */
export interface TableWrite {
  table: string;
  columns: ReadonlyArray<BulkColumn<never>>;
  /** Rows are only updated, never inserted: unfilled NOT NULL columns don't matter. */
  updateOnly?: boolean;
  /** The command works without this table (it then writes nothing to it). */
  optionalTable?: boolean;
}

export class TargetShape {
  constructor(private readonly tables: ReadonlyMap<string, ReadonlyMap<string, ColumnFacts>>) {}

  hasTable(table: string): boolean {
    return this.tables.has(table);
  }

  /** The columns of `wanted` that `table` has in the target (preflight has refused a missing required one). */
  columns<Row>(table: string, wanted: ReadonlyArray<BulkColumn<Row>>): ReadonlyArray<BulkColumn<Row>> {
    const present = this.tables.get(table);
    if (!present) throw new Error(`targetShape: table ${table} was not read or is missing`);
    return wanted.filter((column) => present.has(column.name));
  }
}

/** Reads the catalog of every table in `writes` (through search_path, like every other statement) and
 *  refuses, in one line naming table.column, a target this run can't write whole. Read-only. */
export async function readTargetShape(tx: Tx, writes: readonly TableWrite[]): Promise<TargetShape> {
  const names = [...new Set(writes.map((w) => w.table))];
  const rows = await tx.$queryRaw<Array<{ table: string; column: string; notNull: boolean; filledByDatabase: boolean }>>`
    SELECT t.name AS "table", a.attname AS "column", a.attnotnull AS "notNull",
           (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS "filledByDatabase"
    FROM unnest(${names}::text[]) AS t(name)
    JOIN pg_attribute a ON a.attrelid = to_regclass(quote_ident(t.name))
    WHERE a.attnum > 0 AND NOT a.attisdropped`;
  const tables = new Map<string, Map<string, ColumnFacts>>();
  for (const row of rows) {
    const columns = tables.get(row.table) ?? new Map<string, ColumnFacts>();
    columns.set(row.column, { notNull: row.notNull, filledByDatabase: row.filledByDatabase });
    tables.set(row.table, columns);
  }
  const missing = writes.find((w) => !w.optionalTable && !tables.has(w.table));
  if (missing) throw new CommandError((await wrongSchemaHint(tx)) ?? missingTable(missing.table));
  const problem = findProblem(tables, writes);
  if (problem) throw new CommandError(problem);
  return new TargetShape(tables);
}

const follows = `this tool follows the AutoGPT platform's schema at ${PLATFORM_RELEASE}`;
const missingTable = (table: string) => `table ${table} is missing (${follows}): migrate the database first (npm run db:migrate)`;

/** A platform database reached without `?schema=platform` looks empty: say so, not "migrate". */
async function wrongSchemaHint(tx: Tx): Promise<string | undefined> {
  const [row] = await tx.$queryRaw<Array<{ schema: string }>>`
    SELECT COALESCE(current_schema(), btrim(current_setting('search_path'), '"')) AS schema`;
  return storeSchemaHint(catalogOf(tx), row?.schema ?? "public");
}

function findProblem(tables: ReadonlyMap<string, ReadonlyMap<string, ColumnFacts>>, writes: readonly TableWrite[]): string | null {
  for (const write of writes) {
    const present = tables.get(write.table);
    if (!present) continue; // an optional table (a missing required one was refused above)
    for (const column of write.columns) {
      if (!present.has(column.name) && !column.optional) {
        return `column ${write.table}.${column.name} is missing, and this tool needs it (${follows})`;
      }
    }
    if (write.updateOnly) continue;
    const filled = new Set(write.columns.map((c) => c.name));
    for (const [name, facts] of present) {
      if (facts.notNull && !facts.filledByDatabase && !filled.has(name)) {
        return `column ${write.table}.${name} is NOT NULL without a default, and this tool doesn't fill it (${follows}): nothing was written`;
      }
    }
  }
  return null;
}
