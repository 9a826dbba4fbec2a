// A single plain SQL connection, for the work Prisma Client has no API for: applying migration
// scripts (many statements each) and creating databases in tests.
import pg from "pg";
import type { PostgresTarget } from "./databaseUrl.js";
import { quoteIdentifier } from "./identifier.js";

export interface SqlSession {
  /** Runs a script of one or more statements, no parameters. */
  exec(sql: string): Promise<void>;
  /** Runs one parameterised statement and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Milliseconds to wait for a TCP connection: pg waits forever by default. */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * What this process's connections call themselves to the server (pg_stat_activity's
 * application_name): the lock-wait watcher (lockWaitWatch.ts) finds our backends by it, and tests
 * find a command's. The pid keeps two of our processes on one server from reporting each other.
 */
export function applicationName(pid: number = process.pid): string {
  return `autogpt-test-data:${pid}`;
}

export function pgClientConfig(target: PostgresTarget): pg.ClientConfig {
  return {
    // pg lets an application_name in the URL override the one below: ours must win, or the
    // watcher can't find our backends.
    connectionString: withoutParameter(target.connectionString, "application_name"),
    application_name: applicationName(),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Unqualified names (migrations, views, the refresh function, raw SQL) resolve in the schema.
    options: `-c search_path=${quoteIdentifier(target.schema)}`,
  };
}

function withoutParameter(connectionString: string, name: string): string {
  const url = new URL(connectionString);
  if (!url.searchParams.has(name)) return connectionString;
  url.searchParams.delete(name);
  return url.toString();
}

/** timestamp(3) columns hold UTC wall-clock time, as Prisma writes and reads them: a plain
 *  session reads them as UTC too, whatever this process's TZ (pg's default is local time). */
export function parseUtcTimestamp(text: string): Date {
  return new Date(`${text.replace(" ", "T")}Z`);
}

const UTC_TIMESTAMPS = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.TIMESTAMP ? parseUtcTimestamp : pg.types.getTypeParser(oid, format),
} as pg.CustomTypesConfig;

/** A Date goes as its UTC instant (pg's default sends local time with an offset, which a
 *  timestamp column reads as local wall-clock time). */
const utcDateParameter = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

export async function openPgSession(target: PostgresTarget): Promise<SqlSession> {
  const client = new pg.Client({ ...pgClientConfig(target), types: UTC_TIMESTAMPS });
  await client.connect();
  return {
    async exec(sql) {
      await client.query(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await client.query(sql, params.map(utcDateParameter));
      return result.rows as T[];
    },
    async close() {
      await client.end();
    },
  };
}
