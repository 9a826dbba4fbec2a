// Safe by default: the remote guard, passwords never shown, one-line errors with exit codes,
// interrupted and killed runs that leave the database as it was, and concurrent updaters.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { after, before, describe, test } from "node:test";
import { UsageError } from "../src/shared/errors.js";
import { parseUpdateOptions, updateCommand } from "../src/update/options.js";
import { ROOT, runCli } from "./support/runCli.js";
import { brokenCreditChains, tableCounts } from "./support/storeChecks.js";
import { postgresSkip } from "./support/backends.js";
import { ADMIN_URL, createTestDatabase, type TestDatabase } from "./support/testDatabase.js";
import { cloneTestDatabase, createSeededTemplate, type SeededTemplate } from "./support/updaterFixtures.js";

const PASSWORD = "Planted-s3cret-pw";
const withPassword = (url: string) => {
  const u = new URL(url);
  u.password = PASSWORD;
  return u.toString();
};
const UPDATE = "src/updateTestData.ts";
const COMMANDS = ["src/migrateDatabase.ts", "src/createTestData.ts", UPDATE];

describe("remote guard", () => {
  test("a remote host is refused before any connection attempt, naming the host and the flag", async () => {
    for (const script of COMMANDS) {
      const started = Date.now();
      const r = await runCli(script, [], `postgresql://postgres:${PASSWORD}@db.example.invalid:5432/autogpt`);
      assert.equal(r.code, 1, script);
      assert.match(r.stderr, /refusing to write test data to db\.example\.invalid/);
      assert.match(r.stderr, /--allow-remote/);
      // A connection attempt would have had to resolve the name and failed on that instead.
      assert.doesNotMatch(r.stderr, /does not resolve|cannot reach/);
      assert.ok(Date.now() - started < 15_000);
    }
  });

  test("--allow-remote and ALLOW_REMOTE_DATABASE=1 let it through to the connection stage", async () => {
    const url = `postgresql://postgres:${PASSWORD}@db.example.invalid:5432/autogpt`;
    for (const r of [await runCli(UPDATE, ["--allow-remote"], url), await runCli(UPDATE, [], url, { ALLOW_REMOTE_DATABASE: "1" })]) {
      assert.equal(r.code, 1);
      assert.match(r.stderr, /db\.example\.invalid does not resolve/);
      assert.doesNotMatch(r.stderr, /refusing/);
    }
  });

  test("local hosts pass: localhost, 127.x.x.x, ::1, a Unix socket", async () => {
    const { isLocalHost } = await import("../src/db/remoteGuard.js");
    for (const host of ["localhost", "127.0.0.1", "127.8.9.10", "::1", "[::1]", "/var/run/postgresql", "app.localhost"]) {
      assert.equal(isLocalHost(host), true, host);
    }
    for (const host of ["10.0.0.5", "192.168.1.2", "db.internal", "128.0.0.1", "::2", "localhost.example.com"]) {
      assert.equal(isLocalHost(host), false, host);
    }
  });
});

