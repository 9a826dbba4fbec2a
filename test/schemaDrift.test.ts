// The drift test: the migrated database must be exactly what prisma/schema.prisma describes, as
// `prisma migrate diff` would see it. Migrations are hand-written (Prisma Migrate can't run on
// these machines), so nothing else keeps them and the schema in step.
//
// The schema side is the full DMMF from Prisma's own schema WASM (test/support/prismaDataModel.ts);
// the database side is read from pg_catalog. findDrift compares the two and returns one readable
// line per difference.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { before, describe, test } from "node:test";
import type { SqlSession } from "../src/connection/sqlSession.js";
import {
  clientInlineSchema,
  getDmmf,
  readSchemaDmmf,
  SCHEMA_PATH,
  type Dmmf,
  type DmmfDatamodel,
  type DmmfField,
  type DmmfModel,
} from "./support/prismaDataModel.js";
import { postgresSkip } from "./support/backends.js";
import { schemaEnums } from "./support/storeChecks.js";
import { createTestDatabase } from "./support/testDatabase.js";

// ---- The database side ---------------------------------------------------------------------

interface DbColumn {
  table: string;
  name: string;
  /** format_type(), or `enum:<schema>.<name>` (with `[]` for a list) for enum columns. */
  type: string;
  notNull: boolean;
  default: string | null;
  generated: boolean;
}

interface DbIndex {
  table: string;
  name: string;
  columns: (string | null)[];
  descending: boolean[];
  unique: boolean;
  primary: boolean;
  method: string;
  partial: boolean;
}

interface DbForeignKey {
  table: string;
  name: string;
  columns: string[];
  refSchema: string;
  refTable: string;
  refColumns: string[];
  onDelete: string;
  onUpdate: string;
}

export interface DbSnapshot {
  schema: string;
  tables: string[];
  columns: DbColumn[];
  indexes: DbIndex[];
  foreignKeys: DbForeignKey[];
  enums: { name: string; values: string[] }[];
}

/** Tables in a schema that are not the application's. */
const BOOKKEEPING_TABLES = new Set(["_prisma_migrations"]);

const REFERENTIAL_ACTIONS: Record<string, string> = {
  a: "NoAction",
  r: "Restrict",
  c: "Cascade",
  n: "SetNull",
  d: "SetDefault",
};

