// The updater against a database filled by the creator: PostgreSQL and the embedded database, the
// whole run's tests on each; the rest on PostgreSQL, on the embedded database too where the backend
// matters.
import { inTransaction } from "../src/connection/transaction.js";
import assert from "node:assert/strict";
import { after, before, describe, test, type TestContext } from "node:test";
import { parseUpdateOptions, type UpdateOptions } from "../src/updateTestData.js";
import { updateTestData, type UpdateReport } from "../src/updateTestData.js";
import { quietOutput } from "../src/shared/output.js";
import { STORE_CATEGORIES } from "../src/domain/storeVocabulary.js";
import { createRandom } from "../src/domain/random.js";
import { brokenCreditChains, nodeRunsOutsideTheirRun, tableCounts, viewMismatches } from "./support/storeChecks.js";
import { backends, postgresSkip } from "./support/backends.js";
import { cloneTestDatabase, createSeededTemplate, type SeededTemplate } from "./support/updaterFixtures.js";
import type { Backend, TestDatabase } from "./support/testDatabase.js";

const options = (...argv: string[]): UpdateOptions => parseUpdateOptions(argv)!;
const DAY_MS = 24 * 3600 * 1000;

for (const backend of backends()) {
  describe(`updater on a database made by the creator [${backend.name}]`, { skip: backend.skip }, () => {
    let t: TestDatabase;
    let before_: Record<string, number>;
    let report: UpdateReport;
    let startedAt: Date;
    let oldIds: { runs: Set<string>; reviews: Set<string>; credits: Set<string> };

    let template: SeededTemplate;

    before(async () => {
      template = await createSeededTemplate(backend.name);
      t = await cloneTestDatabase(template);
      before_ = await tableCounts(t.sql);
      const ids = async (sql: string) => new Set((await t.sql.query<{ id: string }>(sql)).map((r) => r.id));
      oldIds = {
        runs: await ids(`SELECT id FROM "AgentGraphExecution"`),
        reviews: await ids(`SELECT id FROM "StoreListingReview"`),
        credits: await ids(`SELECT "transactionKey" AS id FROM "CreditTransaction"`),
      };
      startedAt = new Date();
      report = await updateTestData(t.db, options("--seed", "11"), quietOutput);
    });
    after(async () => {
      await t?.drop();
      await template?.drop();
    });

    test("reports exactly what it wrote", async () => {
      const now = await tableCounts(t.sql);
      assert.equal(now.AgentGraphExecution! - before_.AgentGraphExecution!, report.created.agentGraphExecutions);
      assert.equal(now.AgentNodeExecution! - before_.AgentNodeExecution!, report.created.agentNodeExecutions);
      assert.equal(now.StoreListingReview! - before_.StoreListingReview!, report.created.storeListingReviews);
      assert.equal(now.CreditTransaction! - before_.CreditTransaction!, report.created.creditTransactions);
      assert.ok(report.created.agentGraphExecutions >= 5 * 20, "20 graphs with at least 5 runs each");
      assert.ok(report.created.storeListingReviews > 0 && report.updated.storeListingVersions > 0);
      assert.equal(report.seed, 11);
    });

    test("runs: 5-15 per graph on up to 20 of the first 50 active graphs, by the first 50 users, within the last 7 days", async () => {
      const runs = (
        await t.sql.query<{
          id: string;
          agentGraphId: string;
          agentGraphVersion: number;
          userId: string;
          executionStatus: string;
          startedAt: Date;
          endedAt: Date | null;
          createdAt: Date;
          stats: { duration: number; blocks_executed: number };
        }>(`SELECT * FROM "AgentGraphExecution"`)
      ).filter((r) => !oldIds.runs.has(r.id));
      assert.equal(runs.length, report.created.agentGraphExecutions);
      const graphs = new Set(
        (
          await t.sql.query<{ k: string }>(
            `SELECT id || '@' || version AS k FROM "AgentGraph" WHERE "isActive" ORDER BY id, version LIMIT 50`,
          )
        ).map((g) => g.k),
      );
      const users = new Set(
        (await t.sql.query<{ id: string }>(`SELECT id FROM "User" ORDER BY id LIMIT 50`)).map((u) => u.id),
      );
      const perGraph = new Map<string, number>();
      for (const run of runs) {
        const key = `${run.agentGraphId}@${run.agentGraphVersion}`;
        perGraph.set(key, (perGraph.get(key) ?? 0) + 1);
        assert.ok(graphs.has(key), "graph is one of the loaded active graphs");
        assert.ok(users.has(run.userId), "user is one of the loaded users");
        assert.ok(["COMPLETED", "FAILED", "RUNNING"].includes(run.executionStatus));
        assert.ok(run.startedAt.getTime() >= startedAt.getTime() - 7 * DAY_MS - 1000 && run.startedAt <= new Date());
        assert.equal(run.endedAt === null, run.executionStatus === "RUNNING", "endedAt for finished runs only");
        if (run.endedAt) assert.ok(run.endedAt >= run.startedAt && run.endedAt <= new Date());
        assert.ok(run.createdAt <= run.startedAt);
        assert.ok(run.stats.duration >= 100 && run.stats.duration <= 5000);
        assert.ok(run.stats.blocks_executed >= 1 && run.stats.blocks_executed <= 10);
      }
      assert.ok(perGraph.size <= 20 && perGraph.size > 0);
      for (const n of perGraph.values()) assert.ok(n >= 5 && n <= 15, `runs per graph ${n}`);
    });

    test("node runs: up to 3 distinct nodes of the run's own graph, same status, inside the run's window", async () => {
      const runIds = [...(await newRunIds())];
      assert.deepEqual(await nodeRunsOutsideTheirRun(t.sql, runIds), []);
      const [{ n } = { n: -1 }] = await t.sql.query<{ n: number }>(
        `SELECT COUNT(*)::int AS n FROM "AgentNodeExecution" WHERE "agentGraphExecutionId" = ANY($1::text[])`,
        [runIds],
      );
      assert.equal(n, report.created.agentNodeExecutions);
      const perRun = await t.sql.query<{ n: number; distinct_nodes: number; graph_nodes: number }>(
        `
        SELECT COUNT(*)::int AS n, COUNT(DISTINCT ne."agentNodeId")::int AS distinct_nodes,
               (SELECT COUNT(*)::int FROM "AgentNode" x WHERE x."agentGraphId" = e."agentGraphId" AND x."agentGraphVersion" = e."agentGraphVersion") AS graph_nodes
        FROM "AgentGraphExecution" e LEFT JOIN "AgentNodeExecution" ne ON ne."agentGraphExecutionId" = e.id
        WHERE e.id = ANY($1::text[]) GROUP BY e.id, e."agentGraphId", e."agentGraphVersion"`,
        [[...(await newRunIds())]],
      );
      for (const r of perRun) {
        assert.equal(r.n, Math.min(3, r.graph_nodes), "min(3, nodes of the graph) node runs");
        assert.equal(r.distinct_nodes, r.n);
      }
    });

    async function newRunIds(): Promise<string[]> {
      const rows = await t.sql.query<{ id: string }>(`SELECT id FROM "AgentGraphExecution"`);
      return rows.map((r) => r.id).filter((id) => !oldIds.runs.has(id));
    }

    test("reviews: one APPROVED version per listing, 2-5 new reviewers who hadn't reviewed it, scores 1-5", async () => {
      const reviews = (
        await t.sql.query<{
          id: string;
          storeListingVersionId: string;
          reviewByUserId: string;
          score: number;
          status: string;
          listing: string;
          comments: string | null;
        }>(`
        SELECT r.*, v."submissionStatus" AS status, v."storeListingId" AS listing
        FROM "StoreListingReview" r JOIN "StoreListingVersion" v ON v.id = r."storeListingVersionId"`)
      ).filter((r) => !oldIds.reviews.has(r.id));
      assert.equal(reviews.length, report.created.storeListingReviews);
      const versionsPerListing = new Map<string, Set<string>>();
      const perVersion = new Map<string, number>();
      for (const r of reviews) {
        assert.equal(r.status, "APPROVED");
        assert.ok(r.score >= 1 && r.score <= 5);
        assert.ok(r.comments === null || r.comments.length <= 200);
        versionsPerListing.set(
          r.listing,
          (versionsPerListing.get(r.listing) ?? new Set()).add(r.storeListingVersionId),
        );
        perVersion.set(r.storeListingVersionId, (perVersion.get(r.storeListingVersionId) ?? 0) + 1);
      }
      for (const versions of versionsPerListing.values()) assert.equal(versions.size, 1, "one version per listing");
      for (const n of perVersion.values()) assert.ok(n >= 1 && n <= 5, `reviews per version ${n}`);
      const [dupes] = await t.sql.query<{ n: number }>(`
        SELECT COUNT(*)::int AS n FROM (SELECT 1 FROM "StoreListingReview" GROUP BY "storeListingVersionId", "reviewByUserId" HAVING COUNT(*) > 1) d`);
      assert.equal(dupes!.n, 0);
    });

    test("version updates: 2-4 of the eight categories on APPROVED versions, updatedAt now", async () => {
      const updated = await t.sql.query<{ categories: string[]; submissionStatus: string }>(
        `SELECT categories, "submissionStatus" FROM "StoreListingVersion" WHERE "updatedAt" >= $1`,
        [startedAt],
      );
      assert.equal(updated.length, report.updated.storeListingVersions);
      assert.ok(updated.length > 0 && updated.length <= 10);
      for (const v of updated) {
        assert.equal(v.submissionStatus, "APPROVED");
        assert.ok(v.categories.length >= 2 && v.categories.length <= 4);
        assert.equal(new Set(v.categories).size, v.categories.length);
        for (const c of v.categories) assert.ok((STORE_CATEGORIES as readonly string[]).includes(c));
      }
    });

    test("credit transactions: 1-3 for up to 30 users, metadata {source, timestamp}, and every user's chain holds", async () => {
      const rows = (
        await t.sql.query<{
          id: string;
          userId: string;
          type: string;
          metadata: { source: string; timestamp: string };
          isActive: boolean;
        }>(`SELECT "transactionKey" AS id, "userId", type, metadata, "isActive" FROM "CreditTransaction"`)
      ).filter((r) => !oldIds.credits.has(r.id));
      assert.equal(rows.length, report.created.creditTransactions);
      const perUser = new Map<string, number>();
      for (const r of rows) {
        perUser.set(r.userId, (perUser.get(r.userId) ?? 0) + 1);
        assert.ok(["USAGE", "TOP_UP", "GRANT"].includes(r.type));
        assert.equal(r.metadata.source, "test_updater");
        assert.ok(!Number.isNaN(Date.parse(r.metadata.timestamp)));
        assert.equal(r.isActive, true);
      }
      assert.ok(perUser.size > 0 && perUser.size <= 30);
      for (const n of perUser.values()) assert.ok(n >= 1 && n <= 3);
      assert.deepEqual(await brokenCreditChains(t.sql), []);
    });

    test("the views grew by what was written, match their definitions and an independent count", async () => {
      assert.equal(report.refresh.method, "function");
      assert.equal(report.views.mv_agent_run_counts!.matchesSource, true);
      assert.equal(report.views.mv_review_stats!.matchesSource, true);
      assert.deepEqual(await viewMismatches(t.sql), []);
      const [sums] = await t.sql.query<{ runs: number; reviews: number }>(
        `SELECT (SELECT SUM(run_count)::int FROM "mv_agent_run_counts") AS runs, (SELECT SUM(review_count)::int FROM "mv_review_stats") AS reviews`,
      );
      assert.equal(sums!.runs, before_.AgentGraphExecution! + report.created.agentGraphExecutions);
      assert.ok(report.views.mv_agent_run_counts!.top.length === 5);
      // Before/after, by key: the views as the creator left them against after this run.
      const runs = report.views.mv_agent_run_counts!.changes!;
      assert.equal(runs.rowsBefore, before_.mv_agent_run_counts);
      assert.equal(runs.rowsAfter, report.views.mv_agent_run_counts!.rows);
      assert.equal(runs.removed, 0, "runs are only added");
      assert.ok(
        runs.changed + runs.added > 0 && runs.changed + runs.added <= 20,
        "at most the 20 graphs that got runs",
      );
      const reviews = report.views.mv_review_stats!.changes!;
      assert.equal(reviews.rowsBefore, before_.mv_review_stats);
      assert.ok(reviews.changed > 0);
    });
  });
}

