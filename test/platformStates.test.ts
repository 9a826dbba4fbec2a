// The creator and the updater on the platform's states after v0.6.44 (test/fixtures/platform-*.sql,
// our own DDL from the catalog facts): its development branch of 2026-05 (no
// StoreListing.agentGraphVersion, StoreAgent by activeVersionId) and its organisation-tenancy
// branch, with the org ids NOT NULL as in its facts and nullable as a later cut-over leaves them.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { NO_PERSONAL_ORGANIZATION } from "../src/update/loadBaseData.js";
import { postgresSkip } from "./support/backends.js";
import { createPlatformDatabase, type PlatformDatabaseOptions } from "./support/platformDatabase.js";
import { brokenCreditChains, nodeRunsOutsideTheirRun } from "./support/storeChecks.js";
import { usingDatabase, type PostgresTestDatabase } from "./support/testDatabase.js";

const CREATE = "src/createTestData.ts";
const UPDATE = "src/updateTestData.ts";
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
const updateArgs = (seed: number) => [
  "--seed",
  `${seed}`,
  "--json",
  "--users",
  "1000",
  "--credit-users",
  "1000",
  "--listings",
  "1000",
];

interface UpdateJson {
  usersWithoutPersonalOrg: number | null;
  created: { agentGraphExecutions: number; agentNodeExecutions: number; storeListingReviews: number };
  updated: { storeListingVersions: number };
  refresh: { method: string };
  views: Record<string, { matchesSource: boolean; rows: number }>;
  warnings: string[];
}

/** On PostgreSQL; the tests, each on its own database, at once (they mostly wait on the server). */
const onServer = { skip: postgresSkip, concurrency: true };

const withPlatform = (options: PlatformDatabaseOptions, body: (t: PostgresTestDatabase) => Promise<void>) =>
  usingDatabase(createPlatformDatabase(options), body);

async function create(t: PostgresTestDatabase): Promise<void> {
  const r = await t.cli(CREATE, CREATE_ARGS);
  assert.equal(r.code, 0, `creator: ${r.stderr}${r.stdout}`);
}

