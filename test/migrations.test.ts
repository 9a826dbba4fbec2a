// The migration runner and the migrations it applies, each case in a database of its own:
// what the migrations build (in `public` and in `?schema=platform`), the Prisma Migrate
// bookkeeping, refusing an edited migration, rolling back a failed one, the db:migrate command
// (its first run a child process, for its exit code; the rest in-process), and the store views'
// refresh function.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { SqlSession } from "../src/connection/sqlSession.js";
import { applyMigrations, MigrationError } from "../src/migrate/applyMigrations.js";
import { MIGRATIONS_DIR, readMigrationFiles, type MigrationFile } from "../src/schema/migrationFiles.js";
import { postgresSkip } from "./support/backends.js";
import { runInProcess } from "./support/inProcess.js";
import { runCli, type CliResult } from "./support/runCli.js";
import { TABLES, schemaEnums, viewMismatches } from "./support/storeChecks.js";
import { createTestDatabase, usingDatabase, type TestDatabase } from "./support/testDatabase.js";

const MIGRATE = "src/migrateDatabase.ts";

const ENUMS: Record<string, string[]> = {
  AgentExecutionStatus: ["INCOMPLETE", "QUEUED", "RUNNING", "COMPLETED", "TERMINATED", "FAILED", "REVIEW"],
  CreditTransactionType: ["TOP_UP", "USAGE", "GRANT", "REFUND", "CARD_CHECK"],
  SubmissionStatus: ["DRAFT", "PENDING", "APPROVED", "REJECTED"],
};

/** The migration folders and their checksums, read independently of the runner's own reader. */
async function migrationFolders(): Promise<{ name: string; checksum: string }[]> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      checksum: createHash("sha256")
        .update(await readFile(join(MIGRATIONS_DIR, name, "migration.sql")))
        .digest("hex"),
    })),
  );
}

const withDatabase = (options: { schema?: string; migrate?: boolean }, fn: (testDb: TestDatabase) => Promise<void>) =>
  usingDatabase(createTestDatabase(options), fn);

interface MigrationRow {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
}

async function migrationRows(sql: SqlSession, schema: string): Promise<MigrationRow[]> {
  return sql.query<MigrationRow>(
    `SELECT id, migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs
     FROM "${schema}"."_prisma_migrations" ORDER BY started_at, migration_name`,
  );
}