/**
 * These run on PostgreSQL; on the embedded database too where the backend matters: the run's one
 * transaction, rolled back (PGlite's is this project's own, src/embedded/pgliteTransactions.ts).
 * The rest is the updater's own logic and SQL, the same on either.
 */
const ON_BOTH_BACKENDS = new Set([
  "--dry-run leaves every table's and view's row count unchanged",
  "a run that fails half-way (the credit step) leaves nothing behind",
]);

/** test(), for these tests on `backend`. */
const updaterTestOn =
  (backend: Backend) =>
  (name: string, fn: (t: TestContext) => Promise<void>): void => {
    if (backend === "postgres" || ON_BOTH_BACKENDS.has(name)) test(name, fn);
  };

for (const backend of backends()) {
  const test = updaterTestOn(backend.name);
  const how = { skip: backend.skip, concurrency: backend.name === "postgres" ? 4 : 1 };
  describe(`updater: all-or-nothing, dry runs, other view shapes [${backend.name}]`, how, () => {
    let seeded: SeededTemplate;
    before(async () => {
      seeded = await createSeededTemplate(backend.name);
    });
    after(() => seeded?.drop());

    test("--dry-run leaves every table's and view's row count unchanged", async () => {
      const t = await cloneTestDatabase(seeded);
      try {
        const beforeCounts = await tableCounts(t.sql);
        const report = await updateTestData(t.db, options("--dry-run", "--seed", "5"), quietOutput);
        assert.ok(report.created.agentGraphExecutions > 0 && report.views.mv_agent_run_counts!.matchesSource);
        assert.deepEqual(await tableCounts(t.sql), beforeCounts);
      } finally {
        await t.drop();
      }
    });

    test("a run that fails half-way (the credit step) leaves nothing behind", async () => {
      const t = await cloneTestDatabase(seeded);
      try {
        await t.sql.exec(`
          CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'planted failure'; END $$;
          CREATE TRIGGER fail_credit BEFORE INSERT ON "CreditTransaction" FOR EACH ROW EXECUTE FUNCTION fail_insert();`);
        const beforeCounts = await tableCounts(t.sql);
        await assert.rejects(updateTestData(t.db, options("--seed", "5"), quietOutput), /planted failure/);
        assert.deepEqual(await tableCounts(t.sql), beforeCounts);
        const [touched] = await t.sql.query<{ n: number }>(
          `SELECT COUNT(*)::int AS n FROM "StoreListingVersion" WHERE "updatedAt" > now() - interval '1 minute'`,
        );
        assert.equal(touched!.n, 0, "no version update survived");
      } finally {
        await t.drop();
      }
    });

    test("the same seed on two identical databases writes the same data (ids and wall-clock times aside)", async () => {
      const [a, b] = [await cloneTestDatabase(seeded), await cloneTestDatabase(seeded)];
      try {
        await updateTestData(a.db, options("--seed", "42"), quietOutput);
        await updateTestData(b.db, options("--seed", "42"), quietOutput);
        const fingerprint = async (t: TestDatabase) => ({
          runs: await t.sql
            .query(`SELECT e."agentGraphId", e."userId", e."executionStatus", e.stats, e."endedAt" - e."startedAt" AS took,
              (SELECT array_agg(ne."agentNodeId" || ne."executionStatus" ORDER BY ne."agentNodeId") FROM "AgentNodeExecution" ne WHERE ne."agentGraphExecutionId" = e.id) AS nodes
            FROM "AgentGraphExecution" e ORDER BY 1, 2, 3, 4::text, 5, 6`),
          reviews: await t.sql.query(
            `SELECT "storeListingVersionId", "reviewByUserId", score, comments FROM "StoreListingReview" ORDER BY 1, 2`,
          ),
          versions: await t.sql.query(`SELECT id, categories, "isFeatured" FROM "StoreListingVersion" ORDER BY id`),
          credits: await t.sql.query(
            `SELECT "userId", type, amount, "runningBalance" FROM "CreditTransaction" ORDER BY "userId", "createdAt", amount`,
          ),
          balances: await t.sql.query(`SELECT "userId", balance FROM "UserBalance" ORDER BY 1`),
        });
        assert.deepEqual(await fingerprint(a), await fingerprint(b));
      } finally {
        await a.drop();
        await b.drop();
      }
    });

    test("without refresh_store_materialized_views() the views are refreshed directly and end fresh", async () => {
      const t = await cloneTestDatabase(seeded);
      try {
        await t.sql.exec(`DROP FUNCTION refresh_store_materialized_views()`);
        const report = await updateTestData(t.db, options("--seed", "9"), quietOutput);
        assert.equal(report.refresh.method, "direct");
        assert.equal(
          report.views.mv_agent_run_counts!.matchesSource && report.views.mv_review_stats!.matchesSource,
          true,
        );
        assert.deepEqual(await viewMismatches(t.sql), []);
      } finally {
        await t.drop();
      }
    });

    test("the verification catches a stale view (views not refreshed)", async () => {
      const t = await cloneTestDatabase(seeded);
      try {
        // Neither the function nor a direct refresh can run: the views stay stale and the run says so.
        await t.sql.exec(`DROP FUNCTION refresh_store_materialized_views();
          CREATE FUNCTION block_refresh() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refresh blocked'; END $$;
          CREATE EVENT TRIGGER block_refresh ON ddl_command_start WHEN TAG IN ('REFRESH MATERIALIZED VIEW') EXECUTE FUNCTION block_refresh();`);
        const report = await updateTestData(t.db, options("--seed", "9"), quietOutput);
        assert.equal(report.refresh.method, "failed");
        assert.equal(report.views.mv_agent_run_counts!.matchesSource, false);
        assert.ok(report.views.mv_agent_run_counts!.differenceCount > 0);
        assert.ok(report.views.mv_agent_run_counts!.differences.length > 0);
        // The same keys as an independent count from the tables, each reported once; the view itself didn't move.
        const independent = (await viewMismatches(t.sql))
          .filter((m) => m.startsWith("mv_agent_run_counts "))
          .map((m) => m.split(" ")[1]!.slice(0, -1));
        assert.equal(report.views.mv_agent_run_counts!.differenceCount, independent.length);
        const reported = report.views.mv_agent_run_counts!.differences.map((d) => d.key);
        assert.equal(new Set(reported).size, reported.length);
        for (const key of reported) assert.ok(independent.includes(key), key);
        assert.equal(report.views.mv_agent_run_counts!.changes!.changed, 0);
      } finally {
        await t.drop();
      }
    });

    test("CLI: --json prints one document with the promised keys, exit 0", async () => {
      const t = await cloneTestDatabase(seeded);
      try {
        const result = await t.cli("src/updateTestData.ts", ["--json", "--seed", "3"]);
        assert.equal(result.code, 0, result.stderr);
        const doc = JSON.parse(result.stdout);
        for (const key of [
          "agentGraphExecutions",
          "agentNodeExecutions",
          "storeListingReviews",
          "creditTransactions",
        ]) {
          assert.equal(typeof doc.created[key], "number");
        }
        assert.equal(typeof doc.updated.storeListingVersions, "number");
        for (const view of ["mv_agent_run_counts", "mv_review_stats"]) {
          assert.equal(typeof doc.views[view].rows, "number");
          assert.equal(doc.views[view].matchesSource, true);
          assert.equal(doc.views[view].differenceCount, 0);
          assert.deepEqual(doc.views[view].differences, []);
          for (const key of ["rowsBefore", "rowsAfter", "added", "removed", "changed"])
            assert.equal(typeof doc.views[view].changes[key], "number");
          assert.equal(doc.views[view].changes.rowsAfter, doc.views[view].rows);
        }
        assert.equal(doc.views.mv_agent_run_counts.column, "agentGraphId");
      } finally {
        await t.drop();
      }
    });

    test("CLI: text output shows the verification; bad options exit 2; an empty database exits 1 naming the creator", async () => {
      const t = await cloneTestDatabase(seeded);
      try {
        const ok = await t.cli("src/updateTestData.ts", ["--seed", "4"]);
        assert.equal(ok.code, 0, ok.stderr);
        assert.match(ok.stdout, /Top 5 agents by run count/);
        assert.match(ok.stdout, /mv_review_stats: all \d+ rows match/);
        assert.match(
          ok.stdout,
          /^ {2}- Agent [0-9a-f]{8}\.\.\. ".+" \(listing [a-z0-9-]+\): \d+ runs \((\+\d+|unchanged|new, \+\d+)\)$/m,
        );
        assert.match(
          ok.stdout,
          /^ {2}mv_agent_run_counts: \d+ → \d+ rows; \d+ added, 0 removed, \d+ changed; run_count in all \d+ → \d+ \(\+\d+\)$/m,
        );
        for (const bad of [
          ["--seed", "-1"],
          ["--users", "abc"],
          ["--min-runs", "9", "--max-runs", "2"],
          ["--nope"],
          ["--users", ""],
        ]) {
          const r = await t.cli("src/updateTestData.ts", bad);
          assert.equal(r.code, 2, `${bad.join(" ")}: ${r.stderr}`);
          assert.equal(r.stderr.trim().split("\n").length, 1, "one-line error");
        }
        await t.sql.exec(`TRUNCATE "User" CASCADE`);
        const empty = await t.cli("src/updateTestData.ts", []);
        assert.equal(empty.code, 1);
        assert.match(empty.stderr, /npm run create/);
      } finally {
        await t.drop();
      }
    });
  });
}

