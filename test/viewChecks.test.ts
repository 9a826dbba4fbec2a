// The checks of what a view says against the rows it counts, independent of its definition
// (src/views/viewChecks.ts): on the platform's own two run-count shapes with multi-version graphs
// (CLI, as a platform developer runs it), and in-process on views made wrong on purpose. The
// numbers each test expects are counted here from the rows, never from the checks' SQL.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import { STORE_TABLES } from "../src/schema/storeSchemas.js";
import { inTransaction, type Tx } from "../src/connection/transaction.js";
import { createTestData } from "../src/create/creator.js";
import { viewsReading } from "../src/views/dependentViews.js";
import { verifyViews, type ViewsReport } from "../src/views/verifyViews.js";
import { postgresSkip } from "./support/backends.js";
import { createPlatformDatabase } from "./support/platformDatabase.js";
import { createTestDatabase, usingDatabase, type PostgresTestDatabase } from "./support/testDatabase.js";

const CREATE = "src/createTestData.ts";
const UPDATE = "src/updateTestData.ts";
const CREATE_ARGS = ["--seed", "1", "--users", "40", "--max-versions-per-graph", "3"];
const UPDATE_ARGS = ["--seed", "2", "--json"];

/** On PostgreSQL; the tests, each on its own database, at once (they mostly wait on the server). */
const onServer = { skip: postgresSkip, concurrency: true };

/** Graphs whose run_count in the view exceeds all their AgentGraphExecution rows, counted here. */
async function graphsOverBound(t: PostgresTestDatabase, key: string): Promise<number> {
  const runs = new Map<string, number>();
  for (const r of await t.sql.query<{ g: string }>(`SELECT "agentGraphId" AS g FROM "AgentGraphExecution"`))
    runs.set(r.g, (runs.get(r.g) ?? 0) + 1);
  const view = await t.sql.query<{ k: string; n: number }>(
    `SELECT "${key}" AS k, run_count::int AS n FROM mv_agent_run_counts`,
  );
  return view.filter((v) => v.n > (runs.get(v.k) ?? 0)).length;
}

/** Refreshes and checks the store's views in one transaction, as the commands do. */
const checkNow = (t: PostgresTestDatabase): Promise<ViewsReport> =>
  inTransaction(t.db, async (tx: Tx) => {
    await tx.$executeRawUnsafe(`SELECT refresh_store_materialized_views()`);
    return verifyViews(tx, { views: await viewsReading(tx, STORE_TABLES) });
  });

describe("sanity checks on the platform's run-count shapes, multi-version graphs", onServer, () => {
  test("v0.6.44 (agentGraphId): no warnings", () =>
    usingDatabase(createPlatformDatabase(), async (t) => {
      assert.equal((await t.cli(CREATE, CREATE_ARGS)).code, 0);
      const multi = await t.sql.query(`SELECT id FROM "AgentGraph" GROUP BY id HAVING COUNT(*) > 1`);
      assert.ok(multi.length > 0, "graphs with several version rows");
      const r = await t.cli(UPDATE, [...UPDATE_ARGS, "--strict"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout).warnings, []);
    }));

  test("2026 (graph_id, joined by id alone): exit 0, a warning naming the view with the keys over the bound; --strict exits 1", () =>
    usingDatabase(createPlatformDatabase({ runCounts: "graph_id" }), async (t) => {
      assert.equal((await t.cli(CREATE, CREATE_ARGS)).code, 0);
      const r = await t.cli(UPDATE, UPDATE_ARGS);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.views.mv_agent_run_counts.matchesSource, true, "the view equals its own definition");
      const over = await graphsOverBound(t, "graph_id");
      assert.ok(over > 0, "the data has graphs the definition over-counts past their runs");
      assert.equal(doc.warnings.length, 1, JSON.stringify(doc.warnings));
      const [warning] = doc.warnings as string[];
      assert.match(warning!, /^mv_agent_run_counts: /);
      const rows = doc.views.mv_agent_run_counts.rows;
      assert.ok(warning!.includes(`${over} of ${rows} graphs have a run_count above all their runs`), warning);
      assert.match(
        warning!,
        /e\.g\. graph [0-9a-f]{8}… has run_count \d+ and \d+ runs .*: it has \d+ version rows; the view joins AgentGraph by id alone/,
      );
      // The example's numbers are the rows'.
      const [, prefix, shown, runs] = /graph ([0-9a-f]{8})… has run_count (\d+) and (\d+) runs/.exec(warning!)!;
      const [row] = await t.sql.query<{ n: number; runs: number }>(
        `SELECT v.run_count::int AS n, (SELECT COUNT(*)::int FROM "AgentGraphExecution" e WHERE e."agentGraphId" = v.graph_id) AS runs
         FROM mv_agent_run_counts v WHERE v.graph_id LIKE $1 || '%'`,
        [prefix],
      );
      assert.deepEqual([row!.n, row!.runs], [Number(shown), Number(runs)]);
      assert.ok(row!.n > row!.runs);

      const text = await t.cli(UPDATE, ["--seed", "3"]);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^⚠ mv_agent_run_counts: \d+ of \d+ graphs have a run_count above all their runs/m);
      const strict = await t.cli(UPDATE, ["--seed", "4", "--strict", "--json"]);
      assert.equal(strict.code, 1, strict.stderr);
      assert.equal(JSON.parse(strict.stdout).warnings.length, 1, "the report is printed, and only it");
    }));
});

