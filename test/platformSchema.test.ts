// The platform's shape, checked against the catalog facts of real platform databases
// (test/fixtures/platform-schema/<state>/*.tsv): (a) the platform-shaped fixture the platform tests
// run on (release v0.6.44), (b) what our own migrations make in schema `platform`, which must
// differ from v0.6.44 only where a written reason says so, (c) the fixture's variants (mid-2025,
// and the 2026 run counts), and (d) the other states' fixtures (v0.6.12, dev-2026-05,
// org-2026-05), each against its own state's facts, and their views at work.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { SqlSession } from "../src/connection/sqlSession.js";
import { applyMigrations, MigrationError } from "../src/migrate/applyMigrations.js";
import { readMigrationFiles } from "../src/schema/migrationFiles.js";
import { postgresSkip } from "./support/backends.js";
import {
  diffAllFacts,
  factReport,
  factTables,
  readCatalogFacts,
  readMatviewIndexes,
  readPlatformFacts,
  readPlatformMigrationNames,
  platformFactsDir,
  type CatalogFacts,
  type PlatformFactsState,
} from "./support/platformCatalog.js";
import {
  createPlatformDatabase,
  PLATFORM_SCHEMA,
  platformScripts,
  type PlatformDatabaseOptions,
} from "./support/platformDatabase.js";
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

/** Columns that arrived after June 2025 (the mid-2025 variant has none of them). */
const LATER_COLUMNS = [
  "User.timezone",
  "User.notifyOnAgentApproved",
  "User.notifyOnAgentRejected",
  "AgentGraph.recommendedScheduleCron",
  "AgentGraph.instructions",
  "AgentGraphExecution.credentialInputs",
  "AgentGraphExecution.inputs",
  "AgentGraphExecution.nodesInputMasks",
  "AgentGraphExecution.isShared",
  "AgentGraphExecution.shareToken",
  "AgentGraphExecution.sharedAt",
  "AgentGraphExecution.parentGraphExecutionId",
  "AgentGraphExecution.endedAt",
  "StoreListing.useForOnboarding",
  "StoreListingVersion.recommendedScheduleCron",
  "StoreListingVersion.instructions",
  "StoreListingVersion.search",
  "StoreListingVersion.agentOutputDemoUrl",
];

let facts: CatalogFacts;
let migrationNames: string[];
before(async () => {
  facts = await readPlatformFacts();
  migrationNames = await readPlatformMigrationNames();
});

/** On PostgreSQL; the tests, each on its own database, at once (they mostly wait on the server). */
const onServer = { skip: postgresSkip, concurrency: true };

const withDatabase = (make: () => Promise<PostgresTestDatabase>, body: (t: PostgresTestDatabase) => Promise<void>) =>
  usingDatabase(make(), body);

const catalogOf = (t: PostgresTestDatabase, of: CatalogFacts = facts) =>
  readCatalogFacts(t.sql, t.target.schema, factTables(of));