describe("failures: one line, an exit code, no stack, no password", { skip: postgresSkip }, () => {
  let silent: Server;
  let silentPort = 0;
  let empty: TestDatabase;
  let unmigrated: TestDatabase;
  before(async () => {
    // Accepts connections and never answers: only a connect timeout ends the wait.
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    silentPort = (silent.address() as { port: number }).port;
    empty = await createTestDatabase();
    unmigrated = await createTestDatabase({ migrate: false });
  });
  after(async () => {
    silent.close();
    await empty?.drop();
    await unmigrated?.drop();
  });

  const admin = new URL(ADMIN_URL);
  const at = (path: string, user = admin.username || "postgres", host = `${admin.hostname}:${admin.port || 5432}`) =>
    `postgresql://${user}:${PASSWORD}@${host}/${path}`;

  const cases = (): Array<{ name: string; url: string; args?: string[]; message: RegExp; script?: string }> => [
    { name: "connection refused", url: at("x", "postgres", "127.0.0.1:1"), message: /cannot reach the database server.*running/ },
    { name: "unknown host", url: at("x", "postgres", "no-such-host.invalid:5432"), args: ["--allow-remote"], message: /no-such-host\.invalid does not resolve/ },
    { name: "connect timeout", url: at("x", "postgres", `127.0.0.1:${silentPort}`), message: /timed out connecting/ },
    { name: "unknown user", url: at("postgres", "no_such_role_xyz"), message: /refused this user|authentication failed/ },
    { name: "unknown database", url: at("no_such_database_xyz"), message: /database named in DATABASE_URL does not exist/ },
    { name: "missing tables", url: withPassword(unmigrated.url), message: /is missing .*: migrate the database first \(npm run db:migrate\)/ },
    { name: "too little base data", url: withPassword(empty.url), message: /not enough base data.*npm run create/ },
  ];

  test("each failure says what is wrong and what to do, exits 1, prints no stack and no password", async () => {
    for (const c of cases()) {
      const r = await runCli(c.script ?? UPDATE, c.args ?? [], c.url);
      const output = r.stdout + r.stderr;
      assert.equal(r.code, 1, `${c.name}: ${output}`);
      const errorLines = r.stderr.trim().split("\n");
      assert.equal(errorLines.length, 1, `${c.name}: one line on stderr, got ${r.stderr}`);
      assert.match(r.stderr, c.message, c.name);
      assert.doesNotMatch(output, /\n\s+at /, `${c.name}: no stack trace`);
      assert.ok(!output.includes(PASSWORD), `${c.name}: password leaked: ${output}`);
    }
  });

  test("--verbose adds the stack, still without the password", async () => {
    const r = await runCli(UPDATE, ["--verbose"], at("no_such_database_xyz"));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\n\s+at /);
    assert.ok(!(r.stdout + r.stderr).includes(PASSWORD));
  });

  test("the other commands keep the password out of their output too", async () => {
    for (const script of COMMANDS) {
      for (const url of [at("no_such_database_xyz"), at("x", "postgres", "127.0.0.1:1")]) {
        const r = await runCli(script, [], url);
        assert.equal(r.code, 1, `${script}: ${r.stderr}`);
        assert.ok(!(r.stdout + r.stderr).includes(PASSWORD), `${script}: ${r.stdout}${r.stderr}`);
        assert.match(r.stdout + r.stderr, /\*\*\*/, "the URL is shown redacted");
      }
    }
  });

  test("a missing refresh function is reported with what was done instead; missing views are an error", async () => {
    const template = await createSeededTemplate();
    const t = await cloneTestDatabase(template);
    try {
      await t.sql.exec(`DROP FUNCTION refresh_store_materialized_views()`);
      const ok = await runCli(UPDATE, ["--seed", "1"], withPassword(t.url));
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /refresh_store_materialized_views\(\) does not exist.*refreshed mv_agent_run_counts and mv_review_stats directly/);
      await t.sql.exec(`DROP MATERIALIZED VIEW mv_review_stats CASCADE`);
      const runs = async () => (await t.sql.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "AgentGraphExecution"`))[0]!.n;
      const runsBefore = await runs();
      const bad = await runCli(UPDATE, ["--seed", "1"], withPassword(t.url));
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /mv_review_stats is missing: migrate the database first/);
      assert.equal(await runs(), runsBefore, "nothing written");
      assert.doesNotMatch(bad.stdout, /1\. Adding new agent graph executions/, "stopped before the first write");
      assert.ok(!(bad.stdout + bad.stderr).includes(PASSWORD));
    } finally {
      await t.drop();
      await template.drop();
    }
  });
});

describe("every option rejects empty, negative, non-integer and absurd values with exit code 2", () => {
  const BAD_VALUES = ["", "-1", "1.5", "abc", "1e3", "99999999999999999999"];
  const numeric = Object.entries(updateCommand.options).filter(([, spec]) => spec.type === "integer").map(([name]) => name);

  test("every updater option, parsed in-process", () => {
    assert.ok(numeric.length >= 10);
    for (const name of numeric) {
      for (const value of BAD_VALUES) {
        assert.throws(() => parseUpdateOptions([`--${name}`, value]), (e: unknown) => e instanceof UsageError && e.message.includes(`--${name}`), `--${name} ${JSON.stringify(value)}`);
      }
    }
  });

  test("from the command line: exit code 2 and one line, before any connection", async () => {
    for (const value of BAD_VALUES) {
      const r = await runCli(UPDATE, ["--max-runs", value], "postgresql://postgres@127.0.0.1:1/never-connected");
      assert.equal(r.code, 2, `--max-runs ${JSON.stringify(value)}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split("\n").length, 1);
      assert.match(r.stderr, /--max-runs/);
      assert.equal(r.stdout, "");
    }
  });
});

/** Starts the updater and resolves when a line matching `pattern` appears on its stdout. */
function startUpdater(url: string, args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", UPDATE, ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url } });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => pattern.test(stdout) && resolve();
      child.stdout.on("data", (d) => {
        stdout += d;
        check();
      });
      void exited.then(() => reject(new Error(`exited before ${pattern}: ${stdout}\n${stderr}`)));
    });
  return { child, waitFor, exited, output: () => ({ stdout, stderr }) };
}

/** Makes every insert into `table` take a while, so a signal surely lands mid-write. */
const SLOW = (table: string) => `
  CREATE OR REPLACE FUNCTION slow_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(1.5); RETURN NULL; END $$;
  CREATE TRIGGER slow_${table} AFTER INSERT ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION slow_down();`;

