// Every materialized view that reads a table a run writes is refreshed and proven, found in the
// catalog, not from a list: the 2026 mv_suggested_blocks (our own DDL from the spec's words, added
// to a migrated database), views reading views, and a store with no materialized views at all
// (platform releases before v0.6.16). Expected contents are counted here from the rows.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { postgresSkip } from "./support/backends.js";
import { createTestDatabase, usingDatabase, type PostgresTestDatabase } from "./support/testDatabase.js";

const CREATE = "src/createTestData.ts";
const UPDATE = "src/updateTestData.ts";
const SMALL = ["--users", "12", "--seed", "3"];

/** On PostgreSQL; the tests, each on its own database, at once (they mostly wait on the server). */
const onServer = { skip: postgresSkip, concurrency: true };

/** The 2026 view, from the spec: node runs ended in the last 14 days, per block; its own refresh function. */
const SUGGESTED_BLOCKS = `
  CREATE MATERIALIZED VIEW "mv_suggested_blocks" AS
    SELECT n."agentBlockId" AS block_id, COUNT(*) AS execution_count
    FROM "AgentNodeExecution" ne JOIN "AgentNode" n ON n.id = ne."agentNodeId"
    WHERE ne."endedTime" >= now() - interval '14 days'
    GROUP BY n."agentBlockId";
  CREATE UNIQUE INDEX "idx_mv_suggested_blocks_block_id" ON "mv_suggested_blocks"(block_id);
  CREATE FUNCTION refresh_suggested_blocks_view() RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY "mv_suggested_blocks";
  EXCEPTION WHEN OTHERS THEN
    REFRESH MATERIALIZED VIEW "mv_suggested_blocks";
  END $$;`;

/** Made up for the test: a view reading the one above through a plain view, without a unique index. */
const POPULAR_BLOCKS = `
  CREATE VIEW "BlockUse" AS SELECT block_id, execution_count FROM "mv_suggested_blocks" WHERE execution_count > 0;
  CREATE MATERIALIZED VIEW "mv_popular_blocks" AS SELECT COUNT(*) AS blocks, COALESCE(SUM(execution_count), 0) AS runs FROM "BlockUse";`;

/** Node runs ended within 14 days, per block, counted here. */
async function recentNodeRuns(t: PostgresTestDatabase): Promise<Map<string, number>> {
  const rows = await t.sql.query<{ block: string; ended: Date | null }>(
    `SELECT n."agentBlockId" AS block, ne."endedTime" AS ended FROM "AgentNodeExecution" ne JOIN "AgentNode" n ON n.id = ne."agentNodeId"`,
  );
  const [{ now }] = (await t.sql.query<{ now: Date }>(`SELECT now()::timestamp AS now`)) as [{ now: Date }];
  const counts = new Map<string, number>();
  for (const r of rows) {
    if (r.ended && r.ended.getTime() >= now.getTime() - 14 * 86_400_000)
      counts.set(r.block, (counts.get(r.block) ?? 0) + 1);
  }
  return counts;
}

