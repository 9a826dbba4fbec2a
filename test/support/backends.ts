// The two databases the integration tests run on: the embedded PGlite (always available) and the
// PostgreSQL server at ADMIN_URL. When that server can't be reached, its tests are SKIPPED (and
// say so on stderr), not passed; REQUIRE_POSTGRES=1 (CI) makes them run, and so fail, instead.
import pg from "pg";
import type { Backend } from "./testDatabase.js";
import { ADMIN_URL } from "./server.js";

export interface TestBackend {
  name: Backend;
  /** node:test's skip option: false, or the reason the tests are skipped. */
  skip: string | false;
}

const REQUIRED = process.env.REQUIRE_POSTGRES === "1";

async function probe(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (error) {
    return (error as Error).message.split("\n")[0] || "no answer";
  } finally {
    await client.end().catch(() => {});
  }
}

function where(): string {
  try {
    const url = new URL(ADMIN_URL);
    return `${url.hostname}:${url.port || 5432}`;
  } catch {
    return "TEST_POSTGRES_URL";
  }
}

const problem = await probe();

/** false when PostgreSQL answers (or REQUIRE_POSTGRES=1), else the loud reason its tests are skipped. */
export const postgresSkip: string | false =
  problem === undefined || REQUIRED ? false : `PostgreSQL at ${where()} is not reachable: PostgreSQL tests SKIPPED`;

if (problem !== undefined) {
  console.error(
    REQUIRED
      ? `ERROR: REQUIRE_POSTGRES=1 but PostgreSQL at ${where()} is not reachable (${problem}): its tests will FAIL`
      : `WARNING: PostgreSQL at ${where()} is not reachable (${problem}): PostgreSQL tests SKIPPED (set REQUIRE_POSTGRES=1 to fail instead)`,
  );
}

/** The backends every dual-backend suite runs on, embedded (the default) first. */
export function backends(): TestBackend[] {
  return [
    { name: "embedded", skip: false },
    { name: "postgres", skip: postgresSkip },
  ];
}