describe("updater at scale: --scale, the bulk path in many batches, all-or-nothing", { skip: postgresSkip }, () => {
  let seeded: SeededTemplate;
  before(async () => {
    seeded = await createSeededTemplate();
  });
  after(() => seeded?.drop());

  test("--scale multiplies the design's counts; explicit counts win; per-item ranges stay", () => {
    const o = options("--scale", "3", "--graphs-with-runs", "7");
    assert.deepEqual(o.limits, { users: 150, graphs: 150, listings: 90 });
    assert.equal(o.runs.graphs, 7);
    assert.deepEqual([o.runs.min, o.runs.max, o.runs.nodesPerRun], [5, 15, 3]);
    assert.equal(o.versionUpdates, 30);
    assert.equal(o.credits.users, 90);
    assert.equal(options().limits.users, 50);
    assert.throws(() => options("--scale", "0"), /--scale/);
    assert.throws(() => options("--scale", "x"), /--scale/);
  });

  test("many small batches, written while the next is planned: every row lands once, each checked", async () => {
    const t = await cloneTestDatabase(seeded);
    try {
      const { addExecutions, pickGraphsForRuns } = await import("../src/update/addExecutions.js");
      const { loadBaseData } = await import("../src/update/loadBaseData.js");
      const { readTargetShape } = await import("../src/schema/targetShape.js");
      const { UPDATER_WRITES } = await import("../src/schema/storeColumns.js");
      const random = createRandom(5);
      const now = new Date();
      const progress: Array<[number, number]> = [];
      let planned: { runs: number; nodes: number } = { runs: 0, nodes: 0 };
      const written = await inTransaction(t.db, async (tx) => {
        const shape = await readTargetShape(tx, UPDATER_WRITES);
        const base = await loadBaseData(tx, shape, { users: 50, graphs: 1000, listings: 30 });
        const graphs = pickGraphsForRuns(random, base.graphs, 1000);
        const w = await addExecutions(
          { tx, shape, random, now },
          { graphs, runners: base.runners },
          { min: 5, max: 15, nodesPerRun: 3 },
          (g, rows) => progress.push([g, rows]),
          4,
        );
        planned = { runs: w.executions, nodes: w.nodeExecutions };
        return w;
      });
      assert.ok(progress.length > 10, "written in many batches");
      assert.equal(progress.at(-1)![1], written.executions + written.nodeExecutions);
      const [counts] = await t.sql.query<{ runs: number; nodes: number; dup: number }>(
        `
        SELECT (SELECT COUNT(*)::int FROM "AgentGraphExecution" WHERE "createdAt" >= $1::timestamp - interval '8 days' AND stats ? 'blocks_executed') AS runs,
               (SELECT COUNT(*)::int FROM "AgentNodeExecution" ne JOIN "AgentGraphExecution" e ON e.id = ne."agentGraphExecutionId" WHERE e.stats ? 'blocks_executed') AS nodes,
               0 AS dup`,
        [now.toISOString().slice(0, 23)],
      );
      assert.equal(counts!.runs, planned.runs);
      assert.equal(counts!.nodes, planned.nodes);
      const bad = await t.sql.query<{ id: string }>(`
        SELECT ne.id FROM "AgentNodeExecution" ne JOIN "AgentGraphExecution" e ON e.id = ne."agentGraphExecutionId"
        JOIN "AgentNode" n ON n.id = ne."agentNodeId"
        WHERE e.stats ? 'blocks_executed' AND (n."agentGraphId" <> e."agentGraphId" OR ne."executionStatus" <> e."executionStatus"
          OR ne."addedTime" < e."startedAt" OR (e."endedAt" IS NOT NULL AND ne."endedTime" > e."endedAt") OR (e."endedAt" IS NULL) <> (ne."endedTime" IS NULL))`);
      assert.deepEqual(bad, []);
    } finally {
      await t.drop();
    }
  });

  test("a scaled run that fails after many bulk batches leaves nothing behind", async () => {
    const t = await cloneTestDatabase(seeded);
    try {
      // Fails on the ~2,000th node run: well past the first bulk statements.
      await t.sql.exec(`
        CREATE SEQUENCE fail_after;
        CREATE FUNCTION fail_late() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF nextval('fail_after') > 2000 THEN RAISE EXCEPTION 'planted late failure'; END IF; RETURN NEW; END $$;
        CREATE TRIGGER fail_late BEFORE INSERT ON "AgentNodeExecution" FOR EACH ROW EXECUTE FUNCTION fail_late();`);
      const beforeCounts = await tableCounts(t.sql);
      await assert.rejects(
        updateTestData(t.db, options("--scale", "10", "--seed", "5"), quietOutput),
        /planted late failure/,
      );
      assert.deepEqual(await tableCounts(t.sql), beforeCounts);
    } finally {
      await t.drop();
    }
  });
});