/** Per table, its columns in order (the order of the tables themselves means nothing). */
function columnsByTable(rows: string[][]): Record<string, string[]> {
  const tables = new Map<string, string[]>();
  for (const [table, column] of rows) tables.set(table!, [...(tables.get(table!) ?? []), column!]);
  return Object.fromEntries([...tables].sort(([a], [b]) => a.localeCompare(b)));
}

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
  return sql.query<{
    migration_name: string;
    checksum: string;
    finished: boolean;
    rolled_back: boolean;
    steps: number;
  }>(
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
    "u-owner",
    "owner@example.com",
    "u-other",
    "other@example.com",
  ]);
  await sql.query(`INSERT INTO "AgentGraph" (id, version, "userId") VALUES ($1, 1, $2), ($1, 2, $2)`, [
    "g-1",
    "u-owner",
  ]);
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
  const [agent] = await sql.query<{ n: number }>(`SELECT runs::int AS n FROM "StoreAgent" WHERE listing_id = $1`, [
    "l-1",
  ]);
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

  test("its catalog equals the platform's facts: columns, constraints, indexes, enums, views, view indexes", async () => {
    assert.equal(facts.viewIndexes.length, 4);
    const diff = diffAllFacts(facts, await catalogOf(t));
    assert.deepEqual(diff, [], factReport("the fixture differs from the platform", diff));
  });

  test("columns come in the platform's order", async () => {
    assert.deepEqual(columnsByTable((await catalogOf(t)).columns), columnsByTable(facts.columns));
  });

  test("its tables: the twelve, the two stand-ins, and _prisma_migrations", async () => {
    assert.deepEqual(
      await tableNames(t.sql, PLATFORM_SCHEMA),
      [...factTables(facts), "AgentPreset", "IntegrationWebhook", "_prisma_migrations"].sort(),
    );
  });

  test("_prisma_migrations holds the platform's 111 migrations, in order, all finished", async () => {
    const rows = await migrationRows(t.sql);
    assert.equal(migrationNames.length, 111);
    assert.deepEqual(
      rows.map((r) => r.migration_name),
      migrationNames,
    );
    for (const row of rows) {
      assert.match(row.checksum, /^[0-9a-f]{64}$/, row.migration_name);
      assert.deepEqual([row.finished, row.rolled_back, row.steps], [true, false, 1], row.migration_name);
    }
  });

  test("the foreign keys to the stand-in tables are enforced", async () => {
    await seedRuns(t.sql);
    await assert.rejects(
      t.sql.query(`UPDATE "AgentGraphExecution" SET "agentPresetId" = $1 WHERE id = 'e-1'`, ["no-such-preset"]),
      /agentPresetId_fkey/,
    );
    await t.sql.exec(
      `DELETE FROM "StoreListing"; DELETE FROM "AgentGraphExecution"; DELETE FROM "AgentGraph"; DELETE FROM "User"`,
    );
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
      await t.sql.exec(
        `DELETE FROM "StoreListing"; DELETE FROM "AgentGraphExecution"; DELETE FROM "AgentGraph"; DELETE FROM "User"`,
      );
    }
  });
});

