// The creator against PostgreSQL and, where the backend matters, the embedded database (one database per
// test, dropped afterwards): counts, every data invariant, the views, reproducibility by seed, atomicity,
// and the command line.
import assert from "node:assert/strict";
import { describe, test, type TestContext } from "node:test";
import {
  createTestData,
  DatabaseNotEmptyError,
  DEFAULT_CREATE_OPTIONS,
  type CreateOptions,
  type CreateReport,
} from "../src/create/creator.js";
import type { SqlSession } from "../src/connection/sqlSession.js";
import { backends, postgresSkip } from "./support/backends.js";
import { TABLES, viewMismatches } from "./support/storeChecks.js";
import {
  createTestDatabase,
  usingDatabase,
  type Backend,
  type TestDatabase,
  type TestDatabaseOptions,
} from "./support/testDatabase.js";
import { cloneTestDatabase, seededTemplateRun } from "./support/updaterFixtures.js";

/** Small but with every feature: several versions per listing, several transactions per user. */
const SMALL: Partial<CreateOptions> = {
  users: 12,
  blocks: 8,
  maxGraphsPerUser: 3,
  maxExecutionsPerGraph: 4,
  maxVersionsPerListing: 3,
  maxTransactionsPerUser: 8,
};

/** Runs `fn` on a new database of the backend, dropped afterwards. */
function databaseOn(backend: Backend) {
  return (fn: (t: TestDatabase) => Promise<void>, options?: TestDatabaseOptions): Promise<void> =>
    usingDatabase(createTestDatabase({ ...options, backend }), fn);
}

async function count(sql: SqlSession, query: string, params: unknown[] = []): Promise<number> {
  const rows = await sql.query<{ n: string | number }>(query, params);
  assert.equal(rows.length, 1, `expected one row from: ${query}`);
  return Number(rows[0]!.n);
}

async function tableCounts(sql: SqlSession): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = await count(sql, `SELECT COUNT(*) AS n FROM "${table}"`);
  return counts;
}