describe("sanity checks on views made wrong on purpose", onServer, () => {
  const withData = (body: (t: PostgresTestDatabase) => Promise<void>) =>
    usingDatabase(createTestDatabase(), async (t) => {
      await createTestData(t.db, { seed: 5, users: 12, maxVersionsPerListing: 2 });
      await body(t);
    });

  test("an over-count that stays under the bound is caught by the 2026 shape's aggregate", () =>
    withData(async (t) => {
      const [owner, other] = (await t.sql.query<{ id: string }>(`SELECT id FROM "User" ORDER BY id LIMIT 2`)).map(
        (u) => u.id,
      );
      const graph = randomUUID();
      for (const v of [1, 2])
        await t.sql.query(`INSERT INTO "AgentGraph" (id, version, name, "userId") VALUES ($1, $2, 'g', $3)`, [
          graph,
          v,
          owner,
        ]);
      // 10 runs by the owner, 3 by someone else: the id-alone join says 6, under the bound of 13.
      for (const user of [...Array(10).fill(owner), ...Array(3).fill(other)]) {
        await t.sql.query(
          `INSERT INTO "AgentGraphExecution" (id, "agentGraphId", "agentGraphVersion", "userId") VALUES ($1, $2, 1, $3)`,
          [randomUUID(), graph, user],
        );
      }
      await t.sql.exec(`
        DROP MATERIALIZED VIEW "mv_agent_run_counts" CASCADE;
        CREATE MATERIALIZED VIEW "mv_agent_run_counts" AS
          SELECT g.id AS graph_id, COUNT(*) AS run_count FROM "AgentGraphExecution" e JOIN "AgentGraph" g ON g.id = e."agentGraphId"
          WHERE e."userId" <> g."userId" GROUP BY g.id;
        CREATE UNIQUE INDEX ON "mv_agent_run_counts"(graph_id);`);
      const report = await checkNow(t);
      assert.equal(report.views.mv_agent_run_counts!.matchesSource, true);
      const [warning] = report.warnings;
      assert.equal(report.warnings.length, 1, report.warnings.join("\n"));
      assert.match(
        warning!,
        /^mv_agent_run_counts: 0 of \d+ graphs have a run_count above all their runs \(AgentGraphExecution rows, any user, version or status\), 1 differ from their runs by users other than the owner, each counted once;/,
      );
      assert.ok(
        warning!.includes(
          `graph ${graph.slice(0, 8)}… has run_count 6 and 13 runs (3 by other users than its owner): it has 2 version rows; the view joins AgentGraph by id alone, counting each run once per version row`,
        ),
        warning,
      );
    }));

  test("review counts over the bound, and ratings outside 1..5: the definition's fault or the data's", () =>
    withData(async (t) => {
      // A review scored 7 (the platform has no check on score) on an approved version.
      const [target] = await t.sql.query<{ version: string; listing: string; reviewer: string }>(`
        SELECT v.id AS version, v."storeListingId" AS listing, u.id AS reviewer
        FROM "StoreListingVersion" v JOIN "StoreListing" l ON l.id = v."storeListingId"
        CROSS JOIN LATERAL (SELECT id FROM "User" u WHERE NOT EXISTS (
          SELECT 1 FROM "StoreListingReview" r WHERE r."storeListingVersionId" = v.id AND r."reviewByUserId" = u.id) ORDER BY id LIMIT 1) u
        WHERE v."submissionStatus" = 'APPROVED' AND NOT l."isDeleted" ORDER BY v.id LIMIT 1`);
      await t.sql.query(
        `DELETE FROM "StoreListingReview" WHERE "storeListingVersionId" IN (SELECT id FROM "StoreListingVersion" WHERE "storeListingId" = $1)`,
        [target!.listing],
      );
      await t.sql.query(
        `INSERT INTO "StoreListingReview" (id, "storeListingVersionId", "reviewByUserId", score) VALUES ($1, $2, $3, 7)`,
        [randomUUID(), target!.version, target!.reviewer],
      );
      let report = await checkNow(t);
      assert.equal(report.warnings.length, 1, report.warnings.join("\n"));
      assert.ok(
        report.warnings[0]!.startsWith(
          `mv_review_stats: 1 of ${report.views.mv_review_stats!.rows} listings have an avg_rating outside 1..5 (1 of them with reviews scored outside 1..5: a problem of the data)`,
        ),
        report.warnings[0],
      );
      assert.ok(
        report.warnings[0]!.includes(
          `listing ${target!.listing.slice(0, 8)}… has avg_rating 7.00 over 1 reviews: it has 1 reviews scored outside 1..5 (e.g. 7): a problem of the data, not of the view`,
        ),
        report.warnings[0],
      );
      await t.sql.query(`UPDATE "StoreListingReview" SET score = 5 WHERE score = 7`);

      // A definition that counts each review twice and sums instead of averaging.
      await t.sql.exec(`
        DROP MATERIALIZED VIEW "mv_review_stats" CASCADE;
        CREATE MATERIALIZED VIEW "mv_review_stats" AS
          SELECT l.id AS "storeListingId", COUNT(r.id) * 2 AS review_count, SUM(r.score::numeric) AS avg_rating
          FROM "StoreListing" l JOIN "StoreListingVersion" v ON v."storeListingId" = l.id
          LEFT JOIN "StoreListingReview" r ON r."storeListingVersionId" = v.id
          WHERE NOT l."isDeleted" GROUP BY l.id;
        CREATE UNIQUE INDEX ON "mv_review_stats"("storeListingId");`);
      report = await checkNow(t);
      const reviewed = (
        await t.sql.query<{ n: number }>(`
        SELECT COUNT(DISTINCT v."storeListingId")::int AS n FROM "StoreListingReview" r
        JOIN "StoreListingVersion" v ON v.id = r."storeListingVersionId" JOIN "StoreListing" l ON l.id = v."storeListingId" WHERE NOT l."isDeleted"`)
      )[0]!.n;
      const sumsOver5 = (
        await t.sql.query<{ n: number }>(`
        SELECT COUNT(*)::int AS n FROM (SELECT SUM(r.score) AS s FROM "StoreListingReview" r
        JOIN "StoreListingVersion" v ON v.id = r."storeListingVersionId" JOIN "StoreListing" l ON l.id = v."storeListingId"
        WHERE NOT l."isDeleted" GROUP BY l.id) x WHERE s > 5 OR s < 1`)
      )[0]!.n;
      assert.ok(sumsOver5 > 0);
      const [bound, rating] = report.warnings;
      assert.equal(report.warnings.length, 2, report.warnings.join("\n"));
      assert.match(
        bound!,
        new RegExp(
          `^mv_review_stats: ${reviewed} of \\d+ listings have a review_count above all their reviews .*: the definition counts some reviews more than once$`,
        ),
      );
      assert.match(
        rating!,
        new RegExp(
          `^mv_review_stats: ${sumsOver5} of \\d+ listings have an avg_rating outside 1\\.\\.5; .*: its reviews are all scored 1\\.\\.5: the definition computes it wrongly$`,
        ),
      );
    }));
});
