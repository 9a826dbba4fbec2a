// A plain SQL connection for what Prisma Client has no API for: migration scripts, creating test databases.
import pg from "pg";
import type { PostgresTarget } from "../target/target.js";
import { quoteIdentifier } from "../shared/identifier.js";

export interface SqlSession {
  /** Runs a script of one or more statements, no parameters. */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Our connections' application_name: lockWaitWatch.ts and tests find our backends by it in
 *  pg_stat_activity. The pid keeps two of our processes on one server from reporting each other. */
export function applicationName(pid: number = process.pid): string {
  return `autogpt-test-data:${pid}`;
}

export function pgClientConfig(target: PostgresTarget): pg.ClientConfig {
  return {
    connectionString: target.connectionString, // without an application_name (parseDatabaseUrl)
    application_name: applicationName(),
    connectionTimeoutMillis: 10_000, // pg waits forever by default (describeError says "within 10 s")
    // Unqualified names (migrations, views, the refresh function, raw SQL) resolve in the schema.
    options: `-c search_path=${quoteIdentifier(target.schema)}`,
  };
}

/** timestamp(3) holds UTC wall-clock time (as Prisma writes it); pg's default parses it as local time. */
export function parseUtcTimestamp(text: string): Date {
  return new Date(`${text.replace(" ", "T")}Z`);
}

const UTC_TIMESTAMPS = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.TIMESTAMP ? parseUtcTimestamp : pg.types.getTypeParser(oid, format),
} as pg.CustomTypesConfig;

/** Dates go as UTC: pg's default sends local time plus offset, and a timestamp column drops the offset. */
const utcDateParameter = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

export async function openPgSession(target: PostgresTarget): Promise<SqlSession> {
  const client = new pg.Client({ ...pgClientConfig(target), types: UTC_TIMESTAMPS });
  await client.connect();
  return {
    async exec(sql) {
      await client.query(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params.map(utcDateParameter))).rows as T[];
    },
    close: () => client.end(),
  };
}
