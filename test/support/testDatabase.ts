// Each test gets a database of its own, created here and dropped afterwards: a PostgreSQL
// database on the test server, or an embedded PGlite in a temporary directory (a command run on it
// opens that directory while the test's connection is closed). A migrated one is a copy of the run's migrated template
// (templates.ts): the migrations themselves are tested in migrations.test.ts and its kin.
import { randomBytes } from "node:crypto";
import { cpSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { after } from "node:test";
import { parseDatabaseUrl, type PostgresTarget } from "../../src/target/target.js";
import { openDatabase, type DatabaseConnection } from "../../src/cli/openDatabase.js";
import type { Db } from "../../src/connection/transaction.js";
import type { SqlSession } from "../../src/connection/sqlSession.js";
import { DATA_DIR_ENV, type DatabaseTarget, type EmbeddedTarget } from "../../src/target/target.js";
import { applyMigrations } from "../../src/migrate/applyMigrations.js";
import { readMigrationFiles } from "../../src/schema/migrationFiles.js";
import type { CliResult } from "./runCli.js";
import { runInProcess } from "./inProcess.js";
import { admin, ADMIN_URL, dropDatabase } from "./server.js";
import {
  dropOwnTemplates,
  OWN_RUN,
  runOf,
  sharedPostgresTemplate,
  newRunFolder,
  sharedRunFolder,
  TEST_DATABASE_PREFIX,
} from "./templates.js";

/** PGlite, loaded when a test first needs it (as the commands load it): ~0.5 s of CPU a PostgreSQL-only file saves. */
const pgliteModule = () => import("../../src/embedded/pglite.js");

export { ADMIN_URL, dropDatabase } from "./server.js";

// A test file run on its own (not by npm test) drops the templates it made once its tests are done.
if (OWN_RUN) after(() => dropOwnTemplates());

export type Backend = "postgres" | "embedded";

export interface TestDatabase {
  backend: Backend;
  name: string;
  /** PostgreSQL: the database's URL. Embedded: there is none (reading it throws: use cli()). */
  url: string;
  /** Embedded: the data directory. */
  dataDir?: string;
  target: DatabaseTarget;
  /** A Prisma Client on the database (disconnected by drop()). */
  db: Db;
  /** A plain SQL connection on the database (closed by drop()). */
  sql: SqlSession;
  /** Runs one of the project's commands on this database, in this process (inProcess.ts: its
   *  output and exit code as a child's). Embedded: the database is closed meanwhile, as the
   *  command takes its lock. runCli and startCommand run one in a child process. */
  cli(script: string, args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  drop(): Promise<void>;
}

export interface PostgresTestDatabase extends TestDatabase {
  backend: "postgres";
  url: string;
  target: PostgresTarget;
}

/** A database kept to copy: a closed PostgreSQL database, or an embedded data directory. */
export interface TestTemplate {
  backend: Backend;
  name: string;
  /** Embedded: its data directory (closed), copied by each database made from it. */
  dataDir?: string;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Default postgres. */
  backend?: Backend;
  schema?: string;
  /** Apply prisma/migrations (default true; ignored with a template, which is copied whole). */
  migrate?: boolean;
  /** Make the database as a copy of this one: a template, or the name of a PostgreSQL database
   *  (which must have no open connections). */
  template?: TestTemplate | string;
}

export function createTestDatabase(
  options?: TestDatabaseOptions & { backend?: "postgres" },
): Promise<PostgresTestDatabase>;
export function createTestDatabase(options: TestDatabaseOptions): Promise<TestDatabase>;
export function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  return options.backend === "embedded" ? createEmbeddedDatabase(options) : createPostgresDatabase(options);
}

/** Named after this process (its host and pid): what a killed one leaves, npm test drops (templates.ts). */
function testName(): string {
  return `${TEST_DATABASE_PREFIX}${runOf(process.pid)}_${randomBytes(4).toString("hex")}`;
}

/** The URL of database `name` on the test server (with ?schema= unless it is public). */
export function postgresUrl(name: string, schema?: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  if (schema) url.searchParams.set("schema", schema);
  return url.toString();
}

/** The run's migrated PostgreSQL database for `schema`: migrations applied once, copied after. */
export function migratedPostgresTemplate(schema = "public"): Promise<string> {
  return sharedPostgresTemplate(`migrated_${schema}`, async (name) => {
    await admin((c) => c.query(`CREATE DATABASE "${name}"`));
    const target = parseDatabaseUrl(postgresUrl(name, schema));
    const connection = await openDatabase(target);
    try {
      await applyMigrations(connection.sql, target.schema, await readMigrationFiles());
    } finally {
      await connection.close();
    }
  });
}

async function createPostgresDatabase(options: TestDatabaseOptions): Promise<PostgresTestDatabase> {
  const name = testName();
  const templateName =
    typeof options.template === "string"
      ? options.template
      : (options.template?.name ??
        ((options.migrate ?? true) ? await migratedPostgresTemplate(options.schema) : undefined));
  const template = templateName ? ` TEMPLATE "${templateName}"` : "";
  await admin((c) => c.query(`CREATE DATABASE "${name}"${template}`));
  const url = new URL(postgresUrl(name, options.schema));
  const target = parseDatabaseUrl(url.toString());
  const connection = await openDatabase(target);
  const { db, sql } = connection;
  let closed = false;
  const close = async () => {
    if (!closed) await connection.close();
    closed = true;
  };
  return {
    backend: "postgres",
    name,
    url: url.toString(),
    target,
    db,
    sql,
    cli: (script, args, env = {}) => runInProcess(script, args, url.toString(), env),
    async drop() {
      await close();
      await dropDatabase(name);
    },
  };
}

/** Runs `body` on a database made for it, and drops that database afterwards, whatever happens. */
export async function usingDatabase<T extends { drop(): Promise<void> }>(
  made: Promise<T>,
  body: (t: T) => Promise<void>,
): Promise<void> {
  const t = await made;
  try {
    await body(t);
  } finally {
    await t.drop();
  }
}

/**
 * The shared_buffers of the tests' embedded databases (PGlite's default is 128MB): starting a
 * PGlite, which every embedded test database and every command on one does, costs less than half
 * the CPU. A test database is small; what the tools do on it is the same.
 */
const TEST_SHARED_BUFFERS = "16MB";

/**
 * The run's freshly made embedded database, a data directory: PGlite's initdb (~5 s of CPU) once per
 * run, and from that, the migrations applied in `schema` (unless `migrate` is false). Configured with
 * TEST_SHARED_BUFFERS (postgresql.auto.conf, read whenever the database starts). A test database is
 * a copy of a directory (not a PGlite dump loaded into memory: opening one from disk costs half the
 * CPU, and a command can open it as it is).
 */
function freshDataDir(schema: string, migrate: boolean): Promise<string> {
  if (!migrate)
    return sharedRunFolder("pglite_new", async (dataDir) => {
      const pglite = await (await pgliteModule()).openPglite({ dataDir, schema: "public" });
      try {
        await pglite.exec(`ALTER SYSTEM SET shared_buffers = '${TEST_SHARED_BUFFERS}'`);
      } finally {
        await pglite.close();
      }
    });
  return sharedRunFolder(`pglite_migrated_${schema}`, async (dataDir) => {
    cpSync(await freshDataDir(schema, false), dataDir, { recursive: true });
    const { embeddedConnection, openPglite } = await pgliteModule();
    const pglite = await openPglite({ dataDir, schema });
    try {
      await applyMigrations(
        embeddedConnection({ kind: "embedded", dataDir, schema }, pglite).sql,
        schema,
        await readMigrationFiles(),
      );
    } finally {
      await pglite.close();
    }
  });
}

/**
 * Writes an embedded database to `dataDir`, as a command finds one on disk: a copy of `from` (a
 * template's data directory), else of the run's fresh one (migrated unless `migrate` is false).
 * `inspect` reads it meanwhile (what it returns is returned). The caller deletes it.
 */
export async function writeEmbeddedDatabase<T = undefined>(
  dataDir: string,
  {
    migrate = true,
    schema = "public",
    from,
    inspect,
  }: { migrate?: boolean; schema?: string; from?: string; inspect?: (sql: SqlSession) => Promise<T> } = {},
): Promise<T | undefined> {
  cpSync(from ?? (await freshDataDir(schema, migrate)), dataDir, { recursive: true });
  if (!inspect) return undefined;
  const { pgliteSession, openPglite } = await pgliteModule();
  const pglite = await openPglite({ dataDir, schema });
  try {
    return await inspect(pgliteSession(pglite));
  } finally {
    await pglite.close();
  }
}

async function createEmbeddedDatabase(options: TestDatabaseOptions): Promise<TestDatabase> {
  const schema = options.schema ?? "public";
  const template = options.template;
  if (typeof template === "string" || (template && !template.dataDir))
    throw new Error("an embedded test database copies an embedded template only");
  const name = testName();
  const dataDir = join(await newRunFolder("pglite-"), "db");
  await writeEmbeddedDatabase(dataDir, { from: template?.dataDir, schema, migrate: options.migrate ?? true });
  const target: EmbeddedTarget = { kind: "embedded", dataDir, schema };
  // The connection changes when cli() closes and reopens the database: db and sql follow it.
  let connection: DatabaseConnection | undefined = await openDatabase(target);
  const current = (): DatabaseConnection => {
    if (!connection) throw new Error(`test database ${name} is closed`);
    return connection;
  };
  const close = async () => {
    await connection?.close();
    connection = undefined;
  };
  const sql: SqlSession = {
    exec: (text) => current().sql.exec(text),
    query: (text, params) => current().sql.query(text, params),
    close: async () => {},
  };
  const db = new Proxy({} as Db, {
    get(_, property) {
      const real = current().db;
      const value: unknown = Reflect.get(real, property, real);
      return typeof value === "function" ? value.bind(real) : value;
    },
  });
  const removeDirectory = () => rm(join(dataDir, ".."), { recursive: true, force: true });
  return {
    backend: "embedded",
    name,
    get url(): string {
      throw new Error("an embedded test database has no URL: run commands with t.cli()");
    },
    dataDir,
    target,
    db,
    sql,
    async cli(script, args, env = {}) {
      await close();
      try {
        return await runInProcess(script, args, undefined, { ...env, [DATA_DIR_ENV]: dataDir });
      } finally {
        connection = await openDatabase(target);
      }
    },
    async drop() {
      await close();
      await removeDirectory();
    },
  };
}
