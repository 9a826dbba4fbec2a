// The platform's shape, checked against the catalog facts of a real platform database at release
// v0.6.44 (test/fixtures/platform-schema/*.tsv): (a) the platform-shaped fixture the platform tests
// run on, (b) what our own migrations make in schema `platform`, which must differ only where a
// written reason says so, and (c) the fixture's variants (mid-2025, and the 2026 run counts).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { SqlSession } from "../src/db/sqlSession.js";
import { applyMigrations, MigrationError } from "../src/migrate/applyMigrations.js";
import { readMigrationFiles } from "../src/migrate/migrationFiles.js";
import { postgresSkip } from "./support/backends.js";
import {
  diffAllFacts,
  factReport,
  factTables,
  readCatalogFacts,
  readMatviewIndexes,
  readPlatformFacts,
  readPlatformMigrationNames,
  type CatalogFacts,
} from "./support/platformCatalog.js";
import { createPlatformDatabase, PLATFORM_SCHEMA, platformScripts } from "./support/platformDatabase.js";
import { createTestDatabase, usingDatabase, type PostgresTestDatabase } from "./support/testDatabase.js";

/**
 * Where our migrations knowingly differ from the platform, as diffAllFacts words it. Nothing else
 * may differ.
 */
const DELIBERATE_DIFFERENCES = [
  // Our first migration created the enum with TERMINATED before FAILED; PostgreSQL reorders an enum
  // only by recreating the type, and nothing here sorts by it.
  "enums AgentExecutionStatus: the platform has INCOMPLETE,QUEUED,RUNNING,COMPLETED,FAILED,TERMINATED,REVIEW; " +
    "the database has INCOMPLETE,QUEUED,RUNNING,COMPLETED,TERMINATED,FAILED,REVIEW",
  // Keys to platform tables this project doesn't have: the columns are there, nullable, unchecked.
  `constraints AgentGraphExecution.AgentGraphExecution_agentPresetId_fkey: only on the platform ` +
    `(f | FOREIGN KEY ("agentPresetId") REFERENCES "AgentPreset"(id) ON UPDATE CASCADE ON DELETE SET NULL)`,
  `constraints AgentNode.AgentNode_webhookId_fkey: only on the platform ` +
    `(f | FOREIGN KEY ("webhookId") REFERENCES "IntegrationWebhook"(id) ON UPDATE CASCADE ON DELETE SET NULL)`,
];

/** The materialized views' indexes (the spec's; the TSVs cover tables only). */
const MATVIEW_INDEXES = [
  ["mv_agent_run_counts", "idx_mv_agent_run_counts", `CREATE UNIQUE INDEX idx_mv_agent_run_counts ON mv_agent_run_counts USING btree ("agentGraphId")`],
  ["mv_review_stats", "idx_mv_review_stats", `CREATE UNIQUE INDEX idx_mv_review_stats ON mv_review_stats USING btree ("storeListingId")`],
  ["mv_review_stats", "idx_mv_review_stats_count", "CREATE INDEX idx_mv_review_stats_count ON mv_review_stats USING btree (review_count DESC)"],
  ["mv_review_stats", "idx_mv_review_stats_rating", "CREATE INDEX idx_mv_review_stats_rating ON mv_review_stats USING btree (avg_rating DESC)"],
];

/** Columns that arrived after June 2025 (the mid-2025 variant has none of them). */
const LATER_COLUMNS = [
  "User.timezone", "User.notifyOnAgentApproved", "User.notifyOnAgentRejected",
  "AgentGraph.recommendedScheduleCron", "AgentGraph.instructions",
  "AgentGraphExecution.credentialInputs", "AgentGraphExecution.inputs", "AgentGraphExecution.nodesInputMasks",
  "AgentGraphExecution.isShared", "AgentGraphExecution.shareToken", "AgentGraphExecution.sharedAt",
  "AgentGraphExecution.parentGraphExecutionId", "AgentGraphExecution.endedAt",
  "StoreListing.useForOnboarding",
  "StoreListingVersion.recommendedScheduleCron", "StoreListingVersion.instructions",
  "StoreListingVersion.search", "StoreListingVersion.agentOutputDemoUrl",
];

let facts: CatalogFacts;
let migrationNames: string[];
before(async () => {
  facts = await readPlatformFacts();
  migrationNames = await readPlatformMigrationNames();
});