const viewCounts = async (t: PostgresTestDatabase) =>
  new Map(
    (
      await t.sql.query<{ k: string; n: number }>(
        `SELECT block_id AS k, execution_count::int AS n FROM mv_suggested_blocks`,
      )
    ).map((r) => [r.k, r.n]),
  );
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describe("every materialized view reading a written table is refreshed and proven", onServer, () => {
  test("2026-05: the creator and the updater refresh mv_suggested_blocks (and a view reading it, after it); it holds the new node runs", () =>
    usingDatabase(createTestDatabase(), async (t) => {
      await t.sql.exec(SUGGESTED_BLOCKS + POPULAR_BLOCKS);
      const created = await t.cli(CREATE, SMALL);
      assert.equal(created.code, 0, created.stderr + created.stdout);
      assert.match(
        created.stdout,
        /^4 materialized views refreshed \((mv_\w+, ){3}mv_\w+\), all match their own definitions/m,
      );
      for (const view of ["mv_agent_run_counts", "mv_review_stats", "mv_suggested_blocks", "mv_popular_blocks"])
        assert.ok(created.stdout.includes(view), view);
      assert.deepEqual(await viewCounts(t), await recentNodeRuns(t));
      const before = await viewCounts(t);
      const nodeRunIds = async () =>
        new Set((await t.sql.query<{ id: string }>(`SELECT id FROM "AgentNodeExecution"`)).map((r) => r.id));
      const oldIds = await nodeRunIds();

      const r = await t.cli(UPDATE, ["--seed", "4", "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      // Refresh order: a view that reads another comes after it.
      const order = Object.keys(doc.views);
      assert.deepEqual([...order].sort(), [
        "mv_agent_run_counts",
        "mv_popular_blocks",
        "mv_review_stats",
        "mv_suggested_blocks",
      ]);
      assert.ok(order.indexOf("mv_popular_blocks") > order.indexOf("mv_suggested_blocks"), order.join());
      assert.deepEqual(doc.refresh, { method: "function", direct: ["mv_suggested_blocks", "mv_popular_blocks"] });
      const blocks = doc.views.mv_suggested_blocks;
      assert.equal(blocks.matchesSource, true, JSON.stringify(blocks.differences));
      assert.equal(blocks.column, "block_id");
      assert.deepEqual(doc.warnings, []);
      // Independently: what the rows give, and the run's new node runs are in it.
      const after = await viewCounts(t);
      assert.deepEqual(after, await recentNodeRuns(t));
      const newIds = [...(await nodeRunIds())].filter((id) => !oldIds.has(id));
      assert.equal(newIds.length, doc.created.agentNodeExecutions);
      const [ended] = await t.sql.query<{ n: number }>(
        `SELECT COUNT(*)::int AS n FROM "AgentNodeExecution" WHERE id = ANY($1::text[]) AND "endedTime" >= now() - interval '14 days'`,
        [newIds],
      );
      assert.ok(ended!.n > 0);
      assert.equal(sum(after) - sum(before), ended!.n, "the new node runs that ended are counted");
      assert.deepEqual(
        { rowsBefore: blocks.changes.rowsBefore, rowsAfter: blocks.changes.rowsAfter, counted: blocks.changes.counted },
        {
          rowsBefore: before.size,
          rowsAfter: after.size,
          counted: { column: "execution_count", before: sum(before), after: sum(after) },
        },
      );
      const [popular] = await t.sql.query<{ blocks: number; runs: number }>(
        `SELECT blocks::int, runs::int FROM mv_popular_blocks`,
      );
      assert.deepEqual(popular, { blocks: after.size, runs: sum(after) }, "refreshed after the view it reads");
      assert.equal(doc.views.mv_popular_blocks.matchesSource, true);

      const text = await t.cli(UPDATE, ["--seed", "5"]);
      assert.equal(text.code, 0, text.stderr);
      assert.match(
        text.stdout,
        /Refreshed mv_agent_run_counts and mv_review_stats with refresh_store_materialized_views\(\), mv_suggested_blocks and mv_popular_blocks directly/,
      );
      assert.match(
        text.stdout,
        /^Test data update completed: 4 materialized views refreshed \(.*\), all match their own definitions run fresh\.$/m,
      );
      assert.match(text.stdout, /^ {2}✓ mv_suggested_blocks: all \d+ rows match$/m);
    }));

  test("a store without materialized views (before v0.6.16): both commands write, say there is nothing to refresh, exit 0", () =>
    usingDatabase(createTestDatabase(), async (t) => {
      await t.sql.exec(
        `DROP MATERIALIZED VIEW "mv_agent_run_counts", "mv_review_stats" CASCADE; DROP FUNCTION refresh_store_materialized_views();`,
      );
      const created = await t.cli(CREATE, SMALL);
      assert.equal(created.code, 0, created.stderr + created.stdout);
      assert.match(created.stdout, /Nothing to refresh/);
      assert.match(created.stdout, /No materialized view reads the tables written: nothing to refresh or prove/);
      const [users] = await t.sql.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "User"`);
      assert.equal(users!.n, 12, "the data was kept");

      const runs = async () =>
        (await t.sql.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "AgentGraphExecution"`))[0]!.n;
      const runsBefore = await runs();
      const r = await t.cli(UPDATE, ["--seed", "4", "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.deepEqual([doc.views, doc.warnings, doc.refresh], [{}, [], { method: "none" }]);
      assert.equal((await runs()) - runsBefore, doc.created.agentGraphExecutions);
      assert.ok(doc.created.agentGraphExecutions > 0);
      assert.doesNotMatch(r.stderr, /db:migrate/);

      const text = await t.cli(UPDATE, ["--seed", "5"]);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^No materialized view reads the tables written: nothing to refresh or prove/m);
      assert.doesNotMatch(text.stdout + text.stderr, /db:migrate/);
    }));
});
