// The target's catalog for the tables a run writes, read before the first write. Platform schemas differ by
// release (v0.6.12 had no UserBalance and fewer columns, 2026 dropped a listing column and added organisations),
// so the catalog, not a version, decides: a missing optional column is left out, a column is sent as its type; a
// missing needed column or table, an unsendable type or an unfilled NOT NULL column is refused, all before writing.
import { CommandError } from "../shared/errors.js";
import { isPlainIdentifier } from "../shared/identifier.js";
import { readMigrationFiles } from "./migrationFiles.js";
import { bulkInsert, bulkUpdate, type BulkInsertOptions } from "../bulk/bulkInsert.js";
import { BULK_TYPES, type BulkColumn, type BulkPgType } from "../bulk/pgText.js";
import type { TableWrite, WriteColumn } from "./storeColumns.js";
import type { Tx } from "../connection/transaction.js";
import { catalogOf, readHistory, storeSchemaHint } from "./storeSchemas.js";

/** The platform states this tool is tested on (named where a platform database lacks something). */
const PLATFORM_STATES = "from v0.6.12 (June 2025) to the organisation-tenancy branch of May 2026";

export interface ColumnFacts {
  notNull: boolean;
  /** A default, an identity or a generated column: the database fills it when we don't. */
  filledByDatabase: boolean;
  /** The column's type as format_type prints it; an enum's is its bare name (typname). */
  type: string;
  isEnum: boolean;
}

/** How the bulk path sends a column of this type; undefined for a type it can't send. */
function bulkType({ type, isEnum }: ColumnFacts): BulkPgType | undefined {
  if (isEnum) return isPlainIdentifier(type) ? { enum: type } : undefined;
  // Any precision takes our timestamps: they are whole milliseconds of UTC wall-clock time.
  const name = type.replace(/^timestamp(\(\d\))? without time zone$/, "timestamp(3)");
  return BULK_TYPES.find((known) => known === name);
}

export class TargetShape {
  /** `tables`: each table's columns, by name (a table the target lacks is absent). */
  constructor(private readonly tables: ReadonlyMap<string, ReadonlyMap<string, ColumnFacts>>) {}

  hasTable(table: string): boolean {
    return this.tables.has(table);
  }

  /** The platform's organisation tenancy: every graph, run and listing is booked to an organisation. */
  get hasOrganizations(): boolean {
    return this.tables.has("Organization") && this.tables.has("OrgMember");
  }

  /** The columns of `wanted` the target has (with their onlyWith table); problems() refused missing needed ones. */
  private present<Row>(table: string, wanted: ReadonlyArray<WriteColumn<Row>>) {
    const present = this.tables.get(table);
    if (!present) throw new Error(`targetShape: table ${table} was not read or is missing`);
    return wanted.flatMap((column) => {
      const facts = present.get(column.name);
      return facts && (!column.onlyWith || this.tables.has(column.onlyWith)) ? [{ column, facts }] : [];
    });
  }

  /** The columns of `wanted` the bulk path writes to `table`, typed as the target types them. */
  columns<Row>(table: string, wanted: ReadonlyArray<WriteColumn<Row>>): Array<BulkColumn<Row>> {
    return this.present(table, wanted).map(({ column: { name }, facts }) => {
      const pgType = bulkType(facts);
      if (!pgType) throw new Error(`targetShape: the type of ${table}.${name} was not refused: ${facts.type}`);
      return { name, pgType };
    });
  }

  /** Writes `rows` in the columns of `write` the target has; nothing to a missing optional table. */
  write<Row>(tx: Tx, write: TableWrite<Row>, rows: Iterable<Row>, options: BulkInsertOptions = {}): Promise<number> {
    if (write.optionalTable && !this.hasTable(write.table)) return Promise.resolve(0);
    const columns = this.columns(write.table, write.columns);
    if (write.updateOnly) return bulkUpdate(tx, write.table, columns, rows, options);
    return bulkInsert(tx, write.table, columns, rows, { onConflict: write.onConflict, ...options });
  }