/** Each query counts the rows that break one rule; all must be 0. */
function invariantQueries(o: CreateOptions): Record<string, [string, unknown[]]> {
  return {
    "hasApprovedVersion <=> an APPROVED version exists": [
      `SELECT COUNT(*) AS n FROM "StoreListing" sl
       WHERE sl."hasApprovedVersion" <> EXISTS (SELECT 1 FROM "StoreListingVersion" v
                                               WHERE v."storeListingId" = sl.id AND v."submissionStatus" = 'APPROVED')`,
      [],
    ],
    "activeVersionId is the listing's newest APPROVED version, null without one": [
      `SELECT COUNT(*) AS n FROM "StoreListing" sl
       LEFT JOIN "StoreListingVersion" av ON av.id = sl."activeVersionId"
       WHERE (sl."hasApprovedVersion" AND (av.id IS NULL OR av."storeListingId" <> sl.id
               OR av."submissionStatus" <> 'APPROVED'
               OR av.version <> (SELECT MAX(v.version) FROM "StoreListingVersion" v
                                 WHERE v."storeListingId" = sl.id AND v."submissionStatus" = 'APPROVED')))
          OR (NOT sl."hasApprovedVersion" AND sl."activeVersionId" IS NOT NULL)`,
      [],
    ],
    "one listing per graph, owned by the graph's owner": [
      `SELECT COUNT(*) AS n FROM "AgentGraph" g
       LEFT JOIN "StoreListing" sl ON sl."agentGraphId" = g.id
       WHERE sl.id IS NULL OR sl."owningUserId" <> g."userId"`,
      [],
    ],
    "versions numbered 1..n per listing": [
      `SELECT COUNT(*) AS n FROM (SELECT "storeListingId" FROM "StoreListingVersion" GROUP BY 1
                                  HAVING MIN(version) <> 1 OR MAX(version) <> COUNT(*)
                                      OR COUNT(*) > $1) x`,
      [o.maxVersionsPerListing],
    ],
    "users act only after signing up (runs, reviews, version reviews)": [
      `SELECT (SELECT COUNT(*) FROM "AgentGraphExecution" e JOIN "User" u ON u.id = e."userId" WHERE e."startedAt" < u."createdAt")
            + (SELECT COUNT(*) FROM "StoreListingReview" r JOIN "User" u ON u.id = r."reviewByUserId" WHERE r."createdAt" < u."createdAt")
            + (SELECT COUNT(*) FROM "StoreListingVersion" v JOIN "User" u ON u.id = v."reviewerId"
               WHERE v."reviewedAt" < u."createdAt" OR v."reviewerId" = (SELECT "owningUserId" FROM "StoreListing" sl WHERE sl.id = v."storeListingId"))
            + (SELECT COUNT(*) FROM "StoreListing" sl JOIN "AgentGraph" g ON g.id = sl."agentGraphId" WHERE sl."createdAt" < g."createdAt") AS n`,
      [],
    ],
    "version dates: created <= submitted <= reviewed, submitted unless DRAFT, reviewed iff APPROVED/REJECTED": [
      `SELECT COUNT(*) AS n FROM "StoreListingVersion" v
       WHERE ("submittedAt" IS NULL) <> ("submissionStatus" = 'DRAFT')
          OR ("reviewedAt" IS NOT NULL) <> ("submissionStatus" IN ('APPROVED', 'REJECTED'))
          OR "submittedAt" < "createdAt" OR "reviewedAt" < "submittedAt"
          OR "reviewerId" IS NULL AND "reviewedAt" IS NOT NULL
          OR "isFeatured" AND "submissionStatus" <> 'APPROVED'
          OR cardinality(categories) <> 3`,
      [],
    ],
    "no duplicate (version, reviewer)": [
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM "StoreListingReview"
                                  GROUP BY "storeListingVersionId", "reviewByUserId" HAVING COUNT(*) > 1) d`,
      [],
    ],
    "reviews only on APPROVED versions, not by the owner, after approval, scores 1..5": [
      `SELECT COUNT(*) AS n FROM "StoreListingReview" r
       JOIN "StoreListingVersion" v ON v.id = r."storeListingVersionId"
       JOIN "StoreListing" sl ON sl.id = v."storeListingId"
       WHERE v."submissionStatus" <> 'APPROVED' OR r."reviewByUserId" = sl."owningUserId"
          OR r."createdAt" < v."reviewedAt" OR r.score NOT BETWEEN 1 AND 5`,
      [],
    ],
    "reviews per APPROVED version within min..max": [
      `SELECT COUNT(*) AS n FROM "StoreListingVersion" v
       WHERE v."submissionStatus" = 'APPROVED'
         AND (SELECT COUNT(*) FROM "StoreListingReview" r WHERE r."storeListingVersionId" = v.id) NOT BETWEEN $1 AND $2`,
      [o.minReviewsPerVersion, o.maxReviewsPerVersion],
    ],
    "TOP_UP/GRANT > 0, USAGE < 0, no other types": [
      `SELECT COUNT(*) AS n FROM "CreditTransaction"
       WHERE NOT ((type IN ('TOP_UP', 'GRANT') AND amount > 0) OR (type = 'USAGE' AND amount < 0))
          OR NOT "isActive"`,
      [],
    ],
    "no two transactions of a user at the same moment (createdAt order is total)": [
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM "CreditTransaction" GROUP BY "userId", "createdAt" HAVING COUNT(*) > 1) d`,
      [],
    ],
    "runningBalance = previous + amount, never < 0": [
      `SELECT COUNT(*) AS n FROM (
         SELECT amount, "runningBalance",
                LAG("runningBalance") OVER (PARTITION BY "userId" ORDER BY "createdAt") AS previous
         FROM "CreditTransaction") t
       WHERE "runningBalance" IS NULL OR "runningBalance" < 0
          OR "runningBalance" <> COALESCE(previous, 0) + amount`,
      [],
    ],
    "UserBalance = last runningBalance (and no row without transactions)": [
      `SELECT COUNT(*) AS n FROM (
         SELECT DISTINCT ON ("userId") "userId", "runningBalance", "createdAt"
         FROM "CreditTransaction" ORDER BY "userId", "createdAt" DESC) last
       FULL JOIN "UserBalance" b ON b."userId" = last."userId"
       WHERE b.balance IS DISTINCT FROM last."runningBalance" OR b."updatedAt" IS DISTINCT FROM last."createdAt"`,
      [],
    ],
    "transactions per user within 1..max": [
      `SELECT COUNT(*) AS n FROM "User" u
       WHERE (SELECT COUNT(*) FROM "CreditTransaction" t WHERE t."userId" = u.id) NOT BETWEEN LEAST(1, $1::int) AND $1`,
      [o.maxTransactionsPerUser],
    ],
    "graph runs: createdAt <= startedAt <= endedAt, after the graph was made": [
      `SELECT COUNT(*) AS n FROM "AgentGraphExecution" e JOIN "AgentGraph" g ON g.id = e."agentGraphId"
       WHERE e."startedAt" IS NULL OR e."endedAt" IS NULL OR e."startedAt" > e."endedAt"
          OR e."createdAt" > e."startedAt" OR e."startedAt" < g."createdAt"`,
      [],
    ],
    "node times inside their run": [
      `SELECT COUNT(*) AS n FROM "AgentNodeExecution" ne JOIN "AgentGraphExecution" e ON e.id = ne."agentGraphExecutionId"
       WHERE ne."addedTime" < e."startedAt" OR ne."queuedTime" < ne."addedTime"
          OR ne."startedTime" < ne."queuedTime" OR ne."endedTime" < ne."startedTime"
          OR ne."endedTime" > e."endedAt" OR ne."startedTime" IS NULL OR ne."endedTime" IS NULL`,
      [],
    ],
    "node executions belong to the run's graph": [
      `SELECT COUNT(*) AS n FROM "AgentNodeExecution" ne
       JOIN "AgentGraphExecution" e ON e.id = ne."agentGraphExecutionId"
       JOIN "AgentNode" n ON n.id = ne."agentNodeId"
       WHERE n."agentGraphId" <> e."agentGraphId"`,
      [],
    ],
    "a COMPLETED run ran every node of its graph, all COMPLETED": [
      `SELECT COUNT(*) AS n FROM "AgentGraphExecution" e
       WHERE e."executionStatus" = 'COMPLETED'
         AND ((SELECT COUNT(*) FROM "AgentNodeExecution" ne WHERE ne."agentGraphExecutionId" = e.id AND ne."executionStatus" = 'COMPLETED')
              <> (SELECT COUNT(*) FROM "AgentNode" n WHERE n."agentGraphId" = e."agentGraphId"))`,
      [],
    ],
    "graphs per user within min..max": [
      `SELECT COUNT(*) AS n FROM "User" u
       WHERE (SELECT COUNT(*) FROM "AgentGraph" g WHERE g."userId" = u.id) NOT BETWEEN $1 AND $2`,
      [o.minGraphsPerUser, o.maxGraphsPerUser],
    ],
    "nodes per graph within min..max": [
      `SELECT COUNT(*) AS n FROM "AgentGraph" g
       WHERE (SELECT COUNT(*) FROM "AgentNode" n WHERE n."agentGraphId" = g.id) NOT BETWEEN $1 AND $2`,
      [o.minNodesPerGraph, o.maxNodesPerGraph],
    ],
    "executions per graph within min..max": [
      `SELECT COUNT(*) AS n FROM "AgentGraph" g
       WHERE (SELECT COUNT(*) FROM "AgentGraphExecution" e WHERE e."agentGraphId" = g.id) NOT BETWEEN $1 AND $2`,
      [o.minExecutionsPerGraph, o.maxExecutionsPerGraph],
    ],
    "every user has a profile; graphs active, made after their user": [
      `SELECT COUNT(*) AS n FROM "User" u LEFT JOIN "Profile" p ON p."userId" = u.id
       WHERE p.id IS NULL OR p."createdAt" < u."createdAt"
          OR EXISTS (SELECT 1 FROM "AgentGraph" g WHERE g."userId" = u.id AND (g."createdAt" < u."createdAt" OR NOT g."isActive"))`,
      [],
    ],
    "every timestamp in the past": [
      `SELECT (SELECT COUNT(*) FROM "User" WHERE "createdAt" > now() OR "updatedAt" > now())
            + (SELECT COUNT(*) FROM "AgentGraph" WHERE "createdAt" > now())
            + (SELECT COUNT(*) FROM "AgentGraphExecution" WHERE "createdAt" > now() OR "endedAt" > now())
            + (SELECT COUNT(*) FROM "StoreListing" WHERE "createdAt" > now() OR "updatedAt" > now())
            + (SELECT COUNT(*) FROM "StoreListingVersion" WHERE "createdAt" > now() OR "reviewedAt" > now())
            + (SELECT COUNT(*) FROM "StoreListingReview" WHERE "createdAt" > now())
            + (SELECT COUNT(*) FROM "CreditTransaction" WHERE "createdAt" > now()) AS n`,
      [],
    ],
  };
}

