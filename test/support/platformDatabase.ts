// Platform-shaped test databases: a PostgreSQL database whose schema `platform` looks like one the
// AutoGPT platform's own migrations built (test/fixtures/platform-v0.6.44.sql, our own DDL from the
// catalog facts of release v0.6.44), moved to another era or shape by variant scripts applied after
// it (each one our own DDL from that state's facts, test/fixtures/platform-schema/<state>/):
//   v0.6.12      = v0.6.44 + mid-2025 + v0.6.12
//   mid-2025     = v0.6.44 + mid-2025
//   v0.6.44      = v0.6.44 [+ run-counts-graph-id]
//   dev-2026-05  = v0.6.44 + run-counts-graph-id + dev-2026-05
//   org-2026-05  = dev-2026-05 + org-2026-05 [+ org-ids-nullable]
import { readFile } from "node:fs/promises";
import { quoteIdentifier } from "../../src/shared/identifier.js";
import type { SqlSession } from "../../src/connection/sqlSession.js";
import { createTestDatabase, type PostgresTestDatabase } from "./testDatabase.js";
import { ROOT } from "./repository.js";
import { join } from "node:path";

/** The schema the platform keeps its tables in. */
export const PLATFORM_SCHEMA = "platform";

const fixture = (name: string) => join(ROOT, "test", "fixtures", name);

/** The platform at release v0.6.44 (2026-01-28): every era starts from it. */
export const PLATFORM_FIXTURE_PATH = fixture("platform-v0.6.44.sql");
/** Applied after it: the design document's era (no UserBalance, fewer columns, shorter history). */
export const PLATFORM_MID_2025_PATH = fixture("platform-mid-2025.sql");
/** Applied after mid-2025: release v0.6.12 (2025-06-05), before the materialized views. */
export const PLATFORM_V0_6_12_PATH = fixture("platform-v0.6.12.sql");
/** Applied after v0.6.44: the 2026 mv_agent_run_counts (graph_id, runs by others, joined by id alone). */
export const PLATFORM_GRAPH_ID_RUN_COUNTS_PATH = fixture("platform-run-counts-graph-id.sql");
/** Applied after the graph_id run counts: the development branch of 2026-05-11. */
export const PLATFORM_DEV_2026_05_PATH = fixture("platform-dev-2026-05.sql");
/** Applied after dev-2026-05: the organisation-tenancy branch of 2026-05-11. */
export const PLATFORM_ORG_2026_05_PATH = fixture("platform-org-2026-05.sql");
/** Applied after org-2026-05: its three org id columns nullable. */
export const PLATFORM_ORG_IDS_NULLABLE_PATH = fixture("platform-org-ids-nullable.sql");

export type PlatformEra = "v0.6.12" | "mid-2025" | "v0.6.44" | "dev-2026-05" | "org-2026-05";
export type RunCountsShape = "agentGraphId" | "graph_id";

export interface PlatformDatabaseOptions {
  /** Default v0.6.44. */
  era?: PlatformEra;
  /**
   * The shape of mv_agent_run_counts: default agentGraphId for v0.6.44 and mid-2025, graph_id for
   * dev-2026-05 and org-2026-05 (the only shape they have); v0.6.12 has no such view.
   */
  runCounts?: RunCountsShape;
  /** org-2026-05 only: the three org id columns nullable (default false: NOT NULL as in the facts) */
  orgIdsNullable?: boolean;
}

/** The scripts that make a platform database of these options, in order. */
export function platformScripts(options: PlatformDatabaseOptions = {}): string[] {
  const era = options.era ?? "v0.6.44";
  const { runCounts, orgIdsNullable = false } = options;
  if (orgIdsNullable && era !== "org-2026-05") {
    throw new Error(
      `orgIdsNullable is about the org-2026-05 platform's org id columns: a ${era} platform database has none`,
    );
  }
  switch (era) {
    case "v0.6.12":
      if (runCounts !== undefined) {
        throw new Error(
          `a v0.6.12 platform database has no mv_agent_run_counts (it came with v0.6.16): runCounts ${runCounts} makes no sense`,
        );
      }
      return [PLATFORM_FIXTURE_PATH, PLATFORM_MID_2025_PATH, PLATFORM_V0_6_12_PATH];
    case "mid-2025":
      if (runCounts === "graph_id") {
        throw new Error(
          "the graph_id shape of mv_agent_run_counts is from 2026: a mid-2025 platform database has the agentGraphId shape",
        );
      }
      return [PLATFORM_FIXTURE_PATH, PLATFORM_MID_2025_PATH];
    case "v0.6.44":
      return [PLATFORM_FIXTURE_PATH, ...(runCounts === "graph_id" ? [PLATFORM_GRAPH_ID_RUN_COUNTS_PATH] : [])];
    case "dev-2026-05":
    case "org-2026-05":
      if (runCounts === "agentGraphId") {
        throw new Error(
          `the agentGraphId shape of mv_agent_run_counts is v0.6.44's: a ${era} platform database has the graph_id shape`,
        );
      }
      return [
        PLATFORM_FIXTURE_PATH,
        PLATFORM_GRAPH_ID_RUN_COUNTS_PATH,
        PLATFORM_DEV_2026_05_PATH,
        ...(era === "org-2026-05" ? [PLATFORM_ORG_2026_05_PATH] : []),
        ...(orgIdsNullable ? [PLATFORM_ORG_IDS_NULLABLE_PATH] : []),
      ];
    default:
      throw new Error(`unknown platform era: ${String(era)}`);
  }
}

/**
 * Builds the platform's shape in `schema` over a session whose search_path is that schema (as the
 * project's sessions are), all or nothing.
 */
export async function loadPlatformShape(
  sql: SqlSession,
  schema: string,
  options: PlatformDatabaseOptions = {},
): Promise<void> {
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