async function update(t: PostgresTestDatabase, seed: number): Promise<UpdateJson> {
  const r = await t.cli(UPDATE, updateArgs(seed));
  assert.equal(r.code, 0, `updater: ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout) as UpdateJson;
}

const runIds = async (t: PostgresTestDatabase) =>
  (await t.sql.query<{ id: string }>(`SELECT id FROM "AgentGraphExecution"`)).map((r) => r.id);

/** Create, then update twice: every view matches, the ledger chains, new node runs sit inside their run. */
async function createAndUpdateTwice(t: PostgresTestDatabase): Promise<UpdateJson[]> {
  await create(t);
  const creators = new Set(await runIds(t));
  const reports = [await update(t, 2), await update(t, 3)];
  for (const report of reports) {
    for (const [name, view] of Object.entries(report.views)) assert.equal(view.matchesSource, true, name);
  }
  assert.deepEqual(await brokenCreditChains(t.sql), []);
  const added = (await runIds(t)).filter((id) => !creators.has(id));
  assert.equal(added.length, reports[0]!.created.agentGraphExecutions + reports[1]!.created.agentGraphExecutions);
  assert.deepEqual(await nodeRunsOutsideTheirRun(t.sql, added), []);
  return reports;
}

/** Rows not booked to their owner's (a run: its runner's) personal organisation and its default team. */
async function misbooked(sql: PostgresTestDatabase["sql"]): Promise<string[]> {
  const rows = await sql.query<{ problem: string }>(`
    WITH personal AS (
      SELECT m."userId", o.id AS org, t.id AS team
      FROM "OrgMember" m JOIN "Organization" o ON o.id = m."orgId" AND o."isPersonal"
      LEFT JOIN "Team" t ON t."orgId" = o.id AND t."isDefault"
      WHERE m."isOwner"
    )
    SELECT 'user ' || u.id || ' has ' || (SELECT COUNT(*) FROM personal p WHERE p."userId" = u.id) || ' personal orgs with a default team' AS problem
    FROM "User" u WHERE (SELECT COUNT(*) FROM personal p WHERE p."userId" = u.id AND p.team IS NOT NULL) <> 1
    UNION ALL
    SELECT 'graph ' || g.id || ' v' || g.version FROM "AgentGraph" g LEFT JOIN personal p ON p."userId" = g."userId"
    WHERE g."organizationId" IS DISTINCT FROM p.org OR g."teamId" IS DISTINCT FROM p.team
    UNION ALL
    SELECT 'run ' || e.id FROM "AgentGraphExecution" e LEFT JOIN personal p ON p."userId" = e."userId"
    WHERE e."organizationId" IS DISTINCT FROM p.org OR e."teamId" IS DISTINCT FROM p.team
    UNION ALL
    SELECT 'listing ' || l.id FROM "StoreListing" l LEFT JOIN personal p ON p."userId" = l."owningUserId"
    WHERE l."owningOrgId" IS DISTINCT FROM p.org
    UNION ALL
    SELECT 'version ' || v.id || ' has an organizationId' FROM "StoreListingVersion" v WHERE v."organizationId" IS NOT NULL`);
  return rows.map((r) => r.problem);
}

describe("on the platform's development branch of 2026-05", onServer, () => {
  test("create, then update twice: exit 0, every view matches, the ledger chains, node runs inside their run", () =>
    withPlatform({ era: "dev-2026-05" }, async (t) => {
      const [first, second] = await createAndUpdateTwice(t);
      assert.equal(first!.usersWithoutPersonalOrg, null, "no organisations on this state");
      // The editor's block suggestions read node runs: refreshed and proven too, holding the new ones.
      assert.deepEqual(Object.keys(second!.views).sort(), [
        "mv_agent_run_counts",
        "mv_review_stats",
        "mv_suggested_blocks",
      ]);
      const [blocks] = await t.sql.query<{ counted: number; recent: number }>(
        `SELECT (SELECT COALESCE(SUM(execution_count), 0)::int FROM mv_suggested_blocks) AS counted,
                (SELECT COUNT(*)::int FROM "AgentNodeExecution" WHERE "endedTime" >= now() - interval '14 days') AS recent`,
      );
      assert.ok(blocks!.recent > 0);
      assert.equal(
        blocks!.counted,
        blocks!.recent,
        "mv_suggested_blocks counts every node run ended in the last 14 days",
      );
      // Every listing the creator approved is in the store: it sets activeVersionId.
      const [store] = await t.sql.query<{ approved: number; shown: number }>(
        `SELECT (SELECT COUNT(*)::int FROM "StoreListing" WHERE "hasApprovedVersion") AS approved,
                (SELECT COUNT(*)::int FROM "StoreAgent") AS shown`,
      );
      assert.ok(store!.approved > 0);
      assert.equal(store!.shown, store!.approved);
    }));

  test("listings without an active version are not in the store: no review or version update lands on them", () =>
    withPlatform({ era: "dev-2026-05" }, async (t) => {
      await create(t);
      // As the platform's own creator leaves them: half the approved listings without activeVersionId.
      await t.sql.exec(`UPDATE "StoreListing" SET "activeVersionId" = NULL
                        WHERE id IN (SELECT id FROM "StoreListing" WHERE "hasApprovedVersion" ORDER BY id LIMIT (SELECT COUNT(*) / 2 FROM "StoreListing" WHERE "hasApprovedVersion"))`);
      const before = new Date();
      const report = await update(t, 2);
      assert.ok(report.created.storeListingReviews > 0 && report.updated.storeListingVersions > 0);
      const [touched] = await t.sql.query<{ reviews: number; hidden: number }>(
        `SELECT COUNT(*)::int AS reviews, COUNT(*) FILTER (WHERE s.listing_version_id IS NULL)::int AS hidden
         FROM "StoreListingReview" r LEFT JOIN "StoreAgent" s ON s.listing_version_id = r."storeListingVersionId"
         WHERE r."createdAt" >= $1`,
        [new Date(before.getTime() - 1000)],
      );
      assert.equal(touched!.reviews, report.created.storeListingReviews);
      assert.equal(touched!.hidden, 0, "reviews on versions the store doesn't show");
      const updated = await t.sql.query<{ id: string; shown: boolean }>(
        `SELECT v.id, EXISTS (SELECT 1 FROM "StoreAgent" s WHERE s.listing_version_id = v.id) AS shown
         FROM "StoreListingVersion" v WHERE v."updatedAt" >= $1`,
        [new Date(before.getTime() - 1000)],
      );
      assert.equal(updated.length, report.updated.storeListingVersions);
      assert.deepEqual(
        updated.filter((v) => !v.shown),
        [],
        "version updates on versions the store doesn't show",
      );
    }));
});

for (const orgIdsNullable of [false, true]) {
  describe(
    `on the organisation-tenancy branch (org ids ${orgIdsNullable ? "nullable" : "NOT NULL"})`,
    { skip: postgresSkip, concurrency: true },
    () => {
      const options: PlatformDatabaseOptions = { era: "org-2026-05", orgIdsNullable };

      test("create, then update twice: every user has a personal organisation, every row is booked to it", () =>
        withPlatform(options, async (t) => {
          const [first, second] = await createAndUpdateTwice(t);
          assert.equal(first!.usersWithoutPersonalOrg, 0);
          assert.equal(second!.usersWithoutPersonalOrg, 0);
          const [counts] = await t.sql.query<{
            users: number;
            orgs: number;
            profiles: number;
            seats: number;
            teamMembers: number;
          }>(
            `SELECT (SELECT COUNT(*)::int FROM "User") AS users, (SELECT COUNT(*)::int FROM "Organization" WHERE "isPersonal") AS orgs,
                  (SELECT COUNT(*)::int FROM "OrganizationProfile") AS profiles, (SELECT COUNT(*)::int FROM "OrganizationSeatAssignment") AS seats,
                  (SELECT COUNT(*)::int FROM "TeamMember") AS "teamMembers"`,
          );
          assert.deepEqual(counts, { users: 40, orgs: 40, profiles: 40, seats: 40, teamMembers: 40 });
          assert.deepEqual(await misbooked(t.sql), []);
          const shared = await t.sql
            .query(`SELECT 1 FROM "Organization" WHERE NOT "isPersonal" UNION ALL SELECT 1 FROM "OrgBalance"
                                          UNION ALL SELECT 1 FROM "OrgCreditTransaction" UNION ALL SELECT 1 FROM "OrganizationAlias"`);
          assert.equal(shared.length, 0, "no shared organisations, org balances or aliases");
        }));

      test("platform users without a personal organisation run nothing and are reported; with none at all, exit 1", () =>
        withPlatform(options, async (t) => {
          await create(t);
          // Users the platform's start-up hasn't reached yet.
          await t.sql.exec(
            `INSERT INTO "User" (id, email, "updatedAt") SELECT 'no-org-' || i, 'no-org-' || i || '@example.com', now() FROM generate_series(1, 3) i`,
          );
          const report = await update(t, 2);
          assert.equal(report.usersWithoutPersonalOrg, 3);
          const [ran] = await t.sql.query<{ n: number }>(
            `SELECT COUNT(*)::int AS n FROM "AgentGraphExecution" WHERE "userId" LIKE 'no-org-%'`,
          );
          assert.equal(ran!.n, 0);
          assert.deepEqual(
            (await misbooked(t.sql)).filter((problem) => !problem.startsWith("user no-org-")),
            [],
          );
          const text = await t.cli(UPDATE, ["--seed", "3", "--users", "1000"]);
          assert.equal(text.code, 0, text.stderr);
          assert.match(text.stdout + text.stderr, /⚠ 3 of the users have no personal organisation/);

          await t.sql.exec(`UPDATE "OrgMember" SET "isOwner" = false`);
          const refused = await t.cli(UPDATE, ["--seed", "4"]);
          assert.equal(refused.code, 1);
          assert.match(
            refused.stderr,
            new RegExp(`update: error: ${NO_PERSONAL_ORGANIZATION.replace(/[()]/g, "\\$&")}`),
          );
        }));
    },
  );
}

describe("on release v0.6.12 (June 2025: no materialized views, no UserBalance)", onServer, () => {
  test("create, then update twice: exit 0, the rows written, nothing to refresh or prove", () =>
    withPlatform({ era: "v0.6.12" }, async (t) => {
      const reports = await createAndUpdateTwice(t);
      for (const report of reports) {
        assert.deepEqual([report.views, report.refresh, report.warnings], [{}, { method: "none" }, []]);
        assert.ok(report.created.agentGraphExecutions > 0 && report.created.storeListingReviews > 0);
      }
      const [shown] = await t.sql.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "StoreAgent"`);
      assert.ok(shown!.n > 0, "the store's plain views show the creator's listings");
      const text = await t.cli(UPDATE, ["--seed", "4"]);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /nothing to refresh or prove/);
      assert.doesNotMatch(text.stdout + text.stderr, /db:migrate/);
    }));
});
