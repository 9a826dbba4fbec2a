// The creator and the updater on a platform-shaped database (test/fixtures/platform-v0.6.44.sql,
// our own DDL from the platform's catalog facts, in schema `platform`), as AutoGPT developers run
// them against their own platform database: its real columns, its legacy balances, both shapes of
// mv_agent_run_counts, and the design's older release without UserBalance.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { readTargetShape } from "../src/schema/targetShape.js";
import { UPDATER_WRITES } from "../src/schema/storeColumns.js";
import { readUserLedgers } from "../src/domain/creditLedger.js";
import { postgresSkip } from "./support/backends.js";
import { createPlatformDatabase } from "./support/platformDatabase.js";
import { runInProcess } from "./support/inProcess.js";
import { brokenCreditChains, tableCounts } from "./support/storeChecks.js";
import { usingDatabase, type PostgresTestDatabase } from "./support/testDatabase.js";

const CREATE = "src/createTestData.ts";
const UPDATE = "src/updateTestData.ts";
/** Several versions per graph: the data shape that tells the two mv_agent_run_counts apart. */
const CREATE_ARGS = [
  "--seed",
  "1",
  "--users",
  "40",
  "--max-versions-per-graph",
  "3",
  "--max-versions-per-listing",
  "3",
];
/** Every base user gets credit transactions, so every chain is extended. */
const UPDATE_ARGS = ["--seed", "2", "--json", "--users", "1000", "--credit-users", "1000"];

interface ViewJson {
  rows: number;
  matchesSource: boolean;
  differenceCount: number;
}

/** On PostgreSQL; the tests, each on its own database, at once (they mostly wait on the server). */
const onServer = { skip: postgresSkip, concurrency: true };

const withPlatform = (
  options: Parameters<typeof createPlatformDatabase>[0],
  body: (t: PostgresTestDatabase) => Promise<void>,
) => usingDatabase(createPlatformDatabase(options), body);

async function createAndUpdate(t: PostgresTestDatabase): Promise<{ views: Record<string, ViewJson> }> {
  const created = await t.cli(CREATE, CREATE_ARGS);
  assert.equal(created.code, 0, `creator: ${created.stderr}${created.stdout}`);
  const updated = await t.cli(UPDATE, UPDATE_ARGS);
  assert.equal(updated.code, 0, `updater: ${updated.stderr}${updated.stdout}`);
  return JSON.parse(updated.stdout) as { views: Record<string, ViewJson> };
}