async function brokenInvariants(sql: SqlSession, options: Partial<CreateOptions>): Promise<string[]> {
  const o = { ...DEFAULT_CREATE_OPTIONS, ...options };
  const broken: string[] = [];
  for (const [rule, [query, params]] of Object.entries(invariantQueries(o))) {
    const n = await count(sql, query, params);
    if (n !== 0) broken.push(`${rule}: ${n} rows`);
  }
  return broken;
}

async function assertInvariants(sql: SqlSession, options: Partial<CreateOptions>): Promise<void> {
  assert.deepEqual(await brokenInvariants(sql, options), [], "invariants broken");
}

/** Both materialized views hold what their rows should be, counted here in TypeScript from the
 *  base tables (support/viewExpectations.ts), and neither is empty. */
async function assertViewsFresh(sql: SqlSession): Promise<void> {
  const mismatches = await viewMismatches(sql);
  assert.deepEqual(
    mismatches,
    [],
    `view differs from the rows counted from its tables: ${mismatches.slice(0, 5).join("; ")}`,
  );
  for (const view of ["mv_agent_run_counts", "mv_review_stats"]) {
    assert.ok((await count(sql, `SELECT COUNT(*) AS n FROM "${view}"`)) > 0, `view is empty: ${view}`);
  }
}

