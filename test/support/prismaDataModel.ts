// Reads prisma/schema.prisma the way `prisma generate` does: through Prisma's schema WASM
// (prisma_schema_build_bg.wasm, shipped inside the `prisma` package), whose get_dmmf returns the
// full DMMF: defaults, native types, lists, relations with their referential actions, ids,
// uniques and indexes. The generated client's runtimeDataModel lacks most of that.
//
// The package's JavaScript glue is bundled into the CLI and not importable, so this is a minimal
// wasm-bindgen glue of its own. Imports are matched by prefix (wasm-bindgen suffixes them with
// a hash that changes between Prisma releases).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ROOT } from "./repository.js";

export const SCHEMA_PATH = join(ROOT, "prisma", "schema.prisma");

// ---- The parts of the DMMF datamodel this project reads ------------------------------------

export type DmmfDefault =
  | { name: string; args: unknown[] } // a function: now(), uuid(), autoincrement(), dbgenerated()
  | string
  | number
  | boolean
  | unknown[];

export interface DmmfField {
  name: string;
  dbName: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: DmmfDefault;
  type: string;
  nativeType?: [string, string[]] | null;
  relationName?: string | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  schema: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
  uniqueFields: string[][];
  uniqueIndexes: { name: string | null; fields: string[] }[];
}

export interface DmmfEnum {
  name: string;
  dbName: string | null;
  values: { name: string; dbName: string | null }[];
}

export interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  isDefinedOnField: boolean;
  dbName?: string | null;
  name?: string | null;
  fields: { name: string; sortOrder?: string; length?: number; operatorClass?: string }[];
}

export interface DmmfDatamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  types: unknown[];
  indexes: DmmfIndex[];
}

export interface Dmmf {
  datamodel: DmmfDatamodel;
}

// ---- The WASM ------------------------------------------------------------------------------

// The project's TypeScript setup (lib ES2023, @types/node 20) has no WebAssembly typings:
// the little used here is declared by hand.
type WasmModule = object;
interface WasmImport {
  module: string;
  name: string;
  kind: string;
}
type WasmImports = Record<string, Record<string, (...args: number[]) => unknown>>;
interface WasmApi {
  Module: { new (bytes: Uint8Array): WasmModule; imports(module: WasmModule): WasmImport[] };
  Instance: new (module: WasmModule, imports: WasmImports) => { exports: unknown };
}
const WebAssemblyApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface SchemaWasmExports {
  memory: { buffer: ArrayBuffer };
  __wbindgen_externrefs: {
    get(index: number): unknown;
    set(index: number, value: unknown): void;
    grow(delta: number): number;
  };
  __wbindgen_malloc(size: number, align: number): number;
  __wbindgen_free(ptr: number, size: number, align: number): void;
  __externref_table_dealloc(index: number): void;
  __wbindgen_start(): void;
  get_dmmf(ptr: number, len: number): [number, number, number, number];
}

let instance: Promise<SchemaWasmExports> | undefined;
/** What the Rust side said when it last panicked (a panic itself reaches JS as a bare trap). */
let panicMessage = "";

function wasmPath(): string {
  const require = createRequire(join(ROOT, "package.json"));
  return join(dirname(require.resolve("prisma/package.json")), "build", "prisma_schema_build_bg.wasm");
}

async function loadSchemaWasm(): Promise<SchemaWasmExports> {
  const module = new WebAssemblyApi.Module(await readFile(wasmPath()));
  // eslint-disable-next-line prefer-const -- assigned once the instance exists; the imports above it read it later
  let wasm: SchemaWasmExports | undefined;
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });
  const text = (ptr: number, len: number) =>
    decoder.decode(new Uint8Array(wasm!.memory.buffer).subarray(ptr >>> 0, (ptr >>> 0) + len));

  const imports: WasmImports = {};
  for (const imp of WebAssemblyApi.Module.imports(module)) {
    let fn: (...args: number[]) => unknown;
    if (imp.name.startsWith("__wbg_Error_")) fn = (ptr, len) => new Error(text(ptr!, len!));
    else if (imp.name.startsWith("__wbg___wbindgen_throw_"))
      fn = (ptr, len) => {
        throw new Error(text(ptr!, len!));
      };
    else if (imp.name.startsWith("__wbg_set_message_")) fn = (ptr, len) => void (panicMessage = text(ptr!, len!));
    else if (imp.name === "__wbindgen_init_externref_table")
      fn = () => {
        const table = wasm!.__wbindgen_externrefs;
        const offset = table.grow(4);
        table.set(0, undefined);
        table.set(offset + 0, undefined);
        table.set(offset + 1, null);
        table.set(offset + 2, true);
        table.set(offset + 3, false);
      };
    else
      fn = () => {
        throw new Error(`prisma schema wasm: unexpected import ${imp.module}.${imp.name} (Prisma changed its glue)`);
      };
    (imports[imp.module] ??= {})[imp.name] = fn;
  }
  wasm = new WebAssemblyApi.Instance(module, imports).exports as SchemaWasmExports;
  wasm.__wbindgen_start();
  return wasm;
}

/** The DMMF of a schema text, as `prisma generate` computes it, plus its Unsupported fields
 *  (see withUnsupportedFields). */
