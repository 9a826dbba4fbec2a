// What a command prints when it can't print its report: one JSON document under --json, and a
// useful error when no DATABASE_URL was found and the embedded database is empty; and the
// creator's --dry-run. Under --json the command runs in a child process, as a script would run
// it: its stdout is then all it printed, so the document is proven to be alone there (and the
// exit code is the process's); the others run in this process (support/inProcess.ts).
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { postgresSkip } from "./support/backends.js";
import { runInProcess } from "./support/inProcess.js";
import { runCli } from "./support/runCli.js";
import { ADMIN_URL, createTestDatabase, usingDatabase, writeEmbeddedDatabase } from "./support/testDatabase.js";

const UPDATE = "src/updateTestData.ts";
const CREATE = "src/createTestData.ts";
const START = "src/start.ts";

/** On PostgreSQL, the cases at once (each mostly waits on its child). */
const onServer = { skip: postgresSkip, concurrency: true };

const missingDatabase = () => {
  const url = new URL(ADMIN_URL);
  url.pathname = "/atd_no_such_database_xyz";
  return url.toString();
};

describe("a failed run under --json still prints one JSON document on stdout", onServer, () => {
  for (const script of [UPDATE, START]) {
    test(`${script}, a missing database: exit 1, {error, exitCode}; the stderr line as before`, async () => {
      const r = await runCli(script, ["--json"], missingDatabase());
      assert.equal(r.code, 1, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(doc), ["error", "exitCode"]);
      assert.match(doc.error, /database named in DATABASE_URL does not exist/);
      assert.equal(doc.exitCode, 1);
      assert.equal(
        r.stderr
          .trim()
          .split("\n")
          .filter((l) => / error: /.test(l)).length,
        1,
        r.stderr,
      );
      assert.ok(r.stderr.includes(`error: ${doc.error}`), r.stderr);
      // Without --json, stdout has no document.
      const plain = await runInProcess(script, [], missingDatabase());
      assert.equal(plain.code, 1);
      assert.throws(() => JSON.parse(plain.stdout));
    });
  }
});

describe("JSON errors without a database", { concurrency: true }, () => {
  test("a bad option under --json: exit 2 and JSON; the usage line on stderr", async () => {
    const r = await runCli(UPDATE, ["--json", "--users", "-1"], undefined);
    assert.equal(r.code, 2, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      error: '--users must be a whole number from 1 to 10000000 (got "-1")',
      exitCode: 2,
    });
    assert.equal(r.stderr, `update: ${JSON.parse(r.stdout).error}\n`);
  });

  test("npm start, an unknown option under --json: exit 2 and JSON", async () => {
    const unknown = await runCli(START, ["--no-such-option", "--json"], undefined);
    assert.equal(unknown.code, 2);
    assert.equal(JSON.parse(unknown.stdout).exitCode, 2);
  });

  test("no DATABASE_URL and an empty embedded database: where it looked, that it fell back, what to run", async () => {
    const folder = await mkdtemp(join(tmpdir(), "atd-fallback-"));
    try {
      const dataDir = join(folder, "pglite");
      // A new database, not migrated (as a first command makes it; start.test.ts runs that one).
      await writeEmbeddedDatabase(dataDir, { migrate: false });
      for (const script of [UPDATE, CREATE]) {
        const r = await runInProcess(
          script,
          [],
          undefined,
          { NO_DOTENV: "", PGLITE_DATA_DIR: dataDir },
          { cwd: folder },
        );
        assert.equal(r.code, 1, r.stderr);
        const lines = r.stderr.trim().split("\n");
        assert.equal(lines.length, 1, r.stderr);
        const line = lines[0]!;
        assert.ok(line.includes(`no DATABASE_URL found (not in the environment, nor in ${join(folder, ".env")}`), line);
        assert.ok(line.includes(`so this used the embedded database at pglite, which is empty`), line);
        assert.match(line, /run npm start .*or set DATABASE_URL \(or pass --env-file PATH\)/);
        assert.doesNotMatch(line, /db:migrate/);
      }
      const json = await runInProcess(
        UPDATE,
        ["--json"],
        undefined,
        { NO_DOTENV: "1", PGLITE_DATA_DIR: dataDir },
        { cwd: folder },
      );
      assert.equal(json.code, 1);
      assert.match(
        JSON.parse(json.stdout).error,
        /^no DATABASE_URL found \(not in the environment; \.env left unread \(NO_DOTENV=1\)\), so this used the embedded database/,
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe("create --dry-run", { skip: postgresSkip }, () => {
  test("on an empty migrated database: exit 0, the summary, said to be a dry run, and nothing left behind", () =>
    usingDatabase(createTestDatabase(), async (t) => {
      const r = await t.cli(CREATE, ["--dry-run", "--seed", "2", "--users", "10"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /^Dry run: created, then rolled back \(the database is unchanged\), in \d+\.\d\ds \(seed 2\):$/m,
      );
      assert.match(r.stdout, /^ {2}10 users, \d+ agent graphs, \d+ executions,$/m);
      assert.match(r.stdout, /2 materialized views refreshed \(mv_agent_run_counts, mv_review_stats\), all match/);
      const counts = await t.sql.query<{ n: number }>(
        `SELECT (SELECT COUNT(*) FROM "User") + (SELECT COUNT(*) FROM "AgentGraph") + (SELECT COUNT(*) FROM "CreditTransaction") + (SELECT COUNT(*) FROM mv_agent_run_counts) AS n`,
      );
      assert.equal(Number(counts[0]!.n), 0, "no users, graphs, transactions or view rows left behind");
      // And a real run afterwards finds the database empty still.
      assert.equal((await t.cli(CREATE, ["--seed", "2", "--users", "10"])).code, 0);
    }));
});
