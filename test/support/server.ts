// The PostgreSQL server the tests use, through its maintenance database.
import pg from "pg";

/** The server tests use; override with TEST_POSTGRES_URL (a URL to its maintenance database). */
export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

let pool: pg.Pool | undefined;

/** Runs `fn` on a connection to the maintenance database: one of this process's few, kept open
 *  between calls (each new one is a server process to start); idle, they let the process exit.
 *  A file's concurrent cases may all want one at once, and a CREATE DATABASE can take seconds on a
 *  loaded machine: a caller waits for a free connection (pg-pool's connectionTimeoutMillis is also
 *  that wait) rather than failing with "timeout exceeded when trying to connect". */
export async function admin<T>(fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  pool ??= new pg.Pool({
    connectionString: ADMIN_URL,
    connectionTimeoutMillis: 120_000,
    max: 8,
    allowExitOnIdle: true,
  });
  const client = await pool.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