const withDatabase = (make: () => Promise<PostgresTestDatabase>, body: (t: PostgresTestDatabase) => Promise<void>) =>
  usingDatabase(make(), body);

const catalogOf = (t: PostgresTestDatabase) => readCatalogFacts(t.sql, t.target.schema, factTables(facts));

async function tableNames(sql: SqlSession, schema: string): Promise<string[]> {
  const rows = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.name);
}

async function columnNames(sql: SqlSession, schema: string): Promise<string[]> {
  const rows = await sql.query<{ name: string }>(
    `SELECT c.relname || '.' || a.attname AS name
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname <> '_prisma_migrations' AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema],
  );
  return rows.map((r) => r.name);
}

async function migrationRows(sql: SqlSession) {
  return sql.query<{ migration_name: string; checksum: string; finished: boolean; rolled_back: boolean; steps: number }>(
    `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back,
            applied_steps_count AS steps
     FROM "_prisma_migrations" ORDER BY started_at`,
  );
}

/**
 * A graph with two version rows owned by one user, and three runs: two by another user (one per
 * version), one by the owner; and an approved listing of it. Every run counts once in the
 * agentGraphId shape (3); in the graph_id shape the other user's runs count once per version row
 * of the graph (2 x 2 = 4) and the owner's not at all.
 */
async function seedRuns(sql: SqlSession): Promise<void> {
  await sql.query(`INSERT INTO "User" (id, email, "updatedAt") VALUES ($1, $2, now()), ($3, $4, now())`, [
    "u-owner", "owner@example.com", "u-other", "other@example.com",
  ]);
  await sql.query(`INSERT INTO "AgentGraph" (id, version, "userId") VALUES ($1, 1, $2), ($1, 2, $2)`, ["g-1", "u-owner"]);
  await sql.query(
    `INSERT INTO "AgentGraphExecution" (id, "agentGraphId", "agentGraphVersion", "userId")
     VALUES ('e-1', $1, 1, $2), ('e-2', $1, 2, $2), ('e-3', $1, 2, $3)`,
    ["g-1", "u-other", "u-owner"],
  );
  await sql.query(
    `INSERT INTO "StoreListing" (id, "agentGraphId", "agentGraphVersion", "owningUserId", slug, "hasApprovedVersion")
     VALUES ($1, $2, 2, $3, $4, true)`,
    ["l-1", "g-1", "u-owner", "graph-one"],
  );
  await sql.query(
    `INSERT INTO "StoreListingVersion" (id, "agentGraphId", "agentGraphVersion", name, "subHeading", "imageUrls",
                                        description, categories, "storeListingId", "submissionStatus")
     VALUES ($1, $2, 2, $3, $4, '{}', $5, $6, $7, 'APPROVED')`,
    ["v-1", "g-1", "Graph one", "A graph", "It runs.", ["tools"], "l-1"],
  );
}

/** run_count of g-1 in mv_agent_run_counts (keyed by `column`) and StoreAgent's runs for its listing. */
async function runCountsOfSeededGraph(sql: SqlSession, column: string): Promise<{ view: number; storeAgent: number }> {
  const [view] = await sql.query<{ n: number }>(
    `SELECT run_count::int AS n FROM "mv_agent_run_counts" WHERE ${column === "graph_id" ? "graph_id" : `"agentGraphId"`} = $1`,
    ["g-1"],
  );
  const [agent] = await sql.query<{ n: number }>(`SELECT runs::int AS n FROM "StoreAgent" WHERE listing_id = $1`, ["l-1"]);
  return { view: view?.n ?? 0, storeAgent: agent?.n ?? -1 };
}

/** Every store view can be read. */
async function readEveryView(sql: SqlSession): Promise<void> {
  for (const view of ["StoreAgent", "Creator", "StoreSubmission", "mv_agent_run_counts", "mv_review_stats"]) {
    await sql.query(`SELECT * FROM "${view}" LIMIT 1`);
  }
}

describe("(a) the platform-shaped fixture is the platform at v0.6.44", { skip: postgresSkip }, () => {
  let t: PostgresTestDatabase;
  before(async () => {
    t = await createPlatformDatabase();
  });
  after(async () => {
    await t?.drop();
  });

  test("its catalog equals the platform's facts: columns, constraints, indexes, enums, views", async () => {
    const diff = diffAllFacts(facts, await catalogOf(t));
    assert.deepEqual(diff, [], factReport("the fixture differs from the platform", diff));
  });

  test("columns come in the platform's order", async () => {
    const have = (await catalogOf(t)).columns.map((row) => `${row[0]}.${row[1]}`);
    const want = facts.columns.map((row) => `${row[0]}.${row[1]}`);
    // Per table (the order of the tables themselves means nothing).
    const byTable = (names: string[]) => {
      const tables = new Map<string, string[]>();
      for (const name of names) {
        const table = name.split(".")[0]!;
        tables.set(table, [...(tables.get(table) ?? []), name]);
      }
      return Object.fromEntries([...tables].sort(([a], [b]) => a.localeCompare(b)));
    };
    assert.deepEqual(byTable(have), byTable(want));
  });

  test("its tables: the twelve, the two stand-ins, and _prisma_migrations", async () => {
    assert.deepEqual(
      await tableNames(t.sql, PLATFORM_SCHEMA),
      [...factTables(facts), "AgentPreset", "IntegrationWebhook", "_prisma_migrations"].sort(),
    );
  });

  test("the materialized views have their indexes", async () => {
    assert.deepEqual(await readMatviewIndexes(t.sql, PLATFORM_SCHEMA), MATVIEW_INDEXES);
  });

  test("_prisma_migrations holds the platform's 111 migrations, in order, all finished", async () => {
    const rows = await migrationRows(t.sql);
    assert.equal(migrationNames.length, 111);
    assert.deepEqual(rows.map((r) => r.migration_name), migrationNames);
    for (const row of rows) {
      assert.match(row.checksum, /^[0-9a-f]{64}$/, row.migration_name);
      assert.deepEqual([row.finished, row.rolled_back, row.steps], [true, false, 1], row.migration_name);
    }
  });

  test("the foreign keys to the stand-in tables are enforced", async () => {
    await seedRuns(t.sql);
    await assert.rejects(t.sql.query(`UPDATE "AgentGraphExecution" SET "agentPresetId" = $1 WHERE id = 'e-1'`, ["no-such-preset"]), /agentPresetId_fkey/);
    await t.sql.exec(`DELETE FROM "StoreListing"; DELETE FROM "AgentGraphExecution"; DELETE FROM "AgentGraph"; DELETE FROM "User"`);
  });

  test("refresh_store_materialized_views() refreshes, and falls back when CONCURRENTLY is refused", async () => {
    await seedRuns(t.sql);
    try {
      await t.sql.query(`SELECT refresh_store_materialized_views()`);
      assert.deepEqual(await runCountsOfSeededGraph(t.sql, "agentGraphId"), { view: 3, storeAgent: 3 });
      // An unpopulated view refuses REFRESH ... CONCURRENTLY.
      await t.sql.exec(`REFRESH MATERIALIZED VIEW "mv_agent_run_counts" WITH NO DATA`);
      await t.sql.query(`SELECT refresh_store_materialized_views()`);
      const [populated] = await t.sql.query<{ ok: boolean }>(
        `SELECT relispopulated AS ok FROM pg_class WHERE oid = to_regclass('"mv_agent_run_counts"')`,
      );
      assert.equal(populated!.ok, true);
      assert.deepEqual(await runCountsOfSeededGraph(t.sql, "agentGraphId"), { view: 3, storeAgent: 3 });
      await readEveryView(t.sql);
    } finally {
      await t.sql.exec(`DELETE FROM "StoreListing"; DELETE FROM "AgentGraphExecution"; DELETE FROM "AgentGraph"; DELETE FROM "User"`);
    }
  });
});

describe("(b) our migrations make the platform's shape", { skip: postgresSkip }, () => {
  test("in schema platform, our catalog equals the platform's but for the written deliberate differences", () =>
    withDatabase(
      () => createTestDatabase({ schema: PLATFORM_SCHEMA }),
      async (t) => {
        const diff = diffAllFacts(facts, await catalogOf(t));
        assert.deepEqual(diff.sort(), [...DELIBERATE_DIFFERENCES].sort(), factReport("our migrations differ from the platform", diff));
        assert.deepEqual(await readMatviewIndexes(t.sql, PLATFORM_SCHEMA), MATVIEW_INDEXES);
      },
    ));

  test("the store views and the refresh function work on what our migrations made", () =>
    withDatabase(
      () => createTestDatabase({ schema: PLATFORM_SCHEMA }),
      async (t) => {
        await seedRuns(t.sql);
        await t.sql.query(`SELECT refresh_store_materialized_views()`);
        assert.deepEqual(await runCountsOfSeededGraph(t.sql, "agentGraphId"), { view: 3, storeAgent: 3 });
        await readEveryView(t.sql);
      },
    ));
});

/** The migration that brings our earlier tables to the platform's shape. */
const SHAPE_MIGRATION = "20250603000000_platform_v0_6_44_shape";

/** A database with our migrations applied up to (not including) the shape migration. */
async function databaseBeforeShapeMigration(): Promise<PostgresTestDatabase> {
  const t = await createTestDatabase({ migrate: false });
  const files = await readMigrationFiles();
  await applyMigrations(t.sql, t.target.schema, files.filter((f) => f.name < SHAPE_MIGRATION));
  return t;
}

/** Rows as our earlier migrations allowed them: lists left NULL, listings without a graph version. */
async function insertPreShapeRows(sql: SqlSession): Promise<void> {
  await sql.query(`INSERT INTO "User" (id, email, "updatedAt") VALUES ($1, $2, now()), ($3, $4, now())`, [
    "u1", "u1@example.com", "u2", "u2@example.com",
  ]);
  await sql.query(`INSERT INTO "Profile" (id, "userId", name, username, description) VALUES ($1, $2, $3, $4, $5)`, [
    "p1", "u1", "One", "one", "no links",
  ]);
  await sql.query(
    `INSERT INTO "AgentGraph" (id, version, "userId") VALUES ($1, 1, $4), ($1, 2, $4), ($1, 3, $4), ($2, 1, $5), ($2, 2, $5), ($3, 1, $4)`,
    ["g1", "g2", "g3", "u1", "u2"],
  );
  await sql.query(
    `INSERT INTO "StoreListing" (id, slug, "agentGraphId", "owningUserId") VALUES ($1, 'one', $4, $7), ($2, 'two', $5, $8), ($3, 'three', $6, $7)`,
    ["L1", "L2", "L3", "g1", "g2", "g3", "u1", "u2"],
  );
  // L1: two versions, the newer on graph version 2 (the graph has a version 3). L2: none.
  // L3: one version with its lists NULL.
  await sql.query(
    `INSERT INTO "StoreListingVersion" (id, version, "agentGraphId", "agentGraphVersion", name, "subHeading", description,
                                        "imageUrls", categories, "storeListingId")
     VALUES ('L1v1', 1, $1, 1, 'n', 's', 'd', '{}', '{}', $3), ('L1v2', 2, $1, 2, 'n', 's', 'd', '{}', '{}', $3),
            ('L3v1', 1, $2, 1, 'n', 's', 'd', NULL, NULL, $4)`,
    ["g1", "g3", "L1", "L3"],
  );
}

describe("(b) our shape migration on a database that already has rows", { skip: postgresSkip }, () => {
  test("back-fills StoreListing.agentGraphVersion and the lists that become NOT NULL", () =>
    withDatabase(databaseBeforeShapeMigration, async (t) => {
      await insertPreShapeRows(t.sql);
      const report = await applyMigrations(t.sql, t.target.schema, await readMigrationFiles());
      assert.deepEqual(report.applied, [SHAPE_MIGRATION]);
      const listings = await t.sql.query<{ id: string; v: number }>(`SELECT id, "agentGraphVersion" AS v FROM "StoreListing" ORDER BY id`);
      assert.deepEqual(listings, [
        { id: "L1", v: 2 }, // its newest version's graph version
        { id: "L2", v: 2 }, // no versions: its graph's highest version
        { id: "L3", v: 1 },
      ]);
      const [lists] = await t.sql.query<{ links: string[]; images: string[]; categories: string[] }>(
        `SELECT (SELECT links FROM "Profile" WHERE id = 'p1') AS links,
                (SELECT "imageUrls" FROM "StoreListingVersion" WHERE id = 'L3v1') AS images,
                (SELECT categories FROM "StoreListingVersion" WHERE id = 'L3v1') AS categories`,
      );
      assert.deepEqual(lists, { links: [], images: [], categories: [] });
    }));

  test("a listing whose graph has no rows stops the migration with its id, and nothing is changed", () =>
    withDatabase(databaseBeforeShapeMigration, async (t) => {
      await insertPreShapeRows(t.sql);
      await t.sql.query(`INSERT INTO "StoreListing" (id, slug, "agentGraphId", "owningUserId") VALUES ($1, 'gone', $2, $3)`, [
        "L-orphan", "g-deleted", "u1",
      ]);
      await assert.rejects(applyMigrations(t.sql, t.target.schema, await readMigrationFiles()), (error: unknown) => {
        assert.ok(error instanceof MigrationError, String(error));
        assert.match(error.message, /StoreListing L-orphan has no version and its graph has no AgentGraph row/);
        return true;
      });
      const [state] = await t.sql.query<{ column: boolean; applied: number }>(
        `SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'StoreListing'
                        AND column_name = 'agentGraphVersion') AS column,
                (SELECT COUNT(*)::int FROM "_prisma_migrations") AS applied`,
        [t.target.schema],
      );
      assert.deepEqual(state, { column: false, applied: 2 });
    }));
});

describe("(c) the variants look as promised", { skip: postgresSkip }, () => {
  test("mid-2025: no UserBalance, none of the later columns, history up to June 2025", () =>
    withDatabase(
      () => createPlatformDatabase({ era: "mid-2025" }),
      async (t) => {
        const tables = await tableNames(t.sql, PLATFORM_SCHEMA);
        assert.equal(tables.includes("UserBalance"), false);
        const columns = new Set(await columnNames(t.sql, PLATFORM_SCHEMA));
        assert.deepEqual(LATER_COLUMNS.filter((c) => columns.has(c)), [], "later columns left");
        assert.ok(columns.has("StoreListing.agentGraphVersion"), "StoreListing.agentGraphVersion exists since Dec 2024");
        const platformColumns = facts.columns.filter((row) => row[0] !== "UserBalance").map((row) => `${row[0]}.${row[1]}`);
        assert.deepEqual(
          platformColumns.filter((c) => !columns.has(c)).sort(),
          [...LATER_COLUMNS].sort(),
          "exactly the later columns are missing",
        );
        const names = (await migrationRows(t.sql)).map((r) => r.migration_name);
        assert.deepEqual(names, migrationNames.filter((n) => n.slice(0, 8) <= "20250630"));
        assert.equal(names.at(-1), "20250620140815_add_preset_webhook_relation");
        await seedRuns(t.sql);
        await t.sql.query(`SELECT refresh_store_materialized_views()`);
        assert.deepEqual(await runCountsOfSeededGraph(t.sql, "agentGraphId"), { view: 3, storeAgent: 3 });
        await readEveryView(t.sql);
      },
    ));

  test("graph_id: mv_agent_run_counts keyed by graph_id, counting others' runs once per version row", () =>
    withDatabase(
      () => createPlatformDatabase({ runCounts: "graph_id" }),
      async (t) => {
        const views = (await catalogOf(t)).views.filter((row) => row[0] === "mv_agent_run_counts");
        assert.deepEqual(views, [
          ["mv_agent_run_counts", "materialized view", "graph_id", "text"],
          ["mv_agent_run_counts", "materialized view", "run_count", "bigint"],
        ]);
        const indexes = (await readMatviewIndexes(t.sql, PLATFORM_SCHEMA)).filter((row) => row[0] === "mv_agent_run_counts");
        assert.deepEqual(indexes, [
          ["mv_agent_run_counts", "idx_mv_agent_run_counts", "CREATE UNIQUE INDEX idx_mv_agent_run_counts ON mv_agent_run_counts USING btree (graph_id)"],
        ]);
        await seedRuns(t.sql);
        await t.sql.query(`SELECT refresh_store_materialized_views()`);
        assert.deepEqual(await runCountsOfSeededGraph(t.sql, "graph_id"), { view: 4, storeAgent: 4 });
        await readEveryView(t.sql);
      },
    ));

  test("a mid-2025 database with the 2026 run counts is refused", () => {
    assert.throws(() => platformScripts({ era: "mid-2025", runCounts: "graph_id" }), /2026/);
  });
});
