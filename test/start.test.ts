// `npm start` (the whole job) and `npm run db:reset`, as a newcomer runs them: on the embedded
// database in a directory of its own, and against a PostgreSQL database that isn't ready. The
// commands run in this process (support/inProcess.ts) but where the process is what is tested:
// start --json's stdout, and the lock a running command holds against other processes.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { openDatabase } from "../src/cli/openDatabase.js";
import { DATA_DIR_ENV } from "../src/target/target.js";
import { postgresSkip } from "./support/backends.js";
import { runInProcess } from "./support/inProcess.js";
import { runCli } from "./support/runCli.js";
import { createTestDatabase, writeEmbeddedDatabase } from "./support/testDatabase.js";

const START = "src/start.ts";
const RESET = "src/resetDatabase.ts";

describe("npm start on the embedded database (DATABASE_URL unset)", () => {
  let root: string;
  let dataDir: string;
  const env = () => ({ [DATA_DIR_ENV]: dataDir });
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "atd-start-"));
    dataDir = join(root, "pglite");
  });
  after(() => rm(root, { recursive: true, force: true }));

  async function counts(): Promise<{ runs: number; reviews: number; users: number }> {
    const c = await openDatabase({ kind: "embedded", dataDir, schema: "public" });
    try {
      const [row] = await c.sql.query<{ runs: number; reviews: number; users: number }>(
        `SELECT (SELECT COUNT(*)::int FROM "AgentGraphExecution") AS runs, (SELECT COUNT(*)::int FROM "StoreListingReview") AS reviews,
                (SELECT COUNT(*)::int FROM "User") AS users`,
      );
      return row!;
    } finally {
      await c.close();
    }
  }

  test("first run migrates, creates and updates; the second updates the same data again; db:reset starts afresh", async () => {
    const first = await runInProcess(START, ["--seed", "1"], undefined, env());
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^database: embedded PGlite at \S+pglite$/m);
    assert.match(first.stdout, /Applied 3 migration\(s\)/);
    assert.match(first.stdout, /The database is empty: filling it with the creator first/);
    assert.match(first.stdout, /✓ mv_agent_run_counts: all \d+ rows match/);
    assert.match(first.stdout, /✓ mv_review_stats: all \d+ rows match/);
    assert.ok(!existsSync(`${dataDir}.lock`), "the lock is released");
    const afterFirst = await counts();
    assert.equal(afterFirst.users, 100);

    const second = await runInProcess(START, [], undefined, env());
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /Nothing to migrate/);
    assert.match(second.stdout, /The database has 100 users: updating them/);
    assert.doesNotMatch(second.stdout, /filling it with the creator/);
    assert.match(second.stdout, /✓ mv_review_stats: all \d+ rows match/);
    // The before/after report: the second run's "before" is what the first left.
    const runTotals = (stdout: string) => {
      const m =
        /^ {2}mv_agent_run_counts: \d+ → \d+ rows; \d+ added, 0 removed, \d+ changed; run_count in all (\d+) → (\d+) \(\+\d+\)$/m.exec(
          stdout,
        );
      assert.ok(m, stdout);
      return { before: Number(m[1]), after: Number(m[2]) };
    };
    assert.equal(runTotals(second.stdout).before, runTotals(first.stdout).after);
    const afterSecond = await counts();
    assert.ok(
      afterSecond.runs > afterFirst.runs && afterSecond.reviews > afterFirst.reviews,
      JSON.stringify({ afterFirst, afterSecond }),
    );
    assert.equal(afterSecond.users, 100);

    // --json: stdout is the document alone (a child process: its stdout is all it printed).
    const json = await runCli(START, ["--json", "--dry-run"], undefined, env());
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).views.mv_review_stats.matchesSource, true);

    const reset = await runInProcess(RESET, [], undefined, env());
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /Deleted the embedded database/);
    assert.ok(!existsSync(dataDir));
    const again = await runInProcess(RESET, [], undefined, env());
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Nothing to delete/);
  });

  test("a database in use by another process is refused with its pid; a stale lock is taken over", async () => {
    await writeEmbeddedDatabase(dataDir, { migrate: false });
    const migrate = await runInProcess("src/migrateDatabase.ts", [], undefined, env());
    assert.equal(migrate.code, 0, migrate.stderr);
    // This test process holds the lock, as a running command would; the commands run in processes of their own.
    const held = await openDatabase({ kind: "embedded", dataDir, schema: "public" });
    try {
      const scripts = [START, "src/updateTestData.ts", "src/createTestData.ts", "src/migrateDatabase.ts", RESET];
      // npm start in a process of its own; the others here (the lock names the holder's pid, and
      // this process is the holder either way).
      const results = await Promise.all(
        scripts.map((script) => (script === START ? runCli : runInProcess)(script, [], undefined, env())),
      );
      for (const [i, r] of results.entries()) {
        const script = scripts[i]!;
        assert.equal(r.code, 1, `${script}: ${r.stdout}${r.stderr}`);
        assert.match(
          r.stderr,
          new RegExp(`the embedded database .*pglite is in use by process ${process.pid}`),
          script,
        );
        assert.equal(r.stderr.trim().split("\n").length, 1, "one line");
      }
    } finally {
      await held.close();
    }
    // A lock left by a process that is gone (pid 2^22 + 1 is above Linux's pid_max default).
    await writeFile(`${dataDir}.lock`, "4194305\n");
    const r = await runInProcess("src/migrateDatabase.ts", [], undefined, env());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Nothing to migrate/);
    assert.ok(!existsSync(`${dataDir}.lock`));
    // Taking it over leaves no temporary or takeover file beside it.
    assert.deepEqual(
      readdirSync(root).filter((name) => name.startsWith("pglite.lock")),
      [],
    );
  });

  test("db:reset refuses a directory that is not a database", async () => {
    await writeFile(join(root, "keep.txt"), "x");
    const r = await runInProcess(RESET, ["--data-dir", root], undefined, {});
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is not an embedded database .*not deleting it/);
    assert.ok(existsSync(join(root, "keep.txt")));
  });

  test("db:reset refuses DATABASE_URL, never showing its password", async () => {
    const notDb = join(root, "not-a-db");
    const url = await runInProcess(RESET, [], "postgresql://postgres:pw@127.0.0.1:5432/whatever", {
      [DATA_DIR_ENV]: notDb,
    });
    assert.equal(url.code, 1);
    assert.match(url.stdout, /^database: postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/whatever/m);
    assert.match(url.stderr, /db:reset only deletes the embedded database, and DATABASE_URL is set/);
    assert.doesNotMatch(url.stdout + url.stderr, /:pw@/);
  });
});

describe("npm start against DATABASE_URL runs the updater only", { skip: postgresSkip }, () => {
  test("an unmigrated database: exit 1 naming db:migrate; migrated but empty: exit 1 naming create; nothing written", async () => {
    const t = await createTestDatabase({ migrate: false });
    try {
      const bare = await runInProcess(START, [], t.url);
      assert.equal(bare.code, 1, bare.stdout);
      assert.match(bare.stdout, /^database: postgresql:\/\//m);
      assert.match(bare.stderr, /^start: error: .*migrate the database first \(npm run db:migrate\)/m);
      const [tables] = await t.sql.query<{ n: number }>(
        `SELECT COUNT(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
      );
      assert.equal(tables!.n, 0, "start never migrates a server database");

      assert.equal((await runInProcess("src/migrateDatabase.ts", [], t.url)).code, 0);
      const empty = await runInProcess(START, [], t.url);
      assert.equal(empty.code, 1);
      assert.match(empty.stderr, /not enough base data .*run the creator first \(npm run create\)/);
      const [users] = await t.sql.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "User"`);
      assert.equal(users!.n, 0, "start never runs the creator on a server database");
    } finally {
      await t.drop();
    }
  });
});