export async function readDbSnapshot(sql: SqlSession, schema: string): Promise<DbSnapshot> {
  const tables = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY 1`,
    [schema],
  );
  const columns = await sql.query<{
    table: string;
    name: string;
    type: string;
    not_null: boolean;
    default: string | null;
    typtype: string;
    type_name: string;
    type_schema: string;
    elem_typtype: string | null;
    elem_name: string | null;
    elem_schema: string | null;
    generated: boolean;
  }>(
    `SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default,
            t.typtype, t.typname AS type_name, tn.nspname AS type_schema,
            et.typtype AS elem_typtype, et.typname AS elem_name, etn.nspname AS elem_schema,
            (a.attgenerated <> '' OR a.attidentity <> '') AS generated
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_type t ON t.oid = a.atttypid
     JOIN pg_namespace tn ON tn.oid = t.typnamespace
     LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
     LEFT JOIN pg_namespace etn ON etn.oid = et.typnamespace
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY c.relname, a.attnum`,
    [schema],
  );
  const indexes = await sql.query<{
    table: string;
    name: string;
    columns: (string | null)[];
    descending: boolean[];
    unique: boolean;
    primary: boolean;
    method: string;
    partial: boolean;
  }>(
    `SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
            am.amname AS method, ix.indpred IS NOT NULL AS partial,
            ARRAY(SELECT a.attname FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                  LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                  WHERE k.ord <= ix.indnkeyatts ORDER BY k.ord)::text[] AS columns,
            ARRAY(SELECT (o.opt & 1) = 1 FROM unnest(ix.indoption::int2[]) WITH ORDINALITY o(opt, ord)
                  ORDER BY o.ord)::bool[] AS descending
     FROM pg_index ix
     JOIN pg_class i ON i.oid = ix.indexrelid
     JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     JOIN pg_am am ON am.oid = i.relam
     WHERE n.nspname = $1 AND t.relkind IN ('r', 'p')
     ORDER BY 1, 2`,
    [schema],
  );
  const foreignKeys = await sql.query<{
    table: string;
    name: string;
    columns: string[];
    ref_schema: string;
    ref_table: string;
    ref_columns: string[];
    confdeltype: string;
    confupdtype: string;
  }>(
    `SELECT t.relname AS table, con.conname AS name, rn.nspname AS ref_schema, rt.relname AS ref_table,
            con.confdeltype, con.confupdtype,
            ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
            ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS ref_columns
     FROM pg_constraint con
     JOIN pg_class t ON t.oid = con.conrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     JOIN pg_class rt ON rt.oid = con.confrelid
     JOIN pg_namespace rn ON rn.oid = rt.relnamespace
     WHERE con.contype = 'f' AND n.nspname = $1
     ORDER BY 1, 2`,
    [schema],
  );
  const enums = await schemaEnums(sql, schema);
  return {
    schema,
    tables: tables.map((t) => t.name),
    columns: columns.map((c) => ({
      table: c.table,
      name: c.name,
      type:
        c.typtype === "e"
          ? `enum:${c.type_schema}.${c.type_name}`
          : c.elem_typtype === "e"
            ? `enum:${c.elem_schema}.${c.elem_name}[]`
            : c.type,
      notNull: c.not_null,
      default: c.default,
      generated: c.generated,
    })),
    indexes,
    foreignKeys: foreignKeys.map((f) => ({
      table: f.table,
      name: f.name,
      columns: f.columns,
      refSchema: f.ref_schema,
      refTable: f.ref_table,
      refColumns: f.ref_columns,
      onDelete: REFERENTIAL_ACTIONS[f.confdeltype] ?? f.confdeltype,
      onUpdate: REFERENTIAL_ACTIONS[f.confupdtype] ?? f.confupdtype,
    })),
    enums,
  };
}

// ---- What Prisma would create for the schema -----------------------------------------------

/** PostgreSQL's identifier limit; Prisma truncates generated names to fit it. */
const MAX_IDENTIFIER = 63;

/** Prisma's default constraint/index name: `{table}_{columns}_{suffix}`, truncated to 63 bytes. */
export function prismaConstraintName(
  table: string,
  columns: string[],
  suffix: "pkey" | "key" | "idx" | "fkey",
): string {
  const base = columns.length > 0 ? `${table}_${columns.join("_")}` : table;
  const room = MAX_IDENTIFIER - suffix.length - 1;
  return `${base.length > room ? base.slice(0, room) : base}_${suffix}`;
}

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

/** `@db.X(args)` as format_type() prints it. */
function nativeTypeSql([name, args]: [string, string[]]): string {
  const withArgs = (sqlName: string) => (args.length > 0 ? `${sqlName}(${args.join(",")})` : sqlName);
  switch (name) {
    case "Text":
      return "text";
    case "VarChar":
      return withArgs("character varying");
    case "Char":
      return withArgs("character");
    case "Uuid":
      return "uuid";
    case "Xml":
      return "xml";
    case "Inet":
      return "inet";
    case "Citext":
      return "citext";
    case "SmallInt":
      return "smallint";
    case "Integer":
      return "integer";
    case "BigInt":
      return "bigint";
    case "Oid":
      return "oid";
    case "Real":
      return "real";
    case "DoublePrecision":
      return "double precision";
    case "Decimal":
      return withArgs("numeric");
    case "Money":
      return "money";
    case "Boolean":
      return "boolean";
    case "Timestamp":
      return `timestamp(${args[0] ?? 3}) without time zone`;
    case "Timestamptz":
      return `timestamp(${args[0] ?? 3}) with time zone`;
    case "Date":
      return "date";
    case "Time":
      return `time(${args[0] ?? 3}) without time zone`;
    case "Timetz":
      return `time(${args[0] ?? 3}) with time zone`;
    case "Json":
      return "json";
    case "JsonB":
      return "jsonb";
    case "ByteA":
      return "bytea";
    case "Bit":
      return withArgs("bit");
    case "VarBit":
      return withArgs("bit varying");
    default:
      return withArgs(name.toLowerCase());
  }
}

function enumDbName(datamodel: DmmfDatamodel, name: string): string {
  return datamodel.enums.find((e) => e.name === name)?.dbName ?? name;
}

function expectedColumnType(datamodel: DmmfDatamodel, schema: string, field: DmmfField): string {
  // Unsupported("type"): the type as written, which is what format_type() prints for a plain type.
  if (field.kind === "unsupported") return field.isList ? `${field.type}[]` : field.type;
  const base =
    field.kind === "enum"
      ? `enum:${schema}.${enumDbName(datamodel, field.type)}`
      : field.nativeType
        ? nativeTypeSql(field.nativeType)
        : (SCALAR_TYPES[field.type] ?? `(unknown Prisma type ${field.type})`);
  return field.isList ? `${base}[]` : base;
}

const sqlString = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * The column default Prisma Migrate would write, in canonical form (see canonicalDbDefault),
 * or null for none: uuid()/cuid()/nanoid()/ulid() and @updatedAt are filled in by the client.
 */
function expectedDefault(datamodel: DmmfDatamodel, schema: string, field: DmmfField): string | null {
  if (!field.hasDefaultValue || field.default === undefined) return null;
  const value = field.default;
  const type = expectedColumnType(datamodel, schema, field);
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    switch (value.name) {
      case "now":
        return "CURRENT_TIMESTAMP";
      case "uuid":
      case "cuid":
      case "nanoid":
      case "ulid":
        return null;
      case "autoincrement":
      case "sequence":
        return "nextval(...)";
      case "dbgenerated":
        return value.args.length > 0 ? String(value.args[0]) : "(any)";
      default:
        return `(unknown default function ${value.name}())`;
    }
  }
  if (Array.isArray(value)) return "(any)"; // a list default: only its presence is checked
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") return String(value);
  if (field.kind === "enum") return `${sqlString(value)}::${enumDbName(datamodel, field.type)}`;
  if (field.type === "Int" || field.type === "BigInt" || field.type === "Float" || field.type === "Decimal") {
    return String(Number(value));
  }
  return `${sqlString(value)}::${type.replace(/\(.*$/, "")}`;
}

const NUMERIC_TYPES = new Set(["smallint", "integer", "bigint", "numeric", "real", "double precision"]);

/** A column default as pg_get_expr() prints it, brought to the form expectedDefault() uses. */
export function canonicalDbDefault(text: string | null): string | null {
  if (text === null) return null;
  const literal = /^'((?:[^']|'')*)'::(.+)$/s.exec(text);
  if (literal) {
    const [, value = "", castType = ""] = literal;
    // `platform."AgentExecutionStatus"` -> AgentExecutionStatus; `text` -> text.
    const type = (castType.match(/(?:"(?:[^"]|"")*"|[^."]+)$/)?.[0] ?? castType)
      .replace(/^"|"$/g, "")
      .replaceAll('""', '"');
    if (NUMERIC_TYPES.has(type) && /^-?[\d.]+(e[+-]?\d+)?$/i.test(value)) return String(Number(value));
    return `'${value}'::${type}`;
  }
  if (/^-?\d+(\.\d+)?$/.test(text)) return String(Number(text));
  if (text === "now()") return "CURRENT_TIMESTAMP";
  if (text.startsWith("nextval(")) return "nextval(...)";
  return text;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const list = (names: readonly (string | null)[]) => `(${names.map((n) => n ?? "<expression>").join(", ")})`;

/**
 * Every difference between what the schema's DMMF says Prisma Migrate would create in `db.schema`
 * and what is there, one readable line each. Empty means no drift.
 */
export function findDrift(dmmf: Dmmf, db: DbSnapshot): string[] {
  const { datamodel } = dmmf;
  const drift: string[] = [];
  const modelTable = (m: DmmfModel) => m.dbName ?? m.name;
  const modelsByName = new Map(datamodel.models.map((m) => [m.name, m]));
  const columnOf = (m: DmmfModel, fieldName: string) => {
    const f = m.fields.find((x) => x.name === fieldName);
    return f?.dbName ?? fieldName;
  };

  // Enums: present, same values in the same order; no others.
  const dbEnums = new Map(db.enums.map((e) => [e.name, e.values]));
  for (const e of datamodel.enums) {
    const name = e.dbName ?? e.name;
    const want = e.values.map((v) => v.dbName ?? v.name);
    const have = dbEnums.get(name);
    if (!have) drift.push(`enum ${name}: missing in schema ${db.schema}`);
    else if (!sameList(have, want))
      drift.push(`enum ${name}: values are ${list(have)}, schema.prisma has ${list(want)}`);
  }
  const knownEnums = new Set(datamodel.enums.map((e) => e.dbName ?? e.name));
  for (const e of db.enums) {
    if (!knownEnums.has(e.name)) drift.push(`enum ${e.name}: in the database but not in schema.prisma`);
  }

  const dbTables = new Set(db.tables);
  const modelTables = new Set(datamodel.models.map(modelTable));
  for (const table of db.tables) {
    if (!modelTables.has(table) && !BOOKKEEPING_TABLES.has(table)) {
      drift.push(`table ${table}: in the database but not in schema.prisma`);
    }
  }

  for (const model of datamodel.models) {
    const table = modelTable(model);
    if (model.schema && model.schema !== db.schema) {
      drift.push(`model ${model.name}: declares @@schema("${model.schema}") but the database schema is ${db.schema}`);
    }
    if (!dbTables.has(table)) {
      drift.push(`table ${table}: missing (model ${model.name})`);
      continue;
    }

    // Columns.
    const dbColumns = new Map(db.columns.filter((c) => c.table === table).map((c) => [c.name, c]));
    const scalarFields = model.fields.filter(
      (f) => f.kind === "scalar" || f.kind === "enum" || f.kind === "unsupported",
    );
    for (const field of scalarFields) {
      const columnName = field.dbName ?? field.name;
      const where = `${table}.${columnName}`;
      const column = dbColumns.get(columnName);
      if (!column) {
        drift.push(`column ${where}: missing (field ${model.name}.${field.name})`);
        continue;
      }
      const wantType = expectedColumnType(datamodel, db.schema, field);
      if (column.type !== wantType)
        drift.push(`column ${where}: type is ${column.type}, schema.prisma expects ${wantType}`);
      // Prisma creates scalar lists as nullable columns, whatever the field says, and can't declare
      // one NOT NULL; a list made NOT NULL by hand (as the platform's are) is no drift to it either.
      const wantNotNull = field.isRequired && !field.isList;
      if (!field.isList && column.notNull !== wantNotNull) {
        drift.push(
          `column ${where}: is ${column.notNull ? "NOT NULL" : "nullable"}, schema.prisma expects ${wantNotNull ? "NOT NULL" : "nullable"}`,
        );
      }
      const wantDefault = expectedDefault(datamodel, db.schema, field);
      // A json literal assigned to a jsonb column is stored as a jsonb value: the same default to
      // Prisma (the platform's AgentNode defaults date from when those columns were json).
      const haveDefault =
        canonicalDbDefault(column.default)?.replace(
          /^('(?:[^']|'')*')::json$/s,
          column.type === "jsonb" ? "$1::jsonb" : "$&",
        ) ?? null;
      const defaultMatches = wantDefault === "(any)" ? haveDefault !== null : haveDefault === wantDefault;
      if (!defaultMatches) {
        drift.push(
          `column ${where}: default is ${haveDefault ?? "(none)"}, schema.prisma expects ${wantDefault ?? "(none)"}` +
            (wantDefault === null && field.hasDefaultValue ? " (the client generates this value)" : ""),
        );
      }
      if (column.generated)
        drift.push(`column ${where}: is a generated/identity column, which the client would try to write`);
    }
    const fieldColumns = new Set(scalarFields.map((f) => f.dbName ?? f.name));
    for (const column of dbColumns.values()) {
      if (fieldColumns.has(column.name)) continue;
      const breaksInserts = column.notNull && column.default === null;
      drift.push(
        `column ${table}.${column.name}: in the database but not in schema.prisma` +
          (breaksInserts ? " (NOT NULL without a default: every insert by the client fails)" : ""),
      );
    }

    // Primary key, unique and plain indexes.
    const dbIndexes = db.indexes.filter((i) => i.table === table);
    const expectedIndexNames = new Set<string>();
    for (const index of datamodel.indexes.filter((i) => i.model === model.name)) {
      if (index.type === "fulltext") continue; // MySQL/MongoDB only
      const columns = index.fields.map((f) => columnOf(model, f.name));
      const kind = index.type === "id" ? "primary key" : index.type === "unique" ? "unique index" : "index";
      const suffix = index.type === "id" ? "pkey" : index.type === "unique" ? "key" : "idx";
      const defaultName =
        index.type === "id" ? prismaConstraintName(table, [], "pkey") : prismaConstraintName(table, columns, suffix);
      const name = index.dbName ?? (index.type === "id" ? model.primaryKey?.name : null) ?? defaultName;
      expectedIndexNames.add(name);
      const found = dbIndexes.find((i) => i.name === name);
      if (!found) {
        const sameColumns = dbIndexes.find((i) => sameList(i.columns, columns));
        drift.push(
          `${kind} ${name} on ${table}${list(columns)}: missing` +
            (sameColumns ? ` (an index on the same columns exists as ${sameColumns.name})` : ""),
        );
        continue;
      }
      if (!sameList(found.columns, columns)) {
        drift.push(`${kind} ${name}: is on ${table}${list(found.columns)}, schema.prisma expects ${list(columns)}`);
      }
      if (index.type === "id" && !found.primary) drift.push(`${kind} ${name}: is not the table's primary key`);
      if (index.type !== "id" && found.primary)
        drift.push(`${kind} ${name}: is the primary key, schema.prisma expects a ${kind}`);
      if (index.type !== "id" && found.unique !== (index.type === "unique")) {
        drift.push(
          `${kind} ${name}: is ${found.unique ? "unique" : "not unique"}, schema.prisma expects ${index.type === "unique" ? "unique" : "not unique"}`,
        );
      }
      const wantMethod = ((index as { algorithm?: string }).algorithm ?? "BTree").toLowerCase();
      if (found.method !== wantMethod)
        drift.push(`${kind} ${name}: uses ${found.method}, schema.prisma expects ${wantMethod}`);
      const wantDescending = index.fields.map((f) => f.sortOrder === "desc");
      if (!sameList(found.descending, wantDescending))
        drift.push(`${kind} ${name}: sort order differs from schema.prisma`);
      if (found.partial)
        drift.push(`${kind} ${name}: is a partial index (has a WHERE clause), schema.prisma can't express one`);
    }
    for (const index of dbIndexes) {
      if (!expectedIndexNames.has(index.name)) {
        drift.push(
          `${index.primary ? "primary key" : index.unique ? "unique index" : "index"} ${index.name} on ${table}${list(index.columns)}: in the database but not in schema.prisma`,
        );
      }
    }

    // Foreign keys: one per relation field that holds the scalar fields.
    const dbForeignKeys = db.foreignKeys.filter((f) => f.table === table);
    const expectedFkNames = new Set<string>();
    for (const field of model.fields.filter((f) => f.kind === "object" && (f.relationFromFields?.length ?? 0) > 0)) {
      const target = modelsByName.get(field.type);
      if (!target) {
        drift.push(`relation ${model.name}.${field.name}: refers to unknown model ${field.type}`);
        continue;
      }
      const columns = field.relationFromFields!.map((f) => columnOf(model, f));
      const refColumns = (field.relationToFields ?? []).map((f) => columnOf(target, f));
      // Prisma's defaults: Restrict for a required relation, SetNull for an optional one; Cascade on update.
      const onDelete = field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull");
      const onUpdate = field.relationOnUpdate ?? "Cascade";
      const name = prismaConstraintName(table, columns, "fkey");
      expectedFkNames.add(name);
      const fk = dbForeignKeys.find((f) => f.name === name);
      const what = `foreign key ${name} (${model.name}.${field.name})`;
      if (!fk) {
        drift.push(`${what}: missing`);
        continue;
      }
      if (!sameList(fk.columns, columns))
        drift.push(`${what}: is on ${list(fk.columns)}, schema.prisma expects ${list(columns)}`);
      const refTable = modelTable(target);
      if (fk.refTable !== refTable || fk.refSchema !== db.schema || !sameList(fk.refColumns, refColumns)) {
        drift.push(
          `${what}: references ${fk.refSchema}.${fk.refTable}${list(fk.refColumns)}, schema.prisma expects ${db.schema}.${refTable}${list(refColumns)}`,
        );
      }
      if (fk.onDelete !== onDelete)
        drift.push(`${what}: ON DELETE is ${fk.onDelete}, schema.prisma expects ${onDelete}`);
      if (fk.onUpdate !== onUpdate)
        drift.push(`${what}: ON UPDATE is ${fk.onUpdate}, schema.prisma expects ${onUpdate}`);
    }
    for (const fk of dbForeignKeys) {
      if (!expectedFkNames.has(fk.name)) {
        drift.push(
          `foreign key ${fk.name} on ${table}${list(fk.columns)} -> ${fk.refTable}${list(fk.refColumns)}: in the database but not in schema.prisma`,
        );
      }
    }
  }
  return drift;
}