/** The report's counts are what the database holds. */
async function assertReportMatchesDatabase(sql: SqlSession, report: CreateReport): Promise<void> {
  const c = report.counts;
  assert.deepEqual(await tableCounts(sql), {
    User: c.users,
    Profile: c.profiles,
    AgentBlock: c.blocks,
    AgentGraph: c.graphs,
    AgentNode: c.nodes,
    AgentGraphExecution: c.executions,
    AgentNodeExecution: c.nodeExecutions,
    StoreListing: c.listings,
    StoreListingVersion: c.versions,
    StoreListingReview: c.reviews,
    CreditTransaction: c.creditTransactions,
    UserBalance: c.userBalances,
  });
  const statuses = await sql.query<{ status: string; n: string }>(
    `SELECT "submissionStatus" AS status, COUNT(*) AS n FROM "StoreListingVersion" GROUP BY 1`,
  );
  const byStatus = { DRAFT: 0, PENDING: 0, APPROVED: 0, REJECTED: 0 } as Record<string, number>;
  for (const row of statuses) byStatus[row.status] = Number(row.n);
  assert.deepEqual(byStatus, c.versionsByStatus);
  assert.equal(
    await count(sql, `SELECT COUNT(*) AS n FROM "StoreListing" WHERE "hasApprovedVersion"`),
    c.approvedListings,
  );
}

/**
 * The creator's tests run on PostgreSQL; those where the backend matters run on the embedded
 * database too: the whole run at the default counts (the bulk path is COPY on a server, INSERT ...
 * unnest on PGlite), its one transaction rolled back (PGlite's is this project's own, src/embedded/
 * pgliteTransactions.ts), and the schema a session writes to (?schema=). The rest is the creator's
 * own logic and SQL, the same on either.
 */
const ON_BOTH_BACKENDS = new Set([
  "at the platform's default counts: counts, invariants and fresh views",
  "a failure leaves nothing behind (one transaction)",
  "works in the platform's `platform` schema (?schema=platform)",
]);

/** test(), for the creator's tests on `backend`. */
const creatorTestOn =
  (backend: Backend) =>
  (name: string, fn: (t: TestContext) => Promise<void>): void => {
    if (backend === "postgres" || ON_BOTH_BACKENDS.has(name)) test(name, fn);
  };

