// Platform-shaped test databases: a PostgreSQL database whose schema `platform` looks like one the
// AutoGPT platform's own migrations built (test/fixtures/platform-v0.6.44.sql, our own DDL from the
// catalog facts of release v0.6.44), optionally moved to another era or shape by a variant script.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { quoteIdentifier } from "../../src/db/identifier.js";
import type { SqlSession } from "../../src/db/sqlSession.js";
import { createTestDatabase, type PostgresTestDatabase } from "./testDatabase.js";

/** The schema the platform keeps its tables in. */
export const PLATFORM_SCHEMA = "platform";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** The platform at release v0.6.44 (2026-01-28). */
export const PLATFORM_FIXTURE_PATH = fixture("platform-v0.6.44.sql");
/** Applied after it: the design document's era (no UserBalance, fewer columns, shorter history). */
export const PLATFORM_MID_2025_PATH = fixture("platform-mid-2025.sql");
/** Applied after it: the 2026 mv_agent_run_counts (graph_id, runs by others, joined by id alone). */
export const PLATFORM_GRAPH_ID_RUN_COUNTS_PATH = fixture("platform-run-counts-graph-id.sql");

export type PlatformEra = "v0.6.44" | "mid-2025";
export type RunCountsShape = "agentGraphId" | "graph_id";

export interface PlatformDatabaseOptions {
  /** Default v0.6.44. */
  era?: PlatformEra;
  /** The shape of mv_agent_run_counts; default agentGraphId (v0.6.44's). */
  runCounts?: RunCountsShape;
}

/** The scripts that make a platform database of these options, in order. */
export function platformScripts(options: PlatformDatabaseOptions = {}): string[] {
  const era = options.era ?? "v0.6.44";
  const runCounts = options.runCounts ?? "agentGraphId";
  if (era === "mid-2025" && runCounts === "graph_id") {
    throw new Error("the graph_id shape of mv_agent_run_counts is from 2026: a mid-2025 platform database has the agentGraphId shape");
  }
  return [
    PLATFORM_FIXTURE_PATH,
    ...(era === "mid-2025" ? [PLATFORM_MID_2025_PATH] : []),
    ...(runCounts === "graph_id" ? [PLATFORM_GRAPH_ID_RUN_COUNTS_PATH] : []),
  ];
}

/**
 * Builds the platform's shape in `schema` over a session whose search_path is that schema (as the
 * project's sessions are), all or nothing.
 */
export async function loadPlatformShape(sql: SqlSession, schema: string, options: PlatformDatabaseOptions = {}): Promise<void> {
  const scripts = await Promise.all(platformScripts(options).map((path) => readFile(path, "utf8")));
  await sql.exec("BEGIN");
  try {
    await sql.exec(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    for (const script of scripts) await sql.exec(script);
    await sql.exec("COMMIT");
  } catch (error) {
    await sql.exec("ROLLBACK");
    throw error;
  }
}

/** A new test database (dropped by its drop()) holding a platform-shaped schema `platform`. */
export async function createPlatformDatabase(options: PlatformDatabaseOptions = {}): Promise<PostgresTestDatabase> {
  platformScripts(options); // refuses an impossible combination before a database is made
  const t = await createTestDatabase({ schema: PLATFORM_SCHEMA, migrate: false });
  try {
    await loadPlatformShape(t.sql, t.target.schema, options);
  } catch (error) {
    await t.drop();
    throw error;
  }
  return t;
}