// ---- The tests -----------------------------------------------------------------------------

const driftReport = (drift: string[]) => `schema drift:\n  ${drift.join("\n  ")}`;

describe("schema.prisma and the migrations agree", () => {
  let dmmf: Dmmf;
  before(async () => {
    dmmf = await readSchemaDmmf();
  });

  test("the DMMF read through Prisma's schema WASM has the spec's models, enums, defaults and relations", () => {
    const { models, enums } = dmmf.datamodel;
    assert.deepEqual(models.map((m) => m.name).sort(), [
      "AgentBlock",
      "AgentGraph",
      "AgentGraphExecution",
      "AgentNode",
      "AgentNodeExecution",
      "CreditTransaction",
      "Profile",
      "StoreListing",
      "StoreListingReview",
      "StoreListingVersion",
      "User",
      "UserBalance",
    ]);
    assert.deepEqual(enums.map((e) => e.name).sort(), [
      "AgentExecutionStatus",
      "CreditTransactionType",
      "SubmissionStatus",
    ]);
    // The parts findDrift depends on are really there (a DMMF without them would pass vacuously).
    const field = (model: string, name: string) =>
      models.find((m) => m.name === model)!.fields.find((f) => f.name === name)!;
    assert.deepEqual(field("User", "createdAt").default, { name: "now", args: [] });
    assert.equal(field("User", "metadata").default, "{}");
    assert.equal(field("AgentGraphExecution", "executionStatus").default, "COMPLETED");
    assert.equal(field("Profile", "links").isList, true);
    // Unsupported fields aren't in Prisma's DMMF: prismaDataModel.ts adds them from the schema text.
    assert.equal(field("StoreListingVersion", "search").kind, "unsupported");
    assert.equal(field("StoreListingVersion", "search").type, "tsvector");
    assert.equal(field("StoreListingVersion", "search").isRequired, false);
    assert.deepEqual(field("StoreListingVersion", "search").default, { name: "dbgenerated", args: ["''::tsvector"] });
    assert.equal(field("Profile", "User").relationOnDelete, "Cascade");
    assert.deepEqual(models.find((m) => m.name === "AgentGraph")!.primaryKey?.fields, ["id", "version"]);
    assert.ok(
      dmmf.datamodel.indexes.some(
        (i) => i.model === "AgentGraphExecution" && i.type === "normal" && i.fields.length === 3,
      ),
    );
  });

  for (const schema of [undefined, "platform"] as const) {
    test(
      `the migrated database (${schema ?? "public"}) has no drift from schema.prisma`,
      { skip: postgresSkip },
      async () => {
        const testDb = await createTestDatabase(schema ? { schema } : {});
        try {
          const snapshot = await readDbSnapshot(testDb.sql, testDb.target.schema);
          assert.equal(snapshot.schema, schema ?? "public");
          assert.equal(
            snapshot.tables.length,
            dmmf.datamodel.models.length + 1,
            "every model's table and _prisma_migrations",
          );
          const drift = findDrift(dmmf, snapshot);
          assert.deepEqual(drift, [], driftReport(drift));
        } finally {
          await testDb.drop();
        }
      },
    );
  }

  test(
    "the generated client was built from prisma/schema.prisma, and all it needs is in the database",
    { skip: postgresSkip },
    async () => {
      const testDb = await createTestDatabase();
      try {
        const inline = clientInlineSchema(testDb.db);
        const drift = findDrift(await getDmmf(inline), await readDbSnapshot(testDb.sql, testDb.target.schema));
        assert.deepEqual(drift, [], driftReport(drift));
        assert.equal(
          inline,
          await readFile(SCHEMA_PATH, "utf8"),
          "src/generated/prisma is stale: run npm run generate",
        );
      } finally {
        await testDb.drop();
      }
    },
  );

  test(
    "findDrift reports a database altered after migrating, one readable line per difference",
    { skip: postgresSkip },
    async () => {
      const testDb = await createTestDatabase();
      try {
        await testDb.sql.exec(`
        ALTER TABLE "StoreListingReview" ALTER COLUMN "comments" TYPE varchar(200);
        ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;
        ALTER TABLE "StoreListingVersion" ALTER COLUMN "isFeatured" DROP DEFAULT;
        ALTER TABLE "User" ALTER COLUMN "integrations" SET DEFAULT 'none';
        ALTER TABLE "AgentNode" DROP COLUMN "metadata";
        ALTER TABLE "Profile" ADD COLUMN "bio" text NOT NULL;
        DROP INDEX "AgentGraphExecution_createdAt_idx";
        ALTER INDEX "Profile_username_key" RENAME TO "Profile_username_unique";
        ALTER TABLE "CreditTransaction" DROP CONSTRAINT "CreditTransaction_userId_fkey";
        ALTER TABLE "CreditTransaction" ADD CONSTRAINT "CreditTransaction_userId_fkey"
          FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
        ALTER TYPE "SubmissionStatus" ADD VALUE 'ARCHIVED';
        ALTER TABLE "StoreListingVersion" DROP COLUMN "search";
        ALTER TABLE "AgentNode" ALTER COLUMN "constantInput" SET DEFAULT '{"a": 1}'::json;
        ALTER TABLE "StoreListingVersion" ALTER COLUMN "categories" SET DEFAULT '{}';
        -- No drift: a list's nullability and a json (not jsonb) literal as a jsonb default.
        ALTER TABLE "Profile" ALTER COLUMN "links" DROP NOT NULL;
        ALTER TABLE "User" ALTER COLUMN "metadata" SET DEFAULT '{}'::json;
      `);
        const drift = findDrift(dmmf, await readDbSnapshot(testDb.sql, testDb.target.schema));
        const expected = [
          /^column StoreListingReview\.comments: type is character varying\(200\), schema\.prisma expects text$/,
          /^column User\.name: is NOT NULL, schema\.prisma expects nullable$/,
          /^column StoreListingVersion\.isFeatured: default is \(none\), schema\.prisma expects false$/,
          /^column User\.integrations: default is 'none'::text, schema\.prisma expects ''::text$/,
          /^column AgentNode\.metadata: missing \(field AgentNode\.metadata\)$/,
          /^column Profile\.bio: in the database but not in schema\.prisma \(NOT NULL without a default: every insert by the client fails\)$/,
          /^index AgentGraphExecution_createdAt_idx on AgentGraphExecution\(createdAt\): missing$/,
          /^unique index Profile_username_key on Profile\(username\): missing \(an index on the same columns exists as Profile_username_unique\)$/,
          /^unique index Profile_username_unique on Profile\(username\): in the database but not in schema\.prisma$/,
          /^foreign key CreditTransaction_userId_fkey \(CreditTransaction\.User\): ON DELETE is Cascade, schema\.prisma expects NoAction$/,
          /^enum SubmissionStatus: values are \(DRAFT, PENDING, APPROVED, REJECTED, ARCHIVED\), schema\.prisma has \(DRAFT, PENDING, APPROVED, REJECTED\)$/,
          /^column StoreListingVersion\.search: missing \(field StoreListingVersion\.search\)$/,
          /^column AgentNode\.constantInput: default is '\{"a": 1\}'::jsonb, schema\.prisma expects '\{\}'::jsonb$/,
          /^column StoreListingVersion\.categories: default is '\{\}'::text\[\], schema\.prisma expects \(none\)$/,
        ];
        for (const pattern of expected) {
          assert.ok(
            drift.some((line) => pattern.test(line)),
            `expected a line matching ${pattern}\n${driftReport(drift)}`,
          );
        }
        assert.equal(drift.length, expected.length, driftReport(drift));
      } finally {
        await testDb.drop();
      }
    },
  );

  test(
    "findDrift reports a schema.prisma ahead of the migrations (a field, an index, a relation, an enum value)",
    { skip: postgresSkip },
    async () => {
      const testDb = await createTestDatabase();
      try {
        const schemaText = await readFile(SCHEMA_PATH, "utf8");
        const changed = schemaText
          .replace(/(model User \{\n)/, "$1  nickname String\n  score Int @default(0)\n")
          .replace(
            /(model Profile \{\n)/,
            `$1  fts Unsupported("tsvector")? @map("full_text") @default(dbgenerated("''::tsvector")) // "a // comment"\n`,
          )
          .replace(/(model AgentBlock \{\n(?:.*\n)*?)(\})/, "$1  @@index([inputSchema])\n$2")
          .replace(/(\n {2}REVIEW\n)/, "$1  WAITING\n")
          .replace(
            /(ReviewByUser +User +@relation\(fields: \[reviewByUserId\], references: \[id\])\)/,
            "$1, onDelete: Cascade)",
          );
        assert.notEqual(changed, schemaText);
        const drift = findDrift(await getDmmf(changed), await readDbSnapshot(testDb.sql, testDb.target.schema));
        const expected = [
          /^column User\.nickname: missing \(field User\.nickname\)$/,
          /^column User\.score: missing \(field User\.score\)$/,
          /^column Profile\.full_text: missing \(field Profile\.fts\)$/,
          /^index AgentBlock_inputSchema_idx on AgentBlock\(inputSchema\): missing$/,
          /^enum AgentExecutionStatus: values are \(INCOMPLETE, QUEUED, RUNNING, COMPLETED, TERMINATED, FAILED, REVIEW\), schema\.prisma has \(INCOMPLETE, QUEUED, RUNNING, COMPLETED, TERMINATED, FAILED, REVIEW, WAITING\)$/,
          /^foreign key StoreListingReview_reviewByUserId_fkey \(StoreListingReview\.ReviewByUser\): ON DELETE is Restrict, schema\.prisma expects Cascade$/,
        ];
        for (const pattern of expected) {
          assert.ok(
            drift.some((line) => pattern.test(line)),
            `expected a line matching ${pattern}\n${driftReport(drift)}`,
          );
        }
        assert.equal(drift.length, expected.length, driftReport(drift));
      } finally {
        await testDb.drop();
      }
    },
  );

  test("an invalid schema is reported with Prisma's own validation message", async () => {
    await assert.rejects(
      getDmmf(`datasource db {\n  provider = "postgresql"\n}\n\nmodel X {\n  id Int @id\n  name Strin\n}\n`),
      /schema\.prisma is invalid: .*Type "Strin" is neither a built-in type/s,
    );
  });

  test("Prisma's generated names are truncated to PostgreSQL's 63 bytes", () => {
    assert.equal(prismaConstraintName("User", ["email"], "key"), "User_email_key");
    assert.equal(prismaConstraintName("User", [], "pkey"), "User_pkey");
    const long = prismaConstraintName(
      "StoreListingReview",
      ["storeListingVersionId", "reviewByUserId", "anotherColumn"],
      "idx",
    );
    assert.equal(long.length, 63);
    assert.ok(long.endsWith("_idx"));
    assert.equal(
      canonicalDbDefault(`'COMPLETED'::platform."AgentExecutionStatus"`),
      "'COMPLETED'::AgentExecutionStatus",
    );
    assert.equal(canonicalDbDefault(`'-1'::integer`), "-1");
    assert.equal(canonicalDbDefault(`'{}'::jsonb`), "'{}'::jsonb");
  });
});
