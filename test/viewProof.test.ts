// The view proof (each view against its own definition from the catalog), its report of
// differences by key, the samples, and the before/after report: on databases filled by the
// creator, on PostgreSQL, and the proof of the store's views (their definitions read from the
// catalog) on the embedded database too, whose PostgreSQL is another major version. Expected values are computed here in TypeScript from base-table
// rows (support/viewExpectations.ts), never from a copy of a view's SQL.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test, type TestContext } from "node:test";
import { inTransaction, type Tx } from "../src/connection/transaction.js";
import { parseUpdateOptions } from "../src/updateTestData.js";
import { reportAsJson, reportAsText } from "../src/update/printReport.js";
import { updateTestData } from "../src/updateTestData.js";
import { quietOutput } from "../src/shared/output.js";
import { checkedDefinition } from "../src/views/proveView.js";
import { STORE_TABLES } from "../src/schema/storeSchemas.js";
import { viewsReading } from "../src/views/dependentViews.js";
import { verifyViews, type ViewReports } from "../src/views/verifyViews.js";
import { backends } from "./support/backends.js";
import { viewMismatches } from "./support/storeChecks.js";
import { usingDatabase, type Backend, type TestDatabase } from "./support/testDatabase.js";
import { cloneTestDatabase, createSeededTemplate, type SeededTemplate } from "./support/updaterFixtures.js";
import {
  expectedReviewStats,
  expectedRunCounts,
  mapDifferences,
  sameReviewStat,
  viewReviewStats,
  viewRunCounts,
  type ReviewStat,
} from "./support/viewExpectations.js";

const update = (t: TestDatabase, seed: number) =>
  updateTestData(t.db, parseUpdateOptions(["--seed", String(seed)])!, quietOutput);
/** The proof alone, on the views as they are (no refresh), in a transaction of its own. */
const prove = (t: TestDatabase): Promise<ViewReports> =>
  inTransaction(t.db, async (tx: Tx) => (await verifyViews(tx, { views: await viewsReading(tx, STORE_TABLES) })).views);
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

test("a definition from the catalog is run only when it is one query", () => {
  assert.equal(checkedDefinition("v", " SELECT a FROM t;\n"), "SELECT a FROM t");
  assert.equal(
    checkedDefinition("v", "WITH x AS (SELECT ';' AS s) SELECT s AS \"a;b\" FROM x;"),
    "WITH x AS (SELECT ';' AS s) SELECT s AS \"a;b\" FROM x",
  );
  assert.equal(checkedDefinition("v", "SELECT E'it\\'s; fine' AS s"), "SELECT E'it\\'s; fine' AS s");
  for (const bad of [
    "SELECT 1; DROP TABLE t",
    "SELECT 1; SELECT 2;",
    "DELETE FROM t",
    "SELECT 'unterminated",
    "",
    null,
  ]) {
    assert.throws(() => checkedDefinition("v", bad), /not a single query|no definition/, String(bad));
  }
});

/**
 * The proof reads each view's definition from the catalog and runs it: the embedded database (PGlite
 * runs PostgreSQL 18, the server another major version) proves the store's views too. The rest (other
 * definitions, the report's shapes and samples) is the same on either: PostgreSQL only.
 */
const ON_BOTH_BACKENDS = new Set([
  "a stale view is caught: one difference per key, showing the view's value and the definition's",
]);

/** test(), for these tests on `backend`. */
const proofTestOn =
  (backend: Backend) =>
  (name: string, fn: (t: TestContext) => Promise<void>): void => {
    if (backend === "postgres" || ON_BOTH_BACKENDS.has(name)) test(name, fn);
  };

