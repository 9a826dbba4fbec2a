// Each test gets a PostgreSQL database of its own, created here and dropped afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { parseDatabaseUrl, type PostgresTarget } from "../../src/db/databaseUrl.js";
import { createPrismaClient, type Db } from "../../src/db/prismaClient.js";
import { openPgSession, type SqlSession } from "../../src/db/sqlSession.js";
import { applyMigrations } from "../../src/migrate/applyMigrations.js";
import { readMigrationFiles } from "../../src/migrate/migrationFiles.js";

/** The server tests use; override with TEST_POSTGRES_URL (a URL to its maintenance database). */
export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  name: string;
  url: string;
  target: PostgresTarget;
  /** A Prisma Client on the database (disconnected by drop()). */
  db: Db;
  /** A plain SQL connection on the database (closed by drop()). */
  sql: SqlSession;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  schema?: string;
  /** Apply prisma/migrations (default true; ignored with a template, which is copied whole). */
  migrate?: boolean;
  /** Make the database as a copy of this one (which must have no open connections). */
  template?: string;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const name = `atd_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const template = options.template ? ` TEMPLATE "${options.template}"` : "";
  await admin((c) => c.query(`CREATE DATABASE "${name}"${template}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  if (options.schema) url.searchParams.set("schema", options.schema);
  const target = parseDatabaseUrl(url.toString());
  const sql = await openPgSession(target);
  if ((options.migrate ?? true) && !options.template) await applyMigrations(sql, target.schema, await readMigrationFiles());
  const db = createPrismaClient(target);
  return {
    name,
    url: url.toString(),
    target,
    db,
    sql,
    async drop() {
      await db.$disconnect();
      await sql.close();
      await dropDatabase(name);
    },
  };
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