describe("interrupted and killed runs leave the database as it was", { skip: postgresSkip }, () => {
  let template: SeededTemplate;
  before(async () => {
    template = await createSeededTemplate();
  });
  after(() => template?.drop());

  const points = [
    { step: "writing runs", table: "AgentNodeExecution", line: /1\. Adding new agent graph executions/ },
    { step: "writing reviews", table: "StoreListingReview", line: /2\. Adding new store listing reviews/ },
    { step: "writing credit transactions", table: "UserBalance", line: /4\. Adding credit transactions/ },
  ];

  for (const point of points) {
    test(`SIGKILL while ${point.step}: every table's row count unchanged`, async () => {
      const t = await cloneTestDatabase(template);
      try {
        await t.sql.exec(SLOW(point.table));
        const beforeCounts = await tableCounts(t.sql);
        const run = startUpdater(t.url, ["--seed", "1"]);
        await run.waitFor(point.line);
        await new Promise((r) => setTimeout(r, 300)); // inside the slowed statement
        run.child.kill("SIGKILL");
        assert.equal((await run.exited).signal, "SIGKILL");
        assert.deepEqual(await tableCounts(t.sql), beforeCounts);
        assert.deepEqual(await brokenCreditChains(t.sql), []);
      } finally {
        await t.drop();
      }
    });
  }

  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    test(`${signal} while writing: exit ${code}, a one-line message, counts unchanged`, async () => {
      const t = await cloneTestDatabase(template);
      try {
        await t.sql.exec(SLOW("StoreListingReview"));
        const beforeCounts = await tableCounts(t.sql);
        const run = startUpdater(t.url, ["--seed", "1"]);
        await run.waitFor(/2\. Adding new store listing reviews/);
        await new Promise((r) => setTimeout(r, 300));
        run.child.kill(signal);
        const exit = await run.exited;
        assert.equal(exit.code, code);
        assert.match(run.output().stderr, new RegExp(`interrupted \\(${signal}\\); any uncommitted writes are rolled back`));
        assert.equal(run.output().stderr.trim().split("\n").length, 1);
        // The server rolls back when it notices the closed connection; give it a moment.
        let after = await tableCounts(t.sql);
        for (let i = 0; i < 20 && JSON.stringify(after) !== JSON.stringify(beforeCounts); i++) {
          await new Promise((r) => setTimeout(r, 100));
          after = await tableCounts(t.sql);
        }
        assert.deepEqual(after, beforeCounts);
      } finally {
        await t.drop();
      }
    });
  }
});

describe("two updaters at once", { skip: postgresSkip }, () => {
  test("both exit 0, no duplicate review, every credit chain intact", async () => {
    const template = await createSeededTemplate();
    const t = await cloneTestDatabase(template);
    try {
      const beforeCounts = await tableCounts(t.sql);
      // Same seed on purpose: without serialisation they would pick the same reviewers.
      const [a, b] = await Promise.all([runCli(UPDATE, ["--seed", "5", "--json"], t.url), runCli(UPDATE, ["--seed", "5", "--json"], t.url)]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      const [docA, docB] = [JSON.parse(a.stdout), JSON.parse(b.stdout)];
      const afterCounts = await tableCounts(t.sql);
      assert.equal(
        afterCounts.StoreListingReview! - beforeCounts.StoreListingReview!,
        docA.created.storeListingReviews + docB.created.storeListingReviews,
      );
      assert.equal(
        afterCounts.AgentGraphExecution! - beforeCounts.AgentGraphExecution!,
        docA.created.agentGraphExecutions + docB.created.agentGraphExecutions,
      );
      const [dupes] = await t.sql.query<{ n: number }>(`
        SELECT COUNT(*)::int AS n FROM (SELECT 1 FROM "StoreListingReview" GROUP BY "storeListingVersionId", "reviewByUserId" HAVING COUNT(*) > 1) d`);
      assert.equal(dupes!.n, 0);
      assert.deepEqual(await brokenCreditChains(t.sql), []);
      assert.ok(docA.views.mv_review_stats.matchesSource && docB.views.mv_review_stats.matchesSource);
      assert.ok(docA.views.mv_agent_run_counts.matchesSource && docB.views.mv_agent_run_counts.matchesSource);
      // Each read its "before" under the lock, so each saw the other's runs already counted (or
      // none yet): its own run counts grew by exactly its own runs.
      for (const doc of [docA, docB]) {
        const { before, after } = doc.views.mv_agent_run_counts.changes.counted;
        assert.equal(after - before, doc.created.agentGraphExecutions);
      }
    } finally {
      await t.drop();
      await template.drop();
    }
  });
});
