// The PostgreSQL server the tests use, through its maintenance database.
import pg from "pg";

/** The server tests use; override with TEST_POSTGRES_URL (a URL to its maintenance database). */
export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

let pool: pg.Pool | undefined;

/** Runs `fn` on a connection to the maintenance database: one of this process's few, kept open
 *  between calls (each new one is a server process to start); idle, they let the process exit. */
export async function admin<T>(fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  pool ??= new pg.Pool({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000, max: 4, allowExitOnIdle: true });
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