const multiVersionGraphs = async (t: PostgresTestDatabase) =>
  (
    await t.sql.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM (SELECT id FROM "AgentGraph" GROUP BY id HAVING COUNT(*) > 1) g`,
    )
  )[0]!.n;

describe("on a platform database (v0.6.44 shape, schema platform)", onServer, () => {
  test("the creator exits 0, then the updater exits 0 with both views matching; every chain holds", () =>
    withPlatform({}, async (t) => {
      const report = await createAndUpdate(t);
      assert.ok((await multiVersionGraphs(t)) > 0, "the data has graphs with several versions");
      const [listing] = await t.sql.query<{ missing: number }>(
        `SELECT COUNT(*)::int AS missing FROM "StoreListing" sl
         WHERE NOT EXISTS (SELECT 1 FROM "AgentGraph" g WHERE g.id = sl."agentGraphId" AND g.version = sl."agentGraphVersion")`,
      );
      assert.equal(listing!.missing, 0, "every listing names a graph version that exists");
      assert.equal(report.views.mv_agent_run_counts!.matchesSource, true);
      assert.equal(report.views.mv_review_stats!.matchesSource, true);
      assert.deepEqual(await brokenCreditChains(t.sql), []);
    }));

  test("users with transactions and no UserBalance row: the chain goes on from their last runningBalance", () =>
    withPlatform({}, async (t) => {
      const created = await t.cli(CREATE, CREATE_ARGS);
      assert.equal(created.code, 0, created.stderr);
      // As on the platform, where UserBalance arrived in Oct 2025 and was never back-filled.
      await t.sql.exec(`DELETE FROM "UserBalance"`);
      const lastBefore = new Map(
        (
          await t.sql.query<{ userId: string; runningBalance: number }>(
            `SELECT DISTINCT ON ("userId") "userId", "runningBalance" FROM "CreditTransaction" ORDER BY "userId", "createdAt" DESC`,
          )
        ).map((r) => [r.userId, r.runningBalance]),
      );
      assert.ok(
        [...lastBefore.values()].some((b) => b > 0),
        "some users have a balance to carry on from",
      );
      const updated = await t.cli(UPDATE, UPDATE_ARGS);
      assert.equal(updated.code, 0, updated.stderr);
      // Each user's first new row chains from the old last runningBalance, not from 0.
      const firstNew = await t.sql.query<{ userId: string; amount: number; runningBalance: number }>(
        `SELECT DISTINCT ON ("userId") "userId", amount, "runningBalance" FROM "CreditTransaction"
         WHERE metadata->>'source' = 'test_updater' ORDER BY "userId", "createdAt"`,
      );
      assert.ok(firstNew.length >= lastBefore.size, "every user got new transactions");
      for (const row of firstNew)
        assert.equal(row.runningBalance, (lastBefore.get(row.userId) ?? 0) + row.amount, row.userId);
      assert.deepEqual(await brokenCreditChains(t.sql), [], "unbroken chains, UserBalance equal to the last");
    }));

  test("the starting balance is read as the platform reads it", () =>
    withPlatform({}, async (t) => {
      const users = ["u-balance", "u-latest", "u-tie", "u-none", "u-future"];
      await t.sql.exec(
        `INSERT INTO "User" (id, email, "updatedAt") SELECT id, id || '@example.com', now() FROM unnest(ARRAY['${users.join("','")}']) id`,
      );
      const tx = (user: string, key: string, at: string, running: number | null, active = true) =>
        `('${key}', '${user}', 10, 'TOP_UP', ${running ?? "NULL"}, ${active}, TIMESTAMP '${at}')`;
      await t.sql.exec(`
        INSERT INTO "UserBalance" ("userId", balance, "updatedAt") VALUES ('u-balance', 77, now());
        INSERT INTO "CreditTransaction" ("transactionKey", "userId", amount, type, "runningBalance", "isActive", "createdAt") VALUES
          ${tx("u-balance", "a1", "2026-01-01", 500)},
          ${tx("u-latest", "b1", "2026-01-01", 100)}, ${tx("u-latest", "b2", "2026-01-02", 250)},
          ${tx("u-latest", "b3", "2026-01-03", null)}, ${tx("u-latest", "b4", "2026-01-04", 999, false)},
          ${tx("u-tie", "c1", "2026-01-05", 30)}, ${tx("u-tie", "c2", "2026-01-05", 40)},
          ${tx("u-future", "d1", "2026-01-01", 5)}, ${tx("u-future", "d2", "2999-01-01", 900)}`);
      const ledgers = await t.db.$transaction(async (db) => {
        const shape = await readTargetShape(db, UPDATER_WRITES);
        return readUserLedgers(db, shape, users, new Date("2026-06-01T00:00:00Z"));
      });
      const balances = Object.fromEntries(users.map((u) => [u, ledgers.get(u)?.balance]));
      assert.deepEqual(balances, { "u-balance": 77, "u-latest": 250, "u-tie": 40, "u-none": 0, "u-future": 5 });
    }));

  test("NOT NULL columns without a default that the tool doesn't fill: one run names them all, exit 1, nothing written", () =>
    withPlatform({}, async (t) => {
      assert.equal((await t.cli(CREATE, CREATE_ARGS)).code, 0);
      // A later release's columns on two tables: NOT NULL, and (after the back-fill) no default.
      for (const table of ["AgentGraphExecution", "StoreListingReview"]) {
        await t.sql.exec(`ALTER TABLE "${table}" ADD COLUMN "tenantId" text NOT NULL DEFAULT 't';
                          ALTER TABLE "${table}" ALTER COLUMN "tenantId" DROP DEFAULT`);
      }
      const before = await tableCounts(t.sql);
      for (const args of [UPDATE_ARGS, [...UPDATE_ARGS, "--dry-run"]]) {
        const r = await t.cli(UPDATE, args);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /\(2 problems\); nothing was written/);
        for (const column of ["AgentGraphExecution.tenantId", "StoreListingReview.tenantId"]) {
          assert.match(
            r.stderr,
            new RegExp(`^  - column ${column.replace(".", "\\.")} is NOT NULL without a default.*SET DEFAULT`, "m"),
          );
        }
        assert.equal(r.stderr.split("\n").filter((l) => / error: /.test(l)).length, 1, `one error: ${r.stderr}`);
        assert.doesNotMatch(r.stderr, /db:migrate/, "a platform database is never told to run db:migrate");
      }
      assert.deepEqual(await tableCounts(t.sql), before);
      await t.sql.exec(`ALTER TABLE "Profile" ADD COLUMN "handle" text NOT NULL DEFAULT 'h';
                        ALTER TABLE "Profile" ALTER COLUMN "handle" DROP DEFAULT`);
      const forced = await t.cli(CREATE, [...CREATE_ARGS, "--force"]);
      assert.equal(forced.code, 1);
      assert.match(forced.stderr, /\(3 problems\)/);
      assert.match(forced.stderr, /Profile\.handle is NOT NULL/);
      assert.deepEqual(await tableCounts(t.sql), before);
    }));

  test("without ?schema=platform the creator and the updater say to add it", () =>
    withPlatform({}, async (t) => {
      const url = new URL(t.url);
      url.searchParams.delete("schema");
      for (const script of [CREATE, UPDATE]) {
        const r = await runInProcess(script, ["--seed", "1"], url.toString());
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /\?schema=platform/);
        assert.equal(r.stderr.trim().split("\n").length, 1, `one line: ${r.stderr}`);
      }
    }));
});

describe("both shapes of mv_agent_run_counts with multi-version graphs", onServer, () => {
  for (const runCounts of ["agentGraphId", "graph_id"] as const) {
    test(`${runCounts}: the updater proves the view against its own definition, and it matches`, () =>
      withPlatform({ runCounts }, async (t) => {
        const report = await createAndUpdate(t);
        assert.ok((await multiVersionGraphs(t)) > 0);
        assert.equal(
          report.views.mv_agent_run_counts!.matchesSource,
          true,
          JSON.stringify(report.views.mv_agent_run_counts),
        );
        // An independent count, from the rows: every run per graph id, or (the newer shape) the
        // runs by anyone but the owner, once per version row of the graph.
        const runs = await t.sql.query<{ agentGraphId: string; userId: string }>(
          `SELECT "agentGraphId", "userId" FROM "AgentGraphExecution"`,
        );
        const graphs = await t.sql.query<{ id: string; userId: string }>(`SELECT id, "userId" FROM "AgentGraph"`);
        const expected = new Map<string, number>();
        for (const run of runs) {
          const rows =
            runCounts === "agentGraphId"
              ? [{ userId: "" }]
              : graphs.filter((g) => g.id === run.agentGraphId && g.userId !== run.userId);
          if (rows.length > 0) expected.set(run.agentGraphId, (expected.get(run.agentGraphId) ?? 0) + rows.length);
        }
        const view = await t.sql.query<{ key: string; n: number }>(
          `SELECT "${runCounts}" AS key, run_count::int AS n FROM "mv_agent_run_counts"`,
        );
        assert.deepEqual(new Map(view.map((r) => [r.key, r.n])), expected);
      }));
  }
});

describe("on the design's era (mid-2025: no UserBalance table, fewer columns)", { skip: postgresSkip }, () => {
  test("the creator and the updater both work, write no balance rows, and every chain holds", () =>
    withPlatform({ era: "mid-2025" }, async (t) => {
      const report = await createAndUpdate(t);
      assert.equal(report.views.mv_agent_run_counts!.matchesSource, true);
      assert.equal(report.views.mv_review_stats!.matchesSource, true);
      const [table] = await t.sql.query<{ exists: boolean }>(
        `SELECT to_regclass('"UserBalance"') IS NOT NULL AS exists`,
      );
      assert.equal(table!.exists, false);
      assert.deepEqual(await brokenCreditChains(t.sql), []);
      // A second run chains from the first run's last runningBalance.
      const again = await t.cli(UPDATE, UPDATE_ARGS);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(await brokenCreditChains(t.sql), []);
    }));
});