for (const backend of backends()) {
  const withDatabase = databaseOn(backend.name);
  const test = creatorTestOn(backend.name);
  const concurrency = backend.name === "postgres" ? 4 : 1;
  describe(`createTestData (in-process) [${backend.name}]`, { skip: backend.skip, concurrency }, () => {
    test("at the platform's default counts: counts, invariants and fresh views", async () => {
      // The run's seeded template is a run of the creator at the defaults (seed 1): made once per test
      // run, and asserted on here, on a copy of what it wrote.
      const { template, report, lines } = await seededTemplateRun(backend.name);
      await usingDatabase(cloneTestDatabase(template), async ({ sql }) => {
        assert.equal(report.seed, 1);
        assert.equal(report.counts.users, 100);
        assert.equal(report.counts.profiles, 100);
        assert.equal(report.counts.blocks, 100);
        assert.equal(report.counts.listings, report.counts.graphs);
        assert.equal(report.counts.versions, report.counts.listings, "one version per listing by default");
        assert.equal(report.counts.userBalances, 100);
        assert.ok(report.counts.graphs >= 100 && report.counts.graphs <= 500);
        // Every status occurs, and both kinds of listing, so the invariants below are not vacuous.
        for (const [status, n] of Object.entries(report.counts.versionsByStatus))
          assert.ok(n > 0, `no ${status} version`);
        assert.ok(report.counts.approvedListings > 0 && report.counts.approvedListings < report.counts.listings);
        await assertReportMatchesDatabase(sql, report);
        await assertInvariants(sql, {});
        await assertViewsFresh(sql);
        assert.ok((await count(sql, `SELECT COUNT(*) AS n FROM "CreditTransaction" WHERE type = 'USAGE'`)) > 0);
        assert.ok(
          (await count(sql, `SELECT COUNT(*) AS n FROM "AgentGraphExecution" WHERE "executionStatus" <> 'COMPLETED'`)) >
            0,
        );
        assert.ok((await count(sql, `SELECT COUNT(*) AS n FROM "StoreAgent"`)) === report.counts.approvedListings);
        // One timed line per phase.
        assert.ok(
          lines.some((l) => /^✓ 100 users \(\d+\.\d\ds\)$/.test(l)),
          lines.join("\n"),
        );
        assert.ok(
          lines.some((l) =>
            l.startsWith("✓ Refreshed mv_agent_run_counts and mv_review_stats with refresh_store_materialized_views()"),
          ),
          lines.join("\n"),
        );
        assert.ok(
          lines.some((l) =>
            l.startsWith("✓ 2 materialized views refreshed (mv_agent_run_counts, mv_review_stats), all match"),
          ),
          lines.join("\n"),
        );
        assert.deepEqual(
          Object.values(report.views.views).map((v) => v.matchesSource),
          [true, true],
        );
        // The planner has statistics for every table the creator filled (ANALYZE ran, in its transaction).
        const analyzed = await sql.query<{ relname: string }>(
          `SELECT c.relname FROM pg_class c WHERE c.relname = ANY($1::text[]) AND c.relnamespace = to_regnamespace(current_schema())
             AND c.reltuples > 0 AND EXISTS (SELECT 1 FROM pg_statistic s WHERE s.starelid = c.oid)`,
          [[...TABLES]],
        );
        assert.deepEqual(analyzed.map((r) => r.relname).sort(), [...TABLES].sort());
        assert.ok(
          lines.some((l) => /^✓ planner statistics of 12 tables updated \(ANALYZE\)/.test(l)),
          lines.join("\n"),
        );
      });
    });

    test("small counts with several versions per listing, random seed: invariants and views", async (t) => {
      await withDatabase(async ({ db, sql }) => {
        const report = await createTestData(db, SMALL);
        t.diagnostic(`seed ${report.seed}`);
        assert.equal(report.counts.users, 12);
        assert.equal(report.counts.blocks, 8);
        assert.ok(report.counts.versions > report.counts.listings, "some listing has several versions");
        await assertReportMatchesDatabase(sql, report);
        await assertInvariants(sql, SMALL);
        await assertViewsFresh(sql);
      });
    });

    test("the invariant checks catch broken data (each corruption rolled back after)", async () => {
      await withDatabase(async ({ db, sql }) => {
        await createTestData(db, { ...SMALL, seed: 9 });
        await assertInvariants(sql, SMALL);
        const one = (table: string, where = "true") => `(SELECT ctid FROM "${table}" WHERE ${where} LIMIT 1)`;
        const corruptions: Array<[string, string]> = [
          [
            `UPDATE "StoreListing" SET "hasApprovedVersion" = NOT "hasApprovedVersion" WHERE ctid = ${one("StoreListing")}`,
            "hasApprovedVersion <=>",
          ],
          [
            `UPDATE "StoreListing" SET "activeVersionId" = NULL WHERE ctid = ${one("StoreListing", `"hasApprovedVersion"`)}`,
            "activeVersionId is",
          ],
          [
            `UPDATE "CreditTransaction" SET amount = -amount WHERE ctid = ${one("CreditTransaction", "type = 'USAGE'")}`,
            "TOP_UP/GRANT > 0",
          ],
          [
            `UPDATE "CreditTransaction" SET "runningBalance" = "runningBalance" + 1 WHERE ctid = ${one("CreditTransaction")}`,
            "runningBalance = previous",
          ],
          [`UPDATE "UserBalance" SET balance = balance + 1 WHERE ctid = ${one("UserBalance")}`, "UserBalance = last"],
          [`DELETE FROM "UserBalance" WHERE ctid = ${one("UserBalance")}`, "UserBalance = last"],
          [
            `UPDATE "AgentGraphExecution" SET "endedAt" = "startedAt" - interval '1 second' WHERE ctid = ${one("AgentGraphExecution")}`,
            "graph runs:",
          ],
          [
            `UPDATE "AgentNodeExecution" SET "endedTime" = "endedTime" + interval '1 hour' WHERE ctid = ${one("AgentNodeExecution")}`,
            "node times inside",
          ],
          [
            `UPDATE "StoreListingVersion" SET "submissionStatus" = 'PENDING', "reviewedAt" = NULL, "reviewerId" = NULL WHERE id = (SELECT "storeListingVersionId" FROM "StoreListingReview" LIMIT 1)`,
            "reviews only on APPROVED",
          ],
          [
            `UPDATE "StoreListingReview" r SET "reviewByUserId" = sl."owningUserId" FROM "StoreListingVersion" v JOIN "StoreListing" sl ON sl.id = v."storeListingId" WHERE v.id = r."storeListingVersionId" AND r.ctid = ${one("StoreListingReview")}`,
            "reviews only on APPROVED",
          ],
          [
            `DELETE FROM "AgentNodeExecution" WHERE ctid = ${one("AgentNodeExecution", `"agentGraphExecutionId" IN (SELECT id FROM "AgentGraphExecution" WHERE "executionStatus" = 'COMPLETED')`)}`,
            "a COMPLETED run ran every node",
          ],
          [
            `UPDATE "AgentGraph" SET "userId" = (SELECT id FROM "User" ORDER BY id LIMIT 1) WHERE ctid = ${one("AgentGraph")}`,
            "one listing per graph",
          ],
          [
            `UPDATE "StoreListingReview" SET "createdAt" = now() + interval '1 day' WHERE ctid = ${one("StoreListingReview")}`,
            "every timestamp in the past",
          ],
        ];
        for (const [corruption, rule] of corruptions) {
          await sql.exec("BEGIN");
          try {
            await sql.exec(corruption);
            const broken = await brokenInvariants(sql, SMALL);
            assert.ok(
              broken.some((b) => b.startsWith(rule)),
              `${corruption}\n  expected "${rule}", got ${JSON.stringify(broken)}`,
            );
          } finally {
            await sql.exec("ROLLBACK");
          }
        }
        await assertInvariants(sql, SMALL);
        // And the view check notices a view that lags behind its tables.
        for (const stale of [
          `DELETE FROM "AgentGraphExecution" WHERE ctid = ${one("AgentGraphExecution")}`,
          `DELETE FROM "StoreListingReview" WHERE ctid = ${one("StoreListingReview")}`,
        ]) {
          await sql.exec("BEGIN");
          try {
            await sql.exec(stale);
            await assert.rejects(assertViewsFresh(sql), /view differs from the rows counted from its tables/);
          } finally {
            await sql.exec("ROLLBACK");
          }
        }
        await assertViewsFresh(sql);
      });
    });

    test("same seed on two empty databases gives the same rows (timestamps equal relative to `now`)", async () => {
      const dumps: Array<Record<string, unknown[]>> = [];
      for (const seed of [4242, 4242, 4243]) {
        await withDatabase(async ({ db, sql }) => {
          const report = await createTestData(db, { ...SMALL, seed });
          dumps.push(await dumpRelativeTo(sql, report.now.getTime()));
        });
      }
      const [first, second, other] = dumps;
      for (const table of TABLES) assert.ok(first![table]!.length > 0, `${table} is empty`);
      assert.deepEqual(second, first);
      assert.notDeepEqual(other!.User, first!.User, "another seed gives other users");
    });

    test("the same seed makes the same rows in batches of any size (users, and everything of theirs, a batch at a time)", async () => {
      const now = new Date("2025-06-15T12:00:00.000Z");
      const dumps: Array<Record<string, unknown[]>> = [];
      for (const usersPerBatch of [DEFAULT_CREATE_OPTIONS.usersPerBatch, 5, 1]) {
        await withDatabase(async ({ db, sql }) => {
          const report = await createTestData(db, { ...SMALL, seed: 4242, now, usersPerBatch });
          await assertReportMatchesDatabase(sql, report);
          await assertInvariants(sql, SMALL);
          dumps.push(await dumpRelativeTo(sql, 0));
        });
      }
      assert.ok(
        SMALL.users! < DEFAULT_CREATE_OPTIONS.usersPerBatch && SMALL.users! % 5 !== 0,
        "one batch, then uneven batches",
      );
      assert.deepEqual(dumps[1], dumps[0]);
      assert.deepEqual(dumps[2], dumps[0]);
    });

    test("a fixed `now` makes two runs identical to the millisecond", async () => {
      const now = new Date("2025-06-15T12:00:00.000Z");
      const dumps: Array<Record<string, unknown[]>> = [];
      for (let i = 0; i < 2; i++) {
        await withDatabase(async ({ db, sql }) => {
          const report = await createTestData(db, { ...SMALL, users: 5, seed: 7, now });
          assert.equal(report.now.getTime(), now.getTime());
          dumps.push(await dumpRelativeTo(sql, 0));
          assert.equal(await count(sql, `SELECT COUNT(*) AS n FROM "User" WHERE "createdAt" >= $1`, [now]), 0);
        });
      }
      assert.deepEqual(dumps[1], dumps[0]);
    });

    test("refuses a database that has users unless forced; --force adds a separate, consistent batch", async () => {
      await withDatabase(async ({ db, sql }) => {
        await createTestData(db, { ...SMALL, seed: 5 });
        const before = await tableCounts(sql);
        await assert.rejects(createTestData(db, { ...SMALL, seed: 6 }), (error: unknown) => {
          assert.ok(error instanceof DatabaseNotEmptyError);
          assert.match(error.message, /already has 12 users.*--force/);
          return true;
        });
        assert.deepEqual(await tableCounts(sql), before, "a refused run writes nothing");
        // The same seed again: emails, usernames and block names collide and get numbered; ids don't.
        const report = await createTestData(db, { ...SMALL, seed: 5, force: true });
        const after = await tableCounts(sql);
        assert.equal(after.User, 24);
        assert.equal(after.AgentBlock, 16);
        assert.equal(after.AgentGraph, before.AgentGraph! + report.counts.graphVersions);
        await assertInvariants(sql, SMALL);
        await assertViewsFresh(sql);
      });
    });

    test("a failure leaves nothing behind (one transaction)", async () => {
      await withDatabase(async ({ db, sql }) => {
        // The last write (credit transactions) fails: everything before it must be rolled back.
        await sql.exec(`CREATE FUNCTION no_credit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no credit today'; END $$;
          CREATE TRIGGER no_credit BEFORE INSERT ON "CreditTransaction" FOR EACH STATEMENT EXECUTE FUNCTION no_credit();`);
        await assert.rejects(createTestData(db, { ...SMALL, seed: 3 }), /no credit today/);
        const counts = await tableCounts(sql);
        assert.deepEqual(
          Object.values(counts).filter((n) => n !== 0),
          [],
          JSON.stringify(counts),
        );
      });
    });

    test("the runs' foreign keys are checked once, after the load: back as they were, and a row they refuse undoes it all", async () => {
      await withDatabase(async ({ db, sql }) => {
        const keys = () =>
          sql.query(
            `SELECT conrelid::regclass::text AS "table", conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2`,
          );
        const before = await keys();
        assert.ok(before.filter((k) => /Execution/.test(String(k.table))).length >= 4, JSON.stringify(before));
        // One node run refers to no node; the trigger plants it only while the key is dropped, and says so in a sequence (not rolled back).
        await sql.exec(`CREATE SEQUENCE orphan_planted;
          CREATE FUNCTION plant_orphan() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'AgentNodeExecution_agentNodeId_fkey') THEN
              IF nextval('orphan_planted') = 1 THEN NEW."agentNodeId" := 'no-such-node'; END IF;
            END IF;
            RETURN NEW; END $$;
          CREATE TRIGGER plant_orphan BEFORE INSERT ON "AgentNodeExecution" FOR EACH ROW EXECUTE FUNCTION plant_orphan();`);
        await assert.rejects(createTestData(db, { ...SMALL, seed: 21 }), /AgentNodeExecution_agentNodeId_fkey/);
        assert.equal(
          (await sql.query(`SELECT is_called FROM orphan_planted`))[0]!.is_called,
          true,
          "the orphan went in while the key was dropped",
        );
        await sql.exec(`DROP TRIGGER plant_orphan ON "AgentNodeExecution"`);
        assert.deepEqual(
          Object.values(await tableCounts(sql)).filter((n) => n !== 0),
          [],
        );
        assert.deepEqual(await keys(), before);

        const lines: string[] = [];
        await createTestData(db, { ...SMALL, seed: 21 }, (line) => lines.push(line));
        assert.ok(
          lines.some((l) => /^✓ 5 foreign keys of the runs checked over all their rows/.test(l)),
          lines.join("\n"),
        );
        assert.deepEqual(await keys(), before);
        await assertInvariants(sql, SMALL);
      });
    });

    test("no transactions at all: no UserBalance rows", async () => {
      await withDatabase(async ({ db, sql }) => {
        const options = { ...SMALL, users: 4, maxTransactionsPerUser: 0, seed: 11 };
        const report = await createTestData(db, options);
        assert.equal(report.counts.creditTransactions, 0);
        assert.equal(report.counts.userBalances, 0);
        await assertInvariants(sql, options);
      });
    });

    test("works in the platform's `platform` schema (?schema=platform)", async () => {
      await withDatabase(
        async ({ db, sql, target }) => {
          assert.equal(target.schema, "platform");
          const report = await createTestData(db, { ...SMALL, seed: 8 });
          assert.equal(await count(sql, `SELECT COUNT(*) AS n FROM platform."User"`), report.counts.users);
          assert.equal(await count(sql, `SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = 'public'`), 0);
          await assertReportMatchesDatabase(sql, report);
          await assertInvariants(sql, SMALL);
          await assertViewsFresh(sql);
        },
        { schema: "platform" },
      );
    });

    test("rejects impossible options", async () => {
      await withDatabase(async ({ db, sql }) => {
        await assert.rejects(createTestData(db, { minGraphsPerUser: 4, maxGraphsPerUser: 2 }), RangeError);
        await assert.rejects(createTestData(db, { users: 0 }), RangeError);
        await assert.rejects(createTestData(db, { users: 2.5 }), RangeError);
        assert.equal(await count(sql, `SELECT COUNT(*) AS n FROM "User"`), 0);
      });
    });
  });
}