async function relations(sql: SqlSession, schema: string, kinds: string): Promise<string[]> {
  const rows = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = ANY($2::"char"[]) ORDER BY 1`,
    [schema, kinds.split("")],
  );
  return rows.map((r) => r.name);
}

async function tableExists(sql: SqlSession, schema: string, table: string): Promise<boolean> {
  const [row] = await sql.query<{ regclass: string | null }>(`SELECT to_regclass($1) AS regclass`, [
    `"${schema}"."${table}"`,
  ]);
  return row!.regclass !== null;
}

/** Everything the spec says the migrations create, checked in `schema`. */
async function assertSchemaBuilt(sql: SqlSession, schema: string): Promise<void> {
  assert.deepEqual(await relations(sql, schema, "r"), [...TABLES, "_prisma_migrations"].sort());

  const enums = await schemaEnums(sql, schema);
  assert.deepEqual(Object.fromEntries(enums.map((e) => [e.name, e.values])), ENUMS);

  // Both materialized views, populated by the migration, each with the unique index that
  // REFRESH ... CONCURRENTLY needs.
  const views = await sql.query<{ matviewname: string; ispopulated: boolean }>(
    `SELECT matviewname, ispopulated FROM pg_matviews WHERE schemaname = $1 ORDER BY 1`,
    [schema],
  );
  assert.deepEqual(views, [
    { matviewname: "mv_agent_run_counts", ispopulated: true },
    { matviewname: "mv_review_stats", ispopulated: true },
  ]);
  const viewIndexes = await sql.query<{ view: string; index: string; columns: string[] }>(
    `SELECT t.relname AS view, i.relname AS index,
            ARRAY(SELECT a.attname FROM unnest(ix.indkey::int2[]) k(attnum)
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum)::text[] AS columns
     FROM pg_index ix
     JOIN pg_class i ON i.oid = ix.indexrelid
     JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = $1 AND t.relkind = 'm' AND ix.indisunique AND ix.indpred IS NULL
     ORDER BY 1`,
    [schema],
  );
  assert.deepEqual(viewIndexes, [
    { view: "mv_agent_run_counts", index: "idx_mv_agent_run_counts", columns: ["agentGraphId"] },
    { view: "mv_review_stats", index: "idx_mv_review_stats", columns: ["storeListingId"] },
  ]);
  const viewColumns = await sql.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS data_type
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'm' AND a.attnum > 0 ORDER BY c.relname, a.attnum`,
    [schema],
  );
  assert.deepEqual(
    viewColumns.map((c) => `${c.table_name}.${c.column_name} ${c.data_type}`),
    [
      "mv_agent_run_counts.agentGraphId text",
      "mv_agent_run_counts.run_count bigint",
      "mv_review_stats.storeListingId text",
      "mv_review_stats.review_count bigint",
      "mv_review_stats.avg_rating numeric",
    ],
  );

  assert.deepEqual(await relations(sql, schema, "v"), ["Creator", "StoreAgent", "StoreSubmission"]);
  const storeAgentColumns = await sql.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'StoreAgent'`,
    [schema],
  );
  for (const column of ["listing_id", "slug", "agent_name", "runs", "rating", "versions"]) {
    assert.ok(
      storeAgentColumns.some((c) => c.column_name === column),
      `StoreAgent.${column}`,
    );
  }

  const checks = await sql.query<{ conname: string; def: string }>(
    `SELECT con.conname, pg_get_constraintdef(con.oid) AS def
     FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = $1 AND con.contype = 'c'`,
    [schema],
  );
  assert.equal(checks.length, 1, JSON.stringify(checks));
  // The platform's only CHECK; it has none on the review score (keeping 1..5 is our writers' job).
  assert.equal(checks[0]!.conname, "User_timezone_check");
  assert.match(checks[0]!.def, /timezone = 'not-set'/);

  const functions = await sql.query<{ proname: string; nargs: number; returns: string; lang: string }>(
    `SELECT p.proname, p.pronargs::int AS nargs, format_type(p.prorettype, NULL) AS returns, l.lanname AS lang
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
     WHERE n.nspname = $1`,
    [schema],
  );
  assert.deepEqual(functions, [
    { proname: "refresh_store_materialized_views", nargs: 0, returns: "void", lang: "plpgsql" },
  ]);
}

/** _prisma_migrations holds one finished row per migration folder, as Prisma Migrate writes it. */
async function assertHistoryComplete(sql: SqlSession, schema: string): Promise<void> {
  const folders = await migrationFolders();
  assert.ok(folders.length >= 2, "prisma/migrations has the init and the views migrations");
  const rows = await migrationRows(sql, schema);
  assert.deepEqual(
    rows.map((r) => ({ name: r.migration_name, checksum: r.checksum })),
    folders,
  );
  for (const row of rows) {
    assert.match(row.id, /^[0-9a-f-]{36}$/);
    assert.ok(row.finished_at instanceof Date, `${row.migration_name} is finished`);
    assert.equal(row.rolled_back_at, null);
    assert.equal(row.applied_steps_count, 1);
  }
}

describe("migrations", { skip: postgresSkip, concurrency: true }, () => {
  test("build an empty database, record themselves as Prisma Migrate does, and re-run as a no-op", () =>
    withDatabase({ migrate: false }, async ({ sql, target }) => {
      assert.equal(target.schema, "public");
      const files = await readMigrationFiles();
      const folders = await migrationFolders();
      assert.deepEqual(
        files.map((f) => ({ name: f.name, checksum: f.checksum })),
        folders,
      );

      const logged: string[] = [];
      const first = await applyMigrations(sql, target.schema, files, (line) => logged.push(line));
      assert.deepEqual(first, { applied: folders.map((f) => f.name), alreadyApplied: 0 });
      assert.deepEqual(
        logged,
        folders.map((f) => `applied ${f.name}`),
      );
      await assertSchemaBuilt(sql, "public");
      await assertHistoryComplete(sql, "public");

      const before = await migrationRows(sql, "public");
      const second = await applyMigrations(sql, target.schema, files);
      assert.deepEqual(second, { applied: [], alreadyApplied: folders.length });
      assert.deepEqual(await migrationRows(sql, "public"), before);
    }));

  test("build ?schema=platform: everything lands in schema platform, nothing in public", () =>
    withDatabase({ schema: "platform", migrate: false }, async ({ sql, target }) => {
      assert.equal(target.schema, "platform");
      const report = await applyMigrations(sql, target.schema, await readMigrationFiles());
      assert.equal(report.applied.length, (await migrationFolders()).length);
      await assertSchemaBuilt(sql, "platform");
      await assertHistoryComplete(sql, "platform");

      // public is left as PostgreSQL made it: no tables, views, sequences, indexes, types or functions.
      assert.deepEqual(await relations(sql, "public", "rvmiSpc"), []);
      const [types] = await sql.query<{ n: number }>(
        `SELECT COUNT(*)::int AS n FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = 'public' AND t.typtype IN ('e', 'c', 'd') AND t.typrelid = 0`,
      );
      assert.equal(types!.n, 0);
      const [functions] = await sql.query<{ n: number }>(
        `SELECT COUNT(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'`,
      );
      assert.equal(functions!.n, 0);
      assert.equal(await tableExists(sql, "public", "_prisma_migrations"), false);

      const again = await applyMigrations(sql, target.schema, await readMigrationFiles());
      assert.deepEqual(again.applied, []);
    }));

  test("an applied migration whose file changed is refused, and nothing pending is applied", () =>
    withDatabase({}, async ({ sql, target }) => {
      const files = await readMigrationFiles();
      const before = await migrationRows(sql, target.schema);
      const pending: MigrationFile = {
        name: "29990101000000_add_pending_table",
        sql: `CREATE TABLE "PendingTable" ("id" TEXT NOT NULL);`,
        checksum: createHash("sha256").update(`CREATE TABLE "PendingTable" ("id" TEXT NOT NULL);`).digest("hex"),
      };

      // The file on disk was edited after it was applied.
      const [first, ...rest] = files;
      const edited = `${first!.sql}\n-- an edit after the fact\n`;
      const editedFiles = [
        { ...first!, sql: edited, checksum: createHash("sha256").update(edited).digest("hex") },
        ...rest,
        pending,
      ];
      await assert.rejects(applyMigrations(sql, target.schema, editedFiles), (error: unknown) => {
        assert.ok(error instanceof MigrationError, String(error));
        assert.match(error.message, new RegExp(`migration ${first!.name} was changed after it was applied`));
        return true;
      });
      assert.equal(await tableExists(sql, target.schema, "PendingTable"), false);
      assert.deepEqual(await migrationRows(sql, target.schema), before);

      // The same, seen from the database: the recorded checksum no longer matches the file.
      await sql.query(`UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name = $2`, [
        "0".repeat(64),
        rest[0]!.name,
      ]);
      await assert.rejects(
        applyMigrations(sql, target.schema, [...files, pending]),
        (error: unknown) =>
          error instanceof MigrationError &&
          error.message.includes(`migration ${rest[0]!.name} was changed after it was applied`),
      );
      assert.equal(await tableExists(sql, target.schema, "PendingTable"), false);
      assert.equal((await migrationRows(sql, target.schema)).length, before.length);

      // The session is left usable (no open transaction, the advisory lock released).
      const [lock] = await sql.query<{ n: number }>(
        `SELECT COUNT(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`,
      );
      assert.equal(lock!.n, 0);
    }));

  test("a migration that failed earlier and was never finished blocks migrating", () =>
    withDatabase({}, async ({ sql, target }) => {
      await sql.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
         VALUES ('00000000-0000-4000-8000-000000000000', $1, '29990101000000_half_done', now(), 0)`,
        ["a".repeat(64)],
      );
      await assert.rejects(
        applyMigrations(sql, target.schema, await readMigrationFiles()),
        /29990101000000_half_done failed earlier/,
      );
    }));

  test("a failing migration rolls back whole: no row, no partial objects, later migrations not run", () =>
    withDatabase({ migrate: false }, async ({ sql, target }) => {
      const [init, ...later] = await readMigrationFiles();
      const badSql = `CREATE TABLE "HalfMade" ("id" TEXT NOT NULL);
ALTER TABLE "User" ADD COLUMN "halfMade" TEXT;
INSERT INTO "HalfMade" VALUES ('x');
SELECT * FROM "NoSuchTable";`;
      const bad: MigrationFile = {
        name: "20250601120000_bad",
        sql: badSql,
        checksum: createHash("sha256").update(badSql).digest("hex"),
      };
      await assert.rejects(applyMigrations(sql, target.schema, [init!, bad, ...later]), (error: unknown) => {
        assert.ok(error instanceof MigrationError, String(error));
        assert.match(error.message, /migration 20250601120000_bad failed and was rolled back: .*NoSuchTable/);
        return true;
      });
      assert.equal(await tableExists(sql, target.schema, "HalfMade"), false);
      const userColumns = await sql.query(
        `SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'User' AND column_name = 'halfMade'`,
        [target.schema],
      );
      assert.equal(userColumns.length, 0);
      // The migration before it stays applied; the failed one leaves no row; the later ones never ran.
      assert.deepEqual(
        (await migrationRows(sql, target.schema)).map((r) => [r.migration_name, r.applied_steps_count]),
        [[init!.name, 1]],
      );
      assert.equal(await tableExists(sql, target.schema, "mv_review_stats"), false);

      // Once the bad migration is gone, migrating resumes where it stopped.
      const report = await applyMigrations(sql, target.schema, [init!, ...later]);
      assert.deepEqual(report, { applied: later.map((m) => m.name), alreadyApplied: 1 });
      await assertSchemaBuilt(sql, target.schema);
      await assertHistoryComplete(sql, target.schema);
    }));

  test("npm run db:migrate: migrates, never prints the password, then has nothing to do; bad usage exits 2", () =>
    withDatabase({ migrate: false }, async ({ name, url, sql }) => {
      const withPassword = new URL(url);
      if (!withPassword.password) withPassword.password = "s3cretpw"; // trust auth ignores it
      const secret = withPassword.password;
      const databaseUrl = withPassword.toString();

      const first = await runCli(MIGRATE, [], databaseUrl);
      assert.equal(first.code, 0, first.stderr);
      assert.ok(first.stdout.includes(name), first.stdout);
      assert.match(first.stdout, /\*\*\*/);
      assert.match(first.stdout, /schema public/);
      for (const folder of await migrationFolders())
        assert.ok(first.stdout.includes(`applied ${folder.name}`), first.stdout);
      assert.match(first.stdout, /Applied \d+ migration\(s\); 0 were already applied/);
      assertNoSecret(first, secret);
      await assertSchemaBuilt(sql, "public");
      await assertHistoryComplete(sql, "public");

      const second = await runMigrateCli([], databaseUrl);
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /Nothing to migrate/);
      assertNoSecret(second, secret);

      const bogus = await runMigrateCli(["--bogus"], databaseUrl);
      assert.equal(bogus.code, 2, `${bogus.stdout}\n${bogus.stderr}`);
      assert.match(bogus.stderr, /bogus/);
      assertNoSecret(bogus, secret);

      // A server that refuses the connection: exit 1, one line, still no password.
      const unreachable = new URL(databaseUrl);
      unreachable.hostname = "127.0.0.1";
      unreachable.port = "1";
      const refused = await runMigrateCli([], unreachable.toString());
      assert.equal(refused.code, 1, `${refused.stdout}\n${refused.stderr}`);
      assert.match(refused.stderr, /cannot reach the database server/);
      assertNoSecret(refused, secret);
    }));

  test("npm run db:migrate with ?schema=platform migrates into schema platform", () =>
    withDatabase({ migrate: false }, async ({ url, sql }) => {
      const platformUrl = new URL(url);
      platformUrl.searchParams.set("schema", "platform");
      const result = await runMigrateCli([], platformUrl.toString());
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /schema platform/);
      await assertSchemaBuilt(sql, "platform");
      assert.deepEqual(await relations(sql, "public", "rvm"), []);
    }));

  test("refresh_store_materialized_views() makes both views hold what their tables' rows give", () =>
    withDatabase({}, async ({ sql }) => {
      await insertStoreRows(sql);
      // Refreshed by the migration while the tables were empty: stale now, and the check (counting
      // the rows in TypeScript, see support/viewExpectations.ts) sees it: "key: in view | expected".
      assert.equal((await sql.query(`SELECT 1 FROM mv_agent_run_counts`)).length, 0);
      assert.deepEqual((await viewMismatches(sql)).sort(), [
        `mv_agent_run_counts g1: none | 5`,
        `mv_agent_run_counts g2: none | 1`,
        `mv_review_stats L1: none | {"reviewCount":2,"avgRating":4.5}`,
        `mv_review_stats L2: none | {"reviewCount":0,"avgRating":null}`,
      ]);

      await sql.query(`SELECT refresh_store_materialized_views()`);
      assert.deepEqual(await viewMismatches(sql), []);

      const runs = await sql.query<{ agentGraphId: string; run_count: string }>(
        `SELECT "agentGraphId", run_count::text FROM mv_agent_run_counts ORDER BY 1`,
      );
      assert.deepEqual(runs, [
        { agentGraphId: "g1", run_count: "5" }, // both versions, every status
        { agentGraphId: "g2", run_count: "1" },
      ]);
      const stats = await sql.query<{ storeListingId: string; review_count: string; avg_rating: string | null }>(
        `SELECT "storeListingId", review_count::text, avg_rating::text FROM mv_review_stats ORDER BY 1`,
      );
      assert.deepEqual(
        stats.map((s) => [s.storeListingId, s.review_count, s.avg_rating === null ? null : Number(s.avg_rating)]),
        [
          ["L1", "2", 4.5], // the PENDING version's review doesn't count
          ["L2", "0", null], // approved, never reviewed
        ],
      );
      const storeAgents = await sql.query<{ listing_id: string; runs: string; rating: number }>(
        `SELECT listing_id, runs::text, rating FROM "StoreAgent" ORDER BY 1`,
      );
      assert.deepEqual(storeAgents, [
        { listing_id: "L1", runs: "5", rating: 4.5 },
        { listing_id: "L2", runs: "1", rating: 0 },
      ]);

      // Changes in every direction, refreshed CONCURRENTLY (the views are populated).
      await sql.exec(`
        DELETE FROM "AgentGraphExecution" WHERE "agentGraphId" = 'g2';
        INSERT INTO "AgentGraphExecution" (id, "agentGraphId", "agentGraphVersion", "userId") VALUES ('e9', 'g1', 1, 'u3');
        INSERT INTO "StoreListingReview" (id, "storeListingVersionId", "reviewByUserId", score) VALUES ('r9', 'L2v1', 'u1', 2);
        UPDATE "StoreListing" SET "isDeleted" = true WHERE id = 'L1';`);
      await sql.query(`SELECT refresh_store_materialized_views()`);
      assert.deepEqual(await viewMismatches(sql), []);

      // An unpopulated view can't be refreshed CONCURRENTLY: the function falls back to a plain refresh.
      await sql.exec(`REFRESH MATERIALIZED VIEW mv_review_stats WITH NO DATA`);
      await sql.query(`SELECT refresh_store_materialized_views()`);
      const populated = await sql.query<{ ispopulated: boolean }>(
        `SELECT ispopulated FROM pg_matviews WHERE matviewname = 'mv_review_stats'`,
      );
      assert.deepEqual(populated, [{ ispopulated: true }]);
      assert.deepEqual(await viewMismatches(sql), []);
    }));
});

// ---- Helpers ---------------------------------------------------------------------------------

function runMigrateCli(args: string[], databaseUrl: string): Promise<CliResult> {
  return runInProcess(MIGRATE, args, databaseUrl);
}

function assertNoSecret(result: CliResult, secret: string): void {
  assert.ok(!result.stdout.includes(secret), `password in stdout: ${result.stdout}`);
  assert.ok(!result.stderr.includes(secret), `password in stderr: ${result.stderr}`);
}

/**
 * Three users, two graphs (g1 in two versions), six executions, and four listings:
 * L1 live with an APPROVED version (two reviews) and a PENDING one (one review), L2 live with an
 * APPROVED version and no reviews, L3 deleted but APPROVED and reviewed, L4 only REJECTED.
 */
async function insertStoreRows(sql: SqlSession): Promise<void> {
  await sql.exec(`
    INSERT INTO "User" (id, email, "updatedAt") VALUES
      ('u1', 'u1@example.com', now()), ('u2', 'u2@example.com', now()), ('u3', 'u3@example.com', now());
    INSERT INTO "Profile" (id, "userId", name, username, description, links, "updatedAt") VALUES
      ('p1', 'u1', 'One', 'one', 'first', ARRAY['https://example.com'], now());
    INSERT INTO "AgentGraph" (id, version, name, "userId") VALUES
      ('g1', 1, 'Graph one', 'u1'), ('g1', 2, 'Graph one', 'u1'), ('g2', 1, 'Graph two', 'u2'),
      ('g3', 1, 'Graph three', 'u3'), ('g4', 1, 'Graph four', 'u3');
    INSERT INTO "AgentGraphExecution" (id, "agentGraphId", "agentGraphVersion", "userId", "executionStatus") VALUES
      ('e1', 'g1', 1, 'u1', 'COMPLETED'), ('e2', 'g1', 1, 'u2', 'FAILED'), ('e3', 'g1', 1, 'u3', 'RUNNING'),
      ('e4', 'g1', 2, 'u1', 'COMPLETED'), ('e5', 'g1', 2, 'u2', 'QUEUED'), ('e6', 'g2', 1, 'u2', 'COMPLETED');
    INSERT INTO "StoreListing" (id, slug, "agentGraphId", "agentGraphVersion", "owningUserId", "hasApprovedVersion", "isDeleted") VALUES
      ('L1', 'graph-one', 'g1', 1, 'u1', true, false), ('L2', 'graph-two', 'g2', 1, 'u2', true, false),
      ('L3', 'graph-three', 'g3', 1, 'u3', true, true), ('L4', 'graph-four', 'g4', 1, 'u3', false, false);
    INSERT INTO "StoreListingVersion"
      (id, version, "agentGraphId", "agentGraphVersion", name, "subHeading", description, "imageUrls", categories, "submissionStatus", "storeListingId")
    VALUES
      ('L1v1', 1, 'g1', 1, 'Graph one', 'sub', 'desc', '{}', ARRAY['a', 'b', 'c'], 'APPROVED', 'L1'),
      ('L1v2', 2, 'g1', 2, 'Graph one', 'sub', 'desc', '{}', ARRAY['a'], 'PENDING', 'L1'),
      ('L2v1', 1, 'g2', 1, 'Graph two', 'sub', 'desc', '{}', ARRAY['a'], 'APPROVED', 'L2'),
      ('L3v1', 1, 'g3', 1, 'Graph three', 'sub', 'desc', '{}', ARRAY['a'], 'APPROVED', 'L3'),
      ('L4v1', 1, 'g4', 1, 'Graph four', 'sub', 'desc', '{}', ARRAY['a'], 'REJECTED', 'L4');
    UPDATE "StoreListing" SET "activeVersionId" = id || 'v1';
    INSERT INTO "StoreListingReview" (id, "storeListingVersionId", "reviewByUserId", score, comments) VALUES
      ('r1', 'L1v1', 'u2', 4, 'good'), ('r2', 'L1v1', 'u3', 5, NULL), ('r3', 'L1v2', 'u2', 1, 'pending'),
      ('r4', 'L3v1', 'u1', 3, NULL), ('r5', 'L4v1', 'u1', 2, NULL);`);
}