  /** Why `writes` can't be written whole here, one line each ("%MIGRATE%": the caller's words for migrating). */
  problems(writes: readonly TableWrite[]): string[] {
    const problems: string[] = [];
    for (const write of writes) {
      const present = this.tables.get(write.table);
      if (!present) {
        if (!write.optionalTable) problems.push(`table ${write.table} is missing: %MIGRATE%`);
        continue;
      }
      for (const column of write.columns.filter((c) => !c.optional && !present.has(c.name)))
        problems.push(`column ${write.table}.${column.name} is missing: %MIGRATE%`);
      const written = this.present(write.table, write.columns);
      for (const { column, facts } of written.filter(({ facts }) => !bulkType(facts)))
        problems.push(`column ${write.table}.${column.name} has type ${facts.type}, which this tool can't write`);
      if (write.updateOnly) continue;
      const filled = new Set(written.map(({ column }) => column.name));
      for (const [name, facts] of present) {
        if (facts.notNull && !facts.filledByDatabase && !filled.has(name)) {
          problems.push(
            `column ${write.table}.${name} is NOT NULL without a default, and this tool doesn't fill it: ` +
              `give it a default (ALTER TABLE "${write.table}" ALTER COLUMN "${name}" SET DEFAULT ...) or allow NULL`,
          );
        }
      }
    }
    return [...new Set(problems)];
  }
}

/** Reads (only) the catalog of `writes`' tables, through search_path as every statement does; throws its problems. */
export async function readTargetShape(tx: Tx, writes: readonly TableWrite[]): Promise<TargetShape> {
  // The organisation-tenancy platform's tables are read whether or not the run writes them (hasOrganizations).
  const names = [...new Set([...writes.map((w) => w.table), "Organization", "OrgMember", "Team"])];
  const rows = await tx.$queryRaw<Array<ColumnFacts & { table: string; column: string }>>`
    SELECT t.name AS "table", a.attname AS "column", a.attnotnull AS "notNull",
           (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS "filledByDatabase",
           CASE WHEN ty.typtype = 'e' THEN ty.typname::text ELSE format_type(a.atttypid, a.atttypmod) END AS type,
           ty.typtype = 'e' AS "isEnum"
    FROM unnest(${names}::text[]) AS t(name)
    JOIN pg_attribute a ON a.attrelid = to_regclass(quote_ident(t.name))
    JOIN pg_type ty ON ty.oid = a.atttypid
    WHERE a.attnum > 0 AND NOT a.attisdropped`;
  const tables = new Map<string, Map<string, ColumnFacts>>();
  for (const { table, column, ...facts } of rows) {
    const columns = tables.get(table) ?? new Map<string, ColumnFacts>();
    columns.set(column, facts);
    tables.set(table, columns);
  }
  const shape = new TargetShape(tables);
  const problems = shape.problems(writes);
  if (problems.length === 0) return shape;
  const [current] = await tx.$queryRaw<Array<{ schema: string }>>`
    SELECT COALESCE(current_schema(), btrim(current_setting('search_path'), '"')) AS schema`;
  const schema = current?.schema ?? "public";
  const required = new Set(writes.filter((w) => !w.optionalTable).map((w) => w.table));
  const missing = [...required].filter((table) => !tables.has(table));
  if (missing.length > 0) {
    // A platform database reached without `?schema=platform` looks empty: say so, not "migrate".
    const hint = await storeSchemaHint(catalogOf(tx), schema);
    if (hint) throw new CommandError(hint);
  }
  const platform = await isPlatformDatabase(tx, schema);
  const advice = platform ? "apply the platform's own migrations" : "migrate the database first (npm run db:migrate)";
  if (missing.length === required.size)
    throw new CommandError(`schema ${schema} is missing the store's tables: ${advice}`);
  const lines = problems.map((p) => `  - ${p.replace("%MIGRATE%", advice)}`);
  if (platform) lines.push(`  (this tool follows the AutoGPT platform ${PLATFORM_STATES})`);
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  throw new CommandError(
    `this database can't take the run's rows as it is (${count}); nothing was written:\n${lines.join("\n")}`,
  );
}

/** Built by migrations none of which are this tool's: the platform's own manage it (never db:migrate). */
async function isPlatformDatabase(tx: Tx, schema: string): Promise<boolean> {
  const history = await readHistory(catalogOf(tx), schema);
  if (!history || history.length === 0) return false;
  const ours = new Set((await readMigrationFiles()).map((m) => m.name));
  return !history.some((entry) => ours.has(entry.name));
}