describe("(b) our migrations make the platform's shape", onServer, () => {
  test("in schema platform, our catalog equals the platform's but for the written deliberate differences", () =>
    withDatabase(
      () => createTestDatabase({ schema: PLATFORM_SCHEMA }),
      async (t) => {
        const diff = diffAllFacts(facts, await catalogOf(t));
        assert.deepEqual(
          diff.sort(),
          [...DELIBERATE_DIFFERENCES].sort(),
          factReport("our migrations differ from the platform", diff),
        );
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
  await applyMigrations(
    t.sql,
    t.target.schema,
    files.filter((f) => f.name < SHAPE_MIGRATION),
  );
  return t;
}

/** Rows as our earlier migrations allowed them: lists left NULL, listings without a graph version. */
async function insertPreShapeRows(sql: SqlSession): Promise<void> {
  await sql.query(`INSERT INTO "User" (id, email, "updatedAt") VALUES ($1, $2, now()), ($3, $4, now())`, [
    "u1",
    "u1@example.com",
    "u2",
    "u2@example.com",
  ]);
  await sql.query(`INSERT INTO "Profile" (id, "userId", name, username, description) VALUES ($1, $2, $3, $4, $5)`, [
    "p1",
    "u1",
    "One",
    "one",
    "no links",
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

describe("(b) our shape migration on a database that already has rows", onServer, () => {
  test("back-fills StoreListing.agentGraphVersion and the lists that become NOT NULL", () =>
    withDatabase(databaseBeforeShapeMigration, async (t) => {
      await insertPreShapeRows(t.sql);
      const report = await applyMigrations(t.sql, t.target.schema, await readMigrationFiles());
      assert.deepEqual(report.applied, [SHAPE_MIGRATION]);
      const listings = await t.sql.query<{ id: string; v: number }>(
        `SELECT id, "agentGraphVersion" AS v FROM "StoreListing" ORDER BY id`,
      );
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
      await t.sql.query(
        `INSERT INTO "StoreListing" (id, slug, "agentGraphId", "owningUserId") VALUES ($1, 'gone', $2, $3)`,
        ["L-orphan", "g-deleted", "u1"],
      );
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

describe("(c) the variants look as promised", onServer, () => {
  test("mid-2025: no UserBalance, none of the later columns, history up to June 2025", () =>
    withDatabase(
      () => createPlatformDatabase({ era: "mid-2025" }),
      async (t) => {
        const tables = await tableNames(t.sql, PLATFORM_SCHEMA);
        assert.equal(tables.includes("UserBalance"), false);
        const columns = new Set(await columnNames(t.sql, PLATFORM_SCHEMA));
        assert.deepEqual(
          LATER_COLUMNS.filter((c) => columns.has(c)),
          [],
          "later columns left",
        );
        assert.ok(
          columns.has("StoreListing.agentGraphVersion"),
          "StoreListing.agentGraphVersion exists since Dec 2024",
        );
        const platformColumns = facts.columns
          .filter((row) => row[0] !== "UserBalance")
          .map((row) => `${row[0]}.${row[1]}`);
        assert.deepEqual(
          platformColumns.filter((c) => !columns.has(c)).sort(),
          [...LATER_COLUMNS].sort(),
          "exactly the later columns are missing",
        );
        const names = (await migrationRows(t.sql)).map((r) => r.migration_name);
        assert.deepEqual(
          names,
          migrationNames.filter((n) => n.slice(0, 8) <= "20250630"),
        );
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
        const indexes = (await readMatviewIndexes(t.sql, PLATFORM_SCHEMA)).filter(
          (row) => row[0] === "mv_agent_run_counts",
        );
        assert.deepEqual(indexes, [
          [
            "mv_agent_run_counts",
            "idx_mv_agent_run_counts",
            "CREATE UNIQUE INDEX idx_mv_agent_run_counts ON mv_agent_run_counts USING btree (graph_id)",
          ],
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

/** A fixture state: how the loader makes it, the facts it must equal, and where it may not. */
interface FixtureState {
  name: string;
  options: PlatformDatabaseOptions;
  facts: PlatformFactsState;
  migrations: number;
  /** As DELIBERATE_DIFFERENCES: diffAllFacts's lines, each with its reason. */
  differences: string[];
}

const FIXTURE_STATES: FixtureState[] = [
  { name: "v0.6.12", options: { era: "v0.6.12" }, facts: "v0.6.12", migrations: 66, differences: [] },
  { name: "dev-2026-05", options: { era: "dev-2026-05" }, facts: "dev-2026-05-11", migrations: 143, differences: [] },
  { name: "org-2026-05", options: { era: "org-2026-05" }, facts: "org-2026-05-11", migrations: 145, differences: [] },
  {
    name: "org-2026-05, org ids nullable",
    options: { era: "org-2026-05", orgIdsNullable: true },
    facts: "org-2026-05-11",
    migrations: 145,
    // Wanted: the later cut-over the spec describes, of which there are no facts (see
    // platform-org-ids-nullable.sql). Only the three columns' nullability differs.
    differences: [
      "columns AgentGraph.organizationId: the platform has text | NO | (none); the database has text | YES | (none)",
      "columns AgentGraphExecution.organizationId: the platform has text | NO | (none); the database has text | YES | (none)",
      "columns StoreListing.owningOrgId: the platform has text | NO | (none); the database has text | YES | (none)",
    ],
  },
];

describe("(d) each other state's fixture equals its own facts", onServer, () => {
  for (const state of FIXTURE_STATES) {
    test(`${state.name}: catalog, column order, tables and migration history as ${state.facts}'s facts`, () =>
      withDatabase(
        () => createPlatformDatabase(state.options),
        async (t) => {
          const dir = platformFactsDir(state.facts);
          const [want, names] = await Promise.all([readPlatformFacts(dir), readPlatformMigrationNames(dir)]);
          const have = await catalogOf(t, want);
          const diff = diffAllFacts(want, have);
          assert.deepEqual(
            diff.sort(),
            [...state.differences].sort(),
            factReport(`the ${state.name} fixture differs from its facts`, diff),
          );
          assert.deepEqual(columnsByTable(have.columns), columnsByTable(want.columns));
          // The stand-ins keep the keys to AgentPreset and IntegrationWebhook, as in platform-v0.6.44.sql.
          assert.deepEqual(
            await tableNames(t.sql, PLATFORM_SCHEMA),
            [...factTables(want), "AgentPreset", "IntegrationWebhook", "_prisma_migrations"].sort(),
          );
          const rows = await migrationRows(t.sql);
          assert.equal(names.length, state.migrations);
          assert.deepEqual(
            rows.map((r) => r.migration_name),
            names,
          );
          for (const row of rows) {
            assert.match(row.checksum, /^[0-9a-f]{64}$/, row.migration_name);
            assert.deepEqual([row.finished, row.rolled_back, row.steps], [true, false, 1], row.migration_name);
          }
        },
      ));
  }

  test("impossible combinations are refused", () => {
    assert.throws(() => platformScripts({ era: "v0.6.12", runCounts: "agentGraphId" }), /no mv_agent_run_counts/);
    assert.throws(() => platformScripts({ era: "v0.6.12", runCounts: "graph_id" }), /no mv_agent_run_counts/);
    assert.throws(() => platformScripts({ era: "dev-2026-05", runCounts: "agentGraphId" }), /graph_id shape/);
    assert.throws(() => platformScripts({ era: "org-2026-05", runCounts: "agentGraphId" }), /graph_id shape/);
    assert.throws(() => platformScripts({ era: "dev-2026-05", orgIdsNullable: true }), /org-2026-05/);
    assert.throws(() => platformScripts({ era: "v0.6.44", orgIdsNullable: true }), /org-2026-05/);
    assert.deepEqual(
      platformScripts({ era: "dev-2026-05", runCounts: "graph_id" }),
      platformScripts({ era: "dev-2026-05" }),
    );
  });
});

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

describe("(d) the other states' views at work on a few rows", onServer, () => {
  test("v0.6.12: nothing materialized; StoreAgent, Creator and StoreSubmission count live", () =>
    withDatabase(
      () => createPlatformDatabase({ era: "v0.6.12" }),
      async (t) => {
        const [gone] = await t.sql.query<{ fn: string | null; mv: number; balance: string | null }>(
          `SELECT to_regproc('refresh_store_materialized_views')::text AS fn,
                  (SELECT COUNT(*)::int FROM pg_matviews WHERE schemaname = $1) AS mv,
                  to_regclass('"UserBalance"')::text AS balance`,
          [PLATFORM_SCHEMA],
        );
        assert.deepEqual(gone, { fn: null, mv: 0, balance: null });
        await seedRuns(t.sql);
        await t.sql.query(
          `INSERT INTO "StoreListingReview" (id, "storeListingVersionId", "reviewByUserId", score) VALUES ('r-1', 'v-1', 'u-other', 4)`,
        );
        const agent = async () =>
          (
            await t.sql.query<{ runs: number; rating: number }>(
              `SELECT runs::int, rating FROM "StoreAgent" WHERE listing_id = 'l-1'`,
            )
          )[0];
        assert.deepEqual(await agent(), { runs: 3, rating: 4 });
        // A new run shows at once: there is nothing to refresh.
        await t.sql.query(
          `INSERT INTO "AgentGraphExecution" (id, "agentGraphId", "agentGraphVersion", "userId") VALUES ('e-4', 'g-1', 1, 'u-other')`,
        );
        assert.deepEqual(await agent(), { runs: 4, rating: 4 });
        const [counts] = await t.sql.query<{
          agents: number;
          creators: number;
          submissions: number;
          creator_runs: number;
        }>(
          `SELECT (SELECT COUNT(*)::int FROM "StoreAgent") AS agents, (SELECT COUNT(*)::int FROM "Creator") AS creators,
                  (SELECT COUNT(*)::int FROM "StoreSubmission") AS submissions,
                  (SELECT COALESCE(SUM(agent_runs), 0)::int FROM "Creator") AS creator_runs`,
        );
        // No profiles were made: Creator is per profile.
        assert.deepEqual(counts, { agents: 1, creators: 0, submissions: 1, creator_runs: 0 });
        const [submission] = await t.sql.query<{ runs: number; rating: number }>(
          `SELECT runs::int, rating FROM "StoreSubmission"`,
        );
        assert.deepEqual(submission, { runs: 4, rating: 4 });
      },
    ));

  for (const era of ["dev-2026-05", "org-2026-05"] as const) {
    test(`${era}: StoreAgent shows a listing only at an APPROVED active version; the refresh functions work`, () =>
      withDatabase(
        () => createPlatformDatabase({ era }),
        async (t) => {
          await seedActiveVersions(t.sql, era === "org-2026-05");
          await t.sql.query(`SELECT refresh_store_materialized_views()`);
          const agents = await t.sql.query<{
            id: string;
            version: string;
            runs: number;
            rating: number;
            versions: string[];
            graph_versions: string[];
          }>(
            `SELECT listing_id AS id, listing_version_id AS version, runs::int, rating, versions, graph_versions FROM "StoreAgent"`,
          );
          // l-unset has an approved version but no active one; l-pending's active version is PENDING.
          assert.deepEqual(agents, [
            { id: "l-active", version: "v-active", runs: 4, rating: 4, versions: ["1"], graph_versions: ["2"] },
          ]);
          assert.deepEqual(
            ids(await t.sql.query(`SELECT listing_version_id AS id FROM "StoreSubmission" ORDER BY 1`)),
            ["v-active", "v-pending-1", "v-pending-2", "v-unset"],
          );
          assert.deepEqual(ids(await t.sql.query(`SELECT username AS id FROM "Creator" ORDER BY 1`)), [
            "other",
            "owner",
          ]);

          // Only the node execution that ended in the last 14 days counts.
          await t.sql.query(`SELECT refresh_suggested_blocks_view()`);
          const suggested = async () =>
            t.sql.query(`SELECT block_id, execution_count::int AS n FROM "mv_suggested_blocks"`);
          assert.deepEqual(await suggested(), [{ block_id: "b-1", n: 1 }]);
          // An unpopulated view refuses REFRESH ... CONCURRENTLY: the function falls back.
          await t.sql.exec(`REFRESH MATERIALIZED VIEW "mv_suggested_blocks" WITH NO DATA`);
          await t.sql.query(`SELECT refresh_suggested_blocks_view()`);
          assert.deepEqual(await suggested(), [{ block_id: "b-1", n: 1 }]);

          // A listing's owner needs a profile.
          await t.sql.query(`INSERT INTO "User" (id, email, "updatedAt") VALUES ('u-bare', 'bare@example.com', now())`);
          await assert.rejects(
            t.sql.query(
              `INSERT INTO "StoreListing" (id, "agentGraphId", "owningUserId", slug ${era === "org-2026-05" ? `, "owningOrgId"` : ""})
               VALUES ('l-bare', 'g-4', 'u-bare', 'bare' ${era === "org-2026-05" ? `, 'o-owner'` : ""})`,
            ),
            /StoreListing_owner_Profile_fkey/,
          );

          if (era === "org-2026-05") {
            const [agent] = await t.sql.query<{ org: string }>(`SELECT owning_org_id AS org FROM "StoreAgent"`);
            assert.equal(agent!.org, "o-owner");
            const [submission] = await t.sql.query<{ n: number }>(
              `SELECT COUNT(*)::int AS n FROM "StoreSubmission" WHERE organization_id = 'o-owner'`,
            );
            assert.equal(submission!.n, 4);
            const creators = await t.sql.query(`SELECT username, org_name FROM "StoreCreator" ORDER BY 1`);
            assert.deepEqual(creators, [
              { username: "other", org_name: null },
              { username: "owner", org_name: "Owner's org" },
            ]);
            // Creator is StoreCreator without org_name.
            const [same] = await t.sql.query<{ n: number }>(
              `SELECT COUNT(*)::int AS n FROM (
                 (SELECT * FROM "Creator" EXCEPT ALL
                  SELECT username, name, avatar_url, description, top_categories, links, is_featured, num_agents, agent_rating, agent_runs FROM "StoreCreator")
                 UNION ALL
                 (SELECT username, name, avatar_url, description, top_categories, links, is_featured, num_agents, agent_rating, agent_runs FROM "StoreCreator"
                  EXCEPT ALL SELECT * FROM "Creator")) d`,
            );
            assert.equal(same!.n, 0);
          }
        },
      ));
  }

  for (const orgIdsNullable of [false, true]) {
    test(`org-2026-05${orgIdsNullable ? ", org ids nullable" : ""}: a graph without an organizationId is ${orgIdsNullable ? "taken" : "refused"}`, () =>
      withDatabase(
        () => createPlatformDatabase({ era: "org-2026-05", orgIdsNullable }),
        async (t) => {
          await t.sql.query(`INSERT INTO "User" (id, email, "updatedAt") VALUES ('u-1', 'u1@example.com', now())`);
          const insert = t.sql.query(`INSERT INTO "AgentGraph" (id, version, "userId") VALUES ('g-1', 1, 'u-1')`);
          if (orgIdsNullable) await insert;
          else await assert.rejects(insert, /organizationId/);
        },
      ));
  }
});

/**
 * For dev-2026-05 and org-2026-05: two users with profiles, a graph with two version rows and three
 * runs (two by the other user) as seedRuns, a node on a block with three node executions (ended a
 * day ago, 20 days ago, not yet), and three listings, all hasApprovedVersion: l-active (active
 * version APPROVED, reviewed 4), l-unset (an APPROVED version, none active), l-pending (APPROVED
 * version 1, PENDING version 2 active). With `org`, the owner's personal org owns everything.
 */
async function seedActiveVersions(sql: SqlSession, org: boolean): Promise<void> {
  const orgColumn = (name: string) => (org ? `, "${name}"` : "");
  const orgValue = org ? `, 'o-owner'` : "";
  await sql.exec(`
    INSERT INTO "User" (id, email, "updatedAt") VALUES ('u-owner', 'owner@example.com', now()), ('u-other', 'other@example.com', now());
    INSERT INTO "Profile" (id, "userId", name, username, description, links)
    VALUES ('p-owner', 'u-owner', 'Owner', 'owner', '', '{}'), ('p-other', 'u-other', 'Other', 'other', '', '{}');
    ${
      org
        ? `INSERT INTO "Organization" (id, "updatedAt", name, slug, "isPersonal", "bootstrapUserId")
             VALUES ('o-owner', now(), 'Owner''s org', 'owner', true, 'u-owner');`
        : ""
    }
    INSERT INTO "AgentBlock" (id, name, "inputSchema", "outputSchema") VALUES ('b-1', 'Block one', '{}', '{}');
    INSERT INTO "AgentGraph" (id, version, "userId" ${orgColumn("organizationId")})
    VALUES ('g-1', 1, 'u-owner' ${orgValue}), ('g-1', 2, 'u-owner' ${orgValue}), ('g-2', 1, 'u-owner' ${orgValue}),
           ('g-3', 1, 'u-owner' ${orgValue}), ('g-4', 1, 'u-owner' ${orgValue});
    INSERT INTO "AgentNode" (id, "agentBlockId", "agentGraphId", "agentGraphVersion") VALUES ('n-1', 'b-1', 'g-1', 1);
    INSERT INTO "AgentGraphExecution" (id, "agentGraphId", "agentGraphVersion", "userId" ${orgColumn("organizationId")})
    VALUES ('e-1', 'g-1', 1, 'u-other' ${orgValue}), ('e-2', 'g-1', 2, 'u-other' ${orgValue}), ('e-3', 'g-1', 2, 'u-owner' ${orgValue});
    INSERT INTO "AgentNodeExecution" (id, "agentGraphExecutionId", "agentNodeId", "endedTime")
    VALUES ('ne-1', 'e-1', 'n-1', now() - INTERVAL '1 day'), ('ne-2', 'e-1', 'n-1', now() - INTERVAL '20 days'), ('ne-3', 'e-1', 'n-1', NULL);
    INSERT INTO "StoreListing" (id, "agentGraphId", "owningUserId", slug, "hasApprovedVersion" ${orgColumn("owningOrgId")})
    VALUES ('l-active', 'g-1', 'u-owner', 'active', true ${orgValue}), ('l-unset', 'g-2', 'u-owner', 'unset', true ${orgValue}),
           ('l-pending', 'g-3', 'u-owner', 'pending', true ${orgValue});
    INSERT INTO "StoreListingVersion" (id, version, "agentGraphId", "agentGraphVersion", name, "subHeading", "imageUrls",
                                       description, categories, "storeListingId", "submissionStatus")
    VALUES ('v-active', 1, 'g-1', 2, 'Active', 's', '{}', 'd', '{tools}', 'l-active', 'APPROVED'),
           ('v-unset', 1, 'g-2', 1, 'Unset', 's', '{}', 'd', '{}', 'l-unset', 'APPROVED'),
           ('v-pending-1', 1, 'g-3', 1, 'Pending', 's', '{}', 'd', '{}', 'l-pending', 'APPROVED'),
           ('v-pending-2', 2, 'g-3', 1, 'Pending', 's', '{}', 'd', '{}', 'l-pending', 'PENDING');
    UPDATE "StoreListing" SET "activeVersionId" = 'v-active' WHERE id = 'l-active';
    UPDATE "StoreListing" SET "activeVersionId" = 'v-pending-2' WHERE id = 'l-pending';
    INSERT INTO "StoreListingReview" (id, "storeListingVersionId", "reviewByUserId", score) VALUES ('r-1', 'v-active', 'u-other', 4);
  `);
}