export async function getDmmf(schemaText: string): Promise<Dmmf> {
  const wasm = await (instance ??= loadSchemaWasm());
  const input = new TextEncoder().encode(
    JSON.stringify({ prismaSchema: [["schema.prisma", schemaText]], noColor: true }),
  );
  const inPtr = wasm.__wbindgen_malloc(input.length, 1) >>> 0;
  new Uint8Array(wasm.memory.buffer).set(input, inPtr);
  panicMessage = "";
  let result: [number, number, number, number];
  try {
    result = wasm.get_dmmf(inPtr, input.length);
  } catch (error) {
    // After a panic the instance is unusable: the next call loads a fresh one.
    instance = undefined;
    throw panicMessage ? new Error(`prisma schema wasm panicked: ${panicMessage}`, { cause: error }) : error;
  }
  const [outPtr, outLen, errIndex, isErr] = result;
  if (isErr) {
    const error = wasm.__wbindgen_externrefs.get(errIndex);
    wasm.__externref_table_dealloc(errIndex);
    // Schema errors come as JSON: {"error_code":"P1012","message":"error: ...\n  -->  schema.prisma:3 ..."}.
    const raw = error instanceof Error ? error.message : String(error);
    let message = raw;
    try {
      message = (JSON.parse(raw) as { message?: string }).message ?? raw;
    } catch {
      // not JSON: keep it as it is
    }
    throw new Error(`schema.prisma is invalid: ${message}`);
  }
  try {
    const json = new TextDecoder().decode(
      new Uint8Array(wasm.memory.buffer).subarray(outPtr >>> 0, (outPtr >>> 0) + outLen),
    );
    return withUnsupportedFields(JSON.parse(json) as Dmmf, schemaText);
  } finally {
    wasm.__wbindgen_free(outPtr, outLen, 1);
  }
}

// ---- Unsupported("...") fields -------------------------------------------------------------

/**
 * The DMMF leaves out `Unsupported("type")` fields (the client can't read or write them), yet
 * Prisma Migrate creates their columns. They are added back to their models here, read from the
 * schema text (already validated by the WASM): kind "unsupported", type the database type as
 * written, with their @map and @default(dbgenerated(...)).
 */
function withUnsupportedFields(dmmf: Dmmf, schemaText: string): Dmmf {
  for (const [modelName, field] of unsupportedFields(schemaText)) {
    dmmf.datamodel.models.find((m) => m.name === modelName)?.fields.push(field);
  }
  return dmmf;
}

/** A line without its `//` comment (a `//` inside a string literal is no comment). */
function withoutComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString && c === "\\") i++;
    else if (c === '"') inString = !inString;
    else if (!inString && c === "/" && line[i + 1] === "/") return line.slice(0, i);
  }
  return line;
}

const STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const UNSUPPORTED_FIELD = new RegExp(String.raw`^\s*(\w+)\s+Unsupported\(\s*(${STRING})\s*\)(\?|\[\])?(.*)$`);
const MAP_ATTRIBUTE = new RegExp(String.raw`@map\(\s*(?:name\s*:\s*)?(${STRING})\s*\)`);
const DBGENERATED_DEFAULT = new RegExp(String.raw`@default\(\s*dbgenerated\(\s*(${STRING})?\s*\)\s*\)`);

/** [model name, field] for every Unsupported field of every model in a schema text. */
export function unsupportedFields(schemaText: string): Array<[string, DmmfField]> {
  const found: Array<[string, DmmfField]> = [];
  let model: string | undefined;
  for (const rawLine of schemaText.split(/\r?\n/)) {
    const line = withoutComment(rawLine);
    if (model === undefined) {
      model = /^\s*model\s+(\w+)\s*\{/.exec(line)?.[1];
      continue;
    }
    if (/^\s*\}/.test(line)) {
      model = undefined;
      continue;
    }
    const match = UNSUPPORTED_FIELD.exec(line);
    if (!match) continue;
    const [, name = "", typeLiteral = '""', modifier, attributes = ""] = match;
    const mapped = MAP_ATTRIBUTE.exec(attributes)?.[1];
    const generated = DBGENERATED_DEFAULT.exec(attributes);
    found.push([
      model,
      {
        name,
        dbName: mapped ? (JSON.parse(mapped) as string) : null,
        kind: "unsupported",
        isList: modifier === "[]",
        isRequired: modifier === undefined,
        isUnique: /@unique\b/.test(attributes),
        isId: /@id\b/.test(attributes),
        isUpdatedAt: false,
        hasDefaultValue: generated !== null,
        ...(generated
          ? { default: { name: "dbgenerated", args: generated[1] ? [JSON.parse(generated[1]) as string] : [] } }
          : {}),
        type: JSON.parse(typeLiteral) as string,
      },
    ]);
  }
  return found;
}

/** The DMMF of prisma/schema.prisma. */
export async function readSchemaDmmf(path = SCHEMA_PATH): Promise<Dmmf> {
  return getDmmf(await readFile(path, "utf8"));
}

/**
 * The schema text a generated Prisma Client was built from (`prisma generate` inlines it). Its DMMF
 * is what that client needs from the database, even when the client is stale against
 * prisma/schema.prisma.
 */
export function clientInlineSchema(client: object): string {
  const config = (client as { _engineConfig?: { inlineSchema?: unknown } })._engineConfig;
  if (typeof config?.inlineSchema !== "string") {
    throw new Error(
      "the Prisma Client exposes no inline schema (_engineConfig.inlineSchema): Prisma changed its internals",
    );
  }
  return config.inlineSchema;
}