for (const backend of backends()) {
  const test = proofTestOn(backend.name);
  describe(`view proof and before/after report [${backend.name}]`, { skip: backend.skip }, () => {
    let seeded: SeededTemplate;
    before(async () => {
      seeded = await createSeededTemplate(backend.name);
    });
    after(() => seeded?.drop());

    const withClone = (work: (t: TestDatabase) => Promise<void>) => usingDatabase(cloneTestDatabase(seeded), work);

    test("a stale view is caught: one difference per key, showing the view's value and the definition's", () =>
      withClone(async (t) => {
        const counts = await viewRunCounts(t.sql);
        assert.deepEqual(
          await mapDifferences(counts, await expectedRunCounts(t.sql, "agentGraphId"), (a, b) => a === b),
          [],
          "fresh to start",
        );
        const [grown, gone] = [...counts.keys()].sort();
        const [user] = await t.sql.query<{ id: string }>(`SELECT id FROM "User" ORDER BY id LIMIT 1`);
        const fresh = { id: randomUUID() };
        await t.sql.query(`INSERT INTO "AgentGraph" (id, version, name, "userId") VALUES ($1, 1, 'New graph', $2)`, [
          fresh.id,
          user!.id,
        ]);
        // One graph gets 3 more runs (a changed row), one loses all (a removed row), one gets its first (a new row).
        for (const graph of [grown!, grown!, grown!, fresh.id]) {
          await t.sql.query(
            `INSERT INTO "AgentGraphExecution" (id, "agentGraphId", "agentGraphVersion", "userId")
             SELECT $1, $2, MAX(version), $3 FROM "AgentGraph" WHERE id = $2`,
            [randomUUID(), graph, user!.id],
          );
        }
        await t.sql.query(`DELETE FROM "AgentGraphExecution" WHERE "agentGraphId" = $1`, [gone]);
        // And a listing gets one more review.
        const [target] = await t.sql.query<{ version: string; listing: string; reviewer: string }>(`
          SELECT v.id AS version, v."storeListingId" AS listing, u.id AS reviewer
          FROM "StoreListingVersion" v JOIN "StoreListing" l ON l.id = v."storeListingId"
          CROSS JOIN LATERAL (SELECT id FROM "User" u WHERE u.id <> l."owningUserId" AND NOT EXISTS (
            SELECT 1 FROM "StoreListingReview" r WHERE r."storeListingVersionId" = v.id AND r."reviewByUserId" = u.id) ORDER BY id LIMIT 1) u
          WHERE v."submissionStatus" = 'APPROVED' AND NOT l."isDeleted" ORDER BY v.id LIMIT 1`);
        const statsBefore = (await viewReviewStats(t.sql)).get(target!.listing)!;
        await t.sql.query(
          `INSERT INTO "StoreListingReview" (id, "storeListingVersionId", "reviewByUserId", score) VALUES ($1, $2, $3, 1)`,
          [randomUUID(), target!.version, target!.reviewer],
        );

        const expected = await expectedRunCounts(t.sql, "agentGraphId");
        assert.equal(
          mapDifferences(await viewRunCounts(t.sql), expected, (a, b) => a === b).length,
          3,
          "the independent count sees 3 keys",
        );
        const report = await prove(t);
        const runs = report.mv_agent_run_counts!;
        assert.equal(runs.matchesSource, false);
        assert.equal(runs.differenceCount, 3);
        assert.deepEqual(runs.keyColumns, ["agentGraphId"]);
        const byKey = new Map(runs.differences.map((d) => [d.key, d]));
        assert.equal(byKey.size, 3, "each key reported once");
        assert.deepEqual(byKey.get(grown!), {
          key: grown,
          inView: `run_count=${counts.get(grown!)}`,
          inSource: `run_count=${expected.get(grown!)}`,
        });
        assert.equal(expected.get(grown!), counts.get(grown!)! + 3);
        assert.deepEqual(byKey.get(gone!), { key: gone, inView: `run_count=${counts.get(gone!)}`, inSource: null });
        assert.deepEqual(byKey.get(fresh.id), { key: fresh.id, inView: null, inSource: "run_count=1" });

        const reviews = report.mv_review_stats!;
        assert.equal(reviews.matchesSource, false);
        assert.equal(reviews.differenceCount, 1);
        const [d] = reviews.differences;
        assert.equal(d!.key, target!.listing);
        const statsNow = (await expectedReviewStats(t.sql)).get(target!.listing)!;
        assert.equal(statsNow.reviewCount, statsBefore.reviewCount + 1);
        assert.ok(sameReviewStat(parseStat(d!.inView!), statsBefore), d!.inView!);
        assert.ok(sameReviewStat(parseStat(d!.inSource!), statsNow), d!.inSource!);

        // Without a unique index the whole row is the key: the changed row shows as the old row,
        // missing from the definition's rows, and the new one, missing from the view.
        await t.sql.exec(`DROP INDEX "idx_mv_review_stats"`);
        const wholeRow = (await prove(t)).mv_review_stats!;
        assert.deepEqual(wholeRow.keyColumns, ["storeListingId", "review_count", "avg_rating"]);
        assert.equal(wholeRow.differenceCount, 2);
        assert.deepEqual(wholeRow.differences.map((x) => [x.inView === null, x.inSource === null]).sort(), [
          [false, true],
          [true, false],
        ]);
        for (const x of wholeRow.differences)
          assert.match(x.key, new RegExp(`^storeListingId=${target!.listing}, review_count=\\d+, avg_rating=`));
      }));

    test("a view redefined upstream is proven against its own new definition", () =>
      withClone(async (t) => {
        // A formula of another release (made up for the test): every listing not deleted, any
        // version status, counting only reviews of 3 stars or more, averaged the same way.
        await t.sql.exec(`
          DROP MATERIALIZED VIEW "mv_review_stats" CASCADE;
          CREATE MATERIALIZED VIEW "mv_review_stats" AS
            SELECT l.id AS "storeListingId", COUNT(r.id) AS review_count, AVG(r.score::numeric) AS avg_rating
            FROM "StoreListing" l
            JOIN "StoreListingVersion" v ON v."storeListingId" = l.id
            LEFT JOIN "StoreListingReview" r ON r."storeListingVersionId" = v.id AND r.score >= 3
            WHERE NOT l."isDeleted"
            GROUP BY l.id;
          CREATE UNIQUE INDEX "idx_mv_review_stats" ON "mv_review_stats"("storeListingId");`);
        const report = await update(t, 21);
        assert.equal(
          report.views.mv_review_stats!.matchesSource,
          true,
          JSON.stringify(report.views.mv_review_stats!.differences),
        );
        assert.equal(report.views.mv_agent_run_counts!.matchesSource, true);
        // Independently: the view holds the new formula's numbers, not the spec's.
        const stored = await viewReviewStats(t.sql);
        assert.deepEqual(mapDifferences(stored, await threeStarsOrMore(t), sameReviewStat), []);
        assert.ok(
          mapDifferences(stored, await expectedReviewStats(t.sql), sameReviewStat).length > 0,
          "the formula really differs",
        );
      }));

    test("the 2026 run-count shape (graph_id, non-owners' runs, joined by id alone) with a multi-version graph", () =>
      withClone(async (t) => {
        const [owner, a, b] = (await t.sql.query<{ id: string }>(`SELECT id FROM "User" ORDER BY id LIMIT 3`)).map(
          (u) => u.id,
        );
        const graph = randomUUID();
        // Three version rows; the active one is neither the first nor the highest.
        for (const [version, name, active] of [
          [1, "First draft", false],
          [2, "Live version", true],
          [3, "Newest draft", false],
        ] as const) {
          await t.sql.query(
            `INSERT INTO "AgentGraph" (id, version, name, "isActive", "userId") VALUES ($1, $2, $3, $4, $5)`,
            [graph, version, name, active, owner],
          );
        }
        const runsBy = [...Array(5).fill(owner), ...Array(20).fill(a), ...Array(20).fill(b)] as string[];
        for (const [i, user] of runsBy.entries()) {
          await t.sql.query(
            `INSERT INTO "AgentGraphExecution" (id, "agentGraphId", "agentGraphVersion", "userId") VALUES ($1, $2, $3, $4)`,
            [randomUUID(), graph, (i % 3) + 1, user],
          );
        }
        await t.sql.exec(`
          DROP MATERIALIZED VIEW "mv_agent_run_counts" CASCADE;
          CREATE MATERIALIZED VIEW "mv_agent_run_counts" AS
            SELECT e."agentGraphId" AS graph_id, COUNT(*) AS run_count
            FROM "AgentGraphExecution" e JOIN "AgentGraph" g ON g.id = e."agentGraphId"
            WHERE e."userId" <> g."userId"
            GROUP BY e."agentGraphId";
          CREATE UNIQUE INDEX "idx_mv_agent_run_counts" ON "mv_agent_run_counts"(graph_id);`);

        const report = await update(t, 22);
        const runs = report.views.mv_agent_run_counts!;
        assert.equal(report.views.mv_agent_run_counts!.column, "graph_id");
        assert.equal(runs.matchesSource, true, JSON.stringify(runs.differences));
        assert.equal(report.views.mv_review_stats!.matchesSource, true);
        assert.deepEqual(runs.keyColumns, ["graph_id"]);
        assert.equal(runs.top.length, 5);
        assert.deepEqual(await viewMismatches(t.sql), [], "the independent count of both views agrees");
        // Independently, in TypeScript: each non-owner run once per version row of its graph.
        const expected = await expectedRunCounts(t.sql, "graph_id");
        assert.deepEqual(
          mapDifferences(await viewRunCounts(t.sql), expected, (x, y) => x === y),
          [],
        );
        const nonOwnerRuns = (
          await t.sql.query<{ n: number }>(
            `SELECT COUNT(*)::int AS n FROM "AgentGraphExecution" WHERE "agentGraphId" = $1 AND "userId" <> $2`,
            [graph, owner],
          )
        )[0]!.n;
        assert.ok(nonOwnerRuns >= 40);
        assert.equal(expected.get(graph), nonOwnerRuns * 3);
        // The samples name the graph by its active version and read the key column from the catalog.
        assert.deepEqual(runs.top[0], {
          graphId: graph,
          runCount: nonOwnerRuns * 3,
          name: "Live version",
          slug: null,
          runCountBefore: nonOwnerRuns * 3 - (nonOwnerRuns - 40) * 3,
        });
        assert.ok(
          reportAsText(report)
            .join("\n")
            .includes(
              `  - Agent ${graph.slice(0, 8)}... "Live version": ${nonOwnerRuns * 3} runs (${signed((nonOwnerRuns - 40) * 3)})`,
            ),
        );
        assert.equal(JSON.parse(reportAsJson(report)).views.mv_agent_run_counts.column, "graph_id");
      }));

    test("before/after: the views as they stood (stale) against after the run, by key, with the run's own numbers", () =>
      withClone(async (t) => {
        // Stale before the run: 4 runs the view doesn't count yet.
        const [graph] = await t.sql.query<{ id: string; version: number; userId: string }>(
          `SELECT id, version, "userId" FROM "AgentGraph" ORDER BY id DESC, version LIMIT 1`,
        );
        for (let i = 0; i < 4; i++) {
          await t.sql.query(
            `INSERT INTO "AgentGraphExecution" (id, "agentGraphId", "agentGraphVersion", "userId") VALUES ($1, $2, $3, $4)`,
            [randomUUID(), graph!.id, graph!.version, graph!.userId],
          );
        }
        const runsBefore = await viewRunCounts(t.sql);
        const statsBefore = await viewReviewStats(t.sql);
        const report = await update(t, 23);
        const runsAfter = await viewRunCounts(t.sql);
        const statsAfter = await viewReviewStats(t.sql);
        const [runs, reviews] = [report.views.mv_agent_run_counts!, report.views.mv_review_stats!];
        assert.ok(runs.matchesSource && reviews.matchesSource);

        // Run counts grew by exactly what was written: the run's executions and the 4 stale ones.
        assert.equal(sum(runsAfter) - sum(runsBefore), report.created.agentGraphExecutions + 4);
        const reviewSum = (m: Map<string, ReviewStat>) => sum(new Map([...m].map(([k, v]) => [k, v.reviewCount])));
        assert.equal(reviewSum(statsAfter) - reviewSum(statsBefore), report.created.storeListingReviews);
        assert.deepEqual(runs.changes!.counted, {
          column: "run_count",
          before: sum(runsBefore),
          after: sum(runsAfter),
        });
        assert.deepEqual(reviews.changes!.counted, {
          column: "review_count",
          before: reviewSum(statsBefore),
          after: reviewSum(statsAfter),
        });

        assert.deepEqual(
          pickCounts(runs.changes!),
          byKey(runsBefore, runsAfter, (x, y) => x === y),
        );
        assert.deepEqual(pickCounts(reviews.changes!), byKey(statsBefore, statsAfter, sameReviewStat));
        assert.ok(runs.changes!.changed > 0 && reviews.changes!.changed > 0);

        // The samples carry each row's value from before the run.
        for (const r of runs.top) {
          assert.equal(r.runCount, runsAfter.get(r.graphId));
          assert.equal(r.runCountBefore, runsBefore.get(r.graphId) ?? null);
        }
        for (const r of reviews.top) {
          const [was, now] = [statsBefore.get(r.storeListingId), statsAfter.get(r.storeListingId)!];
          assert.equal(r.reviewCount, now.reviewCount);
          assert.equal(r.reviewCountBefore, was?.reviewCount ?? null);
          assert.ok(Math.abs((r.avgRatingBefore ?? 0) - (was?.avgRating ?? 0)) < 1e-9);
        }
        // The largest changes: the 5 biggest moves of run counts, each right.
        const moves = [...new Set([...runsBefore.keys(), ...runsAfter.keys()])]
          .map((k) => Math.abs((runsAfter.get(k) ?? 0) - (runsBefore.get(k) ?? 0)))
          .filter((d) => d > 0)
          .sort((x, y) => y - x);
        assert.deepEqual(
          runs.changes!.largest.map((c) => Math.abs((c.runCount ?? 0) - (c.runCountBefore ?? 0))),
          moves.slice(0, 5),
        );
        for (const c of runs.changes!.largest) {
          assert.equal(c.runCount, runsAfter.get(c.graphId) ?? null);
          assert.equal(c.runCountBefore, runsBefore.get(c.graphId) ?? null);
        }
        assert.ok(reviews.changes!.largest.length === 5);
        for (const c of reviews.changes!.largest) {
          assert.equal(c.reviewCount, statsAfter.get(c.storeListingId)?.reviewCount ?? null);
          assert.equal(c.reviewCountBefore, statsBefore.get(c.storeListingId)?.reviewCount ?? null);
        }
        // Names and slugs as the tables have them.
        const top = runs.top[0]!;
        const [names] = await t.sql.query<{ name: string | null; slug: string | null }>(
          `SELECT (SELECT name FROM "AgentGraph" WHERE id = $1 ORDER BY "isActive" DESC, version DESC LIMIT 1) AS name,
                  (SELECT slug FROM "StoreListing" WHERE "agentGraphId" = $1 ORDER BY "isDeleted" LIMIT 1) AS slug`,
          [top.graphId],
        );
        assert.deepEqual({ name: top.name, slug: top.slug }, names);

        const text = reportAsText(report).join("\n");
        const c = runs.changes!;
        assert.ok(
          text.includes(
            `  mv_agent_run_counts: ${c.rowsBefore} → ${c.rowsAfter} rows; ${c.added} added, ${c.removed} removed, ${c.changed} changed`,
          ),
          text,
        );
        assert.match(text, /^✓ mv_agent_run_counts has \d+ entries$/m);
        assert.match(text, /^ {2}- Agent [0-9a-f]{8}\.\.\. .*: \d+ runs \(/m);
        assert.match(text, /^ {2}- Listing [0-9a-f]{8}\.\.\. .*⭐/m);
        const doc = JSON.parse(reportAsJson(report));
        assert.deepEqual(doc.views.mv_review_stats.changes.rowsAfter, reviews.rows);
        assert.equal(doc.views.mv_agent_run_counts.column, "agentGraphId");
      }));

    test("a view never populated before the run: every row counts as added", () =>
      withClone(async (t) => {
        await t.sql.exec(`REFRESH MATERIALIZED VIEW "mv_review_stats" WITH NO DATA`);
        const report = await update(t, 24);
        const change = report.views.mv_review_stats!.changes!;
        assert.equal(report.views.mv_review_stats!.matchesSource, true);
        assert.deepEqual(
          {
            populatedBefore: change.populatedBefore,
            rowsBefore: change.rowsBefore,
            added: change.added,
            removed: change.removed,
            changed: change.changed,
          },
          { populatedBefore: false, rowsBefore: 0, added: report.views.mv_review_stats!.rows, removed: 0, changed: 0 },
        );
        assert.ok(
          reportAsText(report)
            .join("\n")
            .includes(`  mv_review_stats: 0 (not populated) → ${report.views.mv_review_stats!.rows} rows;`),
        );
      }));
  });
}

/** "review_count=2, avg_rating=4.5000" as the report shows a row. */
function parseStat(text: string): ReviewStat {
  const m = /^review_count=(\d+), avg_rating=(\S+)$/.exec(text);
  assert.ok(m, text);
  return { reviewCount: Number(m[1]), avgRating: m[2] === "null" ? null : Number(m[2]) };
}

/** The made-up formula of the redefinition test, computed here from the rows. */
async function threeStarsOrMore(t: TestDatabase): Promise<Map<string, ReviewStat>> {
  const listings = new Map(
    (
      await t.sql.query<{ version: string; listing: string }>(`
      SELECT v.id AS version, v."storeListingId" AS listing FROM "StoreListingVersion" v
      JOIN "StoreListing" l ON l.id = v."storeListingId" WHERE NOT l."isDeleted"`)
    ).map((r) => [r.version, r.listing]),
  );
  const acc = new Map<string, { n: number; sum: number }>();
  for (const listing of listings.values()) acc.set(listing, { n: 0, sum: 0 });
  for (const r of await t.sql.query<{ version: string; score: number }>(
    `SELECT "storeListingVersionId" AS version, score FROM "StoreListingReview"`,
  )) {
    const listing = listings.get(r.version);
    if (listing === undefined || r.score < 3) continue;
    const a = acc.get(listing)!;
    a.n++;
    a.sum += r.score;
  }
  return new Map([...acc].map(([k, a]) => [k, { reviewCount: a.n, avgRating: a.n === 0 ? null : a.sum / a.n }]));
}

function byKey<V>(before: Map<string, V>, after: Map<string, V>, same: (a: V, b: V) => boolean) {
  let [added, removed, changed] = [0, 0, 0];
  for (const [k, v] of after) {
    const was = before.get(k);
    if (was === undefined) added++;
    else if (!same(was, v)) changed++;
  }
  for (const k of before.keys()) if (!after.has(k)) removed++;
  return { rowsBefore: before.size, rowsAfter: after.size, added, removed, changed };
}

function pickCounts(c: { rowsBefore: number; rowsAfter: number; added: number; removed: number; changed: number }) {
  return { rowsBefore: c.rowsBefore, rowsAfter: c.rowsAfter, added: c.added, removed: c.removed, changed: c.changed };
}

const signed = (n: number) => (n === 0 ? "unchanged" : `+${n}`);
