// A single plain SQL connection, for the work Prisma Client has no API for: applying migration
// scripts (many statements each) and creating databases in tests.
import pg from "pg";
import { quoteIdent, type PostgresTarget } from "./databaseUrl.js";

export interface SqlSession {
  /** Runs a script of one or more statements, no parameters. */
  exec(sql: string): Promise<void>;
  /** Runs one parameterised statement and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Milliseconds to wait for a TCP connection: pg waits forever by default. */
export const CONNECT_TIMEOUT_MS = 10_000;

export function pgClientConfig(target: PostgresTarget): pg.ClientConfig {
  return {
    connectionString: target.connectionString,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Unqualified names (migrations, views, the refresh function, raw SQL) resolve in the schema.
    options: `-c search_path=${quoteIdent(target.schema)}`,
  };
}

export async function openPgSession(target: PostgresTarget): Promise<SqlSession> {
  const client = new pg.Client(pgClientConfig(target));
  await client.connect();
  return {
    async exec(sql) {
      await client.query(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await client.query(sql, params);
      return result.rows as T[];
    },
    async close() {
      await client.end();
    },
  };
}