const CREATE = "src/createTestData.ts";

// The command in-process (support/inProcess.ts): its parse, its output and its exit codes, on
// PostgreSQL (the commands' embedded path is start.test.ts's and cliReports.test.ts's).
describe("npm run create (the command)", { skip: postgresSkip }, () => {
  const withDatabase = databaseOn("postgres");
  test("creates; a second run without --force exits 1 and writes nothing; --force adds a batch", async () => {
    await withDatabase(async ({ cli, sql }) => {
      const small = [
        "--users",
        "6",
        "--blocks",
        "5",
        "--max-graphs-per-user",
        "2",
        "--max-executions-per-graph",
        "3",
        "--seed",
        "21",
      ];
      const first = await cli(CREATE, small);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /seed 21 \(replay with --seed 21\)/);
      assert.match(first.stdout, /✓ 6 users \(\d+\.\d\ds\)/);
      assert.equal(await count(sql, `SELECT COUNT(*) AS n FROM "User"`), 6);

      const second = await cli(CREATE, small);
      assert.equal(second.code, 1);
      assert.match(second.stderr, /^create: error: the database already has 6 users.*--force/m);
      assert.equal(await count(sql, `SELECT COUNT(*) AS n FROM "User"`), 6);

      const forced = await cli(CREATE, [...small, "--force"]);
      assert.equal(forced.code, 0, forced.stderr);
      assert.equal(await count(sql, `SELECT COUNT(*) AS n FROM "User"`), 12);
    });
  });

  test("bad options exit 2 with a line naming the command, and write nothing; --help prints the usage", async () => {
    await withDatabase(async ({ cli, sql }) => {
      for (const bad of [
        ["--users", "-1"],
        ["--users", "0"],
        ["--users", "many"],
        ["--min-nodes-per-graph", "5", "--max-nodes-per-graph", "2"],
        ["--bogus"],
      ]) {
        const result = await cli(CREATE, bad);
        assert.equal(result.code, 2, `${bad.join(" ")}: ${result.stderr}`);
        assert.match(result.stderr, /^create: /);
      }
      assert.equal(await count(sql, `SELECT COUNT(*) AS n FROM "User"`), 0);

      const help = await cli(CREATE, ["--help"]);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /^Usage: npm run create/);
      assert.match(help.stdout, /--max-executions-per-graph N .*default 20/);
    });
  });
});

async function dumpRelativeTo(sql: SqlSession, now: number): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const rows = await sql.query<Record<string, unknown>>(`SELECT * FROM "${table}"`);
    const normalised = rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.getTime() - now : v])),
    );
    dump[table] = normalised.map((r) => JSON.stringify(r)).sort();
  }
  return dump;
}
