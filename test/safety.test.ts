// Safe by default: the remote guard, passwords never shown, one-line errors with exit codes,
// interrupted and killed runs that leave the database as it was, and concurrent updaters. The
// commands run in this process (support/inProcess.ts), but the ones signalled, killed or racing
// another process, and one bad option's exit code end to end.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { after, before, describe, test } from "node:test";
import { runInProcess } from "./support/inProcess.js";
import { runCli } from "./support/runCli.js";
import { startCommand } from "./support/runningCommand.js";
import { proveWaitingOnLock, proveWriteInFlight, waitForBackendsGone } from "./support/serverProof.js";
import { brokenCreditChains, tableCounts } from "./support/storeChecks.js";
import { postgresSkip } from "./support/backends.js";
import { ADMIN_URL, createTestDatabase, type TestDatabase } from "./support/testDatabase.js";
import { cloneTestDatabase, createSeededTemplate, type SeededTemplate } from "./support/updaterFixtures.js";
import { closeWriteGate } from "./support/writeGate.js";

const PASSWORD = "Planted-s3cret-pw";
const withPassword = (url: string) => {
  const u = new URL(url);
  u.password = PASSWORD;
  return u.toString();
};
const UPDATE = "src/updateTestData.ts";
const COMMANDS = ["src/migrateDatabase.ts", "src/createTestData.ts", UPDATE];

describe("remote guard", { concurrency: true }, () => {
  for (const script of COMMANDS) {
    test(`${script}: a remote host is refused before any connection attempt, naming the host and the flag`, async () => {
      const r = await runInProcess(script, [], `postgresql://postgres:${PASSWORD}@db.example.invalid:5432/autogpt`);
      assert.equal(r.code, 1, script);
      assert.match(r.stderr, /refusing to write test data to db\.example\.invalid/);
      assert.match(r.stderr, /--allow-remote/);
      // A connection attempt would have had to resolve the name and failed on that instead.
      assert.doesNotMatch(r.stderr, /does not resolve|cannot reach/);
    });
  }

  for (const [how, args, env] of [
    ["--allow-remote", ["--allow-remote"], {}],
    ["ALLOW_REMOTE_DATABASE=1", [], { ALLOW_REMOTE_DATABASE: "1" }],
  ] as const) {
    test(`${how} lets it through to the connection stage`, async () => {
      const url = `postgresql://postgres:${PASSWORD}@db.example.invalid:5432/autogpt`;
      const r = await runInProcess(UPDATE, [...args], url, env);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /db\.example\.invalid does not resolve/);
      assert.doesNotMatch(r.stderr, /refusing/);
    });
  }

  test("local hosts pass: localhost, 127.x.x.x, ::1, a Unix socket", async () => {
    const { isLocalHost } = await import("../src/target/target.js");
    for (const host of [
      "localhost",
      "127.0.0.1",
      "127.8.9.10",
      "::1",
      "[::1]",
      "/var/run/postgresql",
      "app.localhost",
    ]) {
      assert.equal(isLocalHost(host), true, host);
    }
    for (const host of ["10.0.0.5", "192.168.1.2", "db.internal", "128.0.0.1", "::2", "localhost.example.com"]) {
      assert.equal(isLocalHost(host), false, host);
    }
  });
});

describe("failures: one line, an exit code, no stack, no password", { skip: postgresSkip, concurrency: true }, () => {
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

  const CASE_NAMES = [
    "connection refused",
    "unknown host",
    "connect timeout",
    "unknown user",
    "unknown database",
    "missing tables",
    "too little base data",
  ];
  const cases = (): Array<{ name: string; url: string; args?: string[]; message: RegExp; script?: string }> => [
    {
      name: "connection refused",
      url: at("x", "postgres", "127.0.0.1:1"),
      message: /cannot reach the database server.*running/,
    },
    {
      name: "unknown host",
      url: at("x", "postgres", "no-such-host.invalid:5432"),
      args: ["--allow-remote"],
      message: /no-such-host\.invalid does not resolve/,
    },
    { name: "connect timeout", url: at("x", "postgres", `127.0.0.1:${silentPort}`), message: /timed out connecting/ },
    {
      name: "unknown user",
      url: at("postgres", "no_such_role_xyz"),
      message: /refused this user|authentication failed/,
    },
    {
      name: "unknown database",
      url: at("no_such_database_xyz"),
      message: /database named in DATABASE_URL does not exist/,
    },
    {
      name: "missing tables",
      url: withPassword(unmigrated.url),
      message: /is missing .*: migrate the database first \(npm run db:migrate\)/,
    },
    { name: "too little base data", url: withPassword(empty.url), message: /not enough base data.*npm run create/ },
  ];

  // The cases' URLs are known once before() has run: one test each, found by name.
  for (const name of CASE_NAMES) {
    test(`${name}: says what is wrong and what to do, exits 1, prints no stack and no password`, async () => {
      const c = cases().find((each) => each.name === name)!;
      const r = await runInProcess(c.script ?? UPDATE, c.args ?? [], c.url);
      const output = r.stdout + r.stderr;
      assert.equal(r.code, 1, `${c.name}: ${output}`);
      const errorLines = r.stderr.trim().split("\n");
      assert.equal(errorLines.length, 1, `${c.name}: one line on stderr, got ${r.stderr}`);
      assert.match(r.stderr, c.message, c.name);
      assert.doesNotMatch(output, /\n\s+at /, `${c.name}: no stack trace`);
      assert.ok(!output.includes(PASSWORD), `${c.name}: password leaked: ${output}`);
    });
  }

  test("--verbose adds the stack, still without the password", async () => {
    const r = await runInProcess(UPDATE, ["--verbose"], at("no_such_database_xyz"));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\n\s+at /);
    assert.ok(!(r.stdout + r.stderr).includes(PASSWORD));
  });

  for (const script of COMMANDS) {
    test(`${script}: keeps the password out of its output too`, async () => {
      for (const url of [at("no_such_database_xyz"), at("x", "postgres", "127.0.0.1:1")]) {
        const r = await runInProcess(script, [], url);
        assert.equal(r.code, 1, `${script}: ${r.stderr}`);
        assert.ok(!(r.stdout + r.stderr).includes(PASSWORD), `${script}: ${r.stdout}${r.stderr}`);
        assert.match(r.stdout + r.stderr, /\*\*\*/, "the URL is shown redacted");
      }
    });
  }

  test("a missing refresh function is reported with what was done instead; a missing view is not refreshed", async () => {
    const template = await createSeededTemplate();
    const t = await cloneTestDatabase(template);
    try {
      await t.sql.exec(`DROP FUNCTION refresh_store_materialized_views()`);
      const ok = await runInProcess(UPDATE, ["--seed", "1"], withPassword(t.url));
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(
        ok.stdout,
        /refresh_store_materialized_views\(\) does not exist.*refreshed mv_agent_run_counts and mv_review_stats directly/,
      );
      // The views are found in the catalog, not from a list: one that is gone is simply not refreshed.
      await t.sql.exec(`DROP MATERIALIZED VIEW mv_review_stats CASCADE`);
      const one = await runInProcess(UPDATE, ["--seed", "1"], withPassword(t.url));
      assert.equal(one.code, 0, one.stderr);
      assert.match(one.stdout, /refreshed mv_agent_run_counts directly/);
      assert.match(one.stdout, /1 materialized view refreshed \(mv_agent_run_counts\), all match/);
      assert.doesNotMatch(one.stdout, /mv_review_stats/);
      assert.ok(!(one.stdout + one.stderr).includes(PASSWORD));
    } finally {
      await t.drop();
      await template.drop();
    }
  });
});

describe("a bad option: exit code 2 and one line, before any connection", () => {
  // Every option of every command is validated in-process in options.test.ts; this proves the
  // exit code and the output end to end, once. -1 also proves a value starting with - is a value.
  test("from the command line", async () => {
    const r = await runCli(UPDATE, ["--max-runs", "-1"], "postgresql://postgres@127.0.0.1:1/never-connected");
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, 'update: --max-runs must be a whole number from 0 to 10000000 (got "-1")\n');
    assert.equal(r.stdout, "");
  });
});

// Each case mostly waits (for its command to start, write and end): they run at once.
describe("interrupted and killed runs leave the database as it was", { skip: postgresSkip, concurrency: true }, () => {
  let template: SeededTemplate;
  before(async () => {
    template = await createSeededTemplate();
  });
  after(() => template?.drop());

  // Each run is held (writeGate.ts) inside its first write into the step's table, its rows sent:
  // the test proves from the server that the write is in flight, then injects the fault, opens
  // the gate (so the orphaned backend can notice its client is gone and roll back), waits for the
  // run's backends to end, and only then counts. Credits are held at UserBalance, the step's last
  // write: its credit transactions are in by then.
  const points = [
    { step: "writing runs", table: "AgentNodeExecution" },
    { step: "writing reviews", table: "StoreListingReview" },
    { step: "writing credit transactions", table: "UserBalance" },
  ];

  /** Starts the updater on a copy held at `table`, proves the write in flight, sends `signal`. */
  async function faultMidWrite(table: string, signal: NodeJS.Signals) {
    const t = await cloneTestDatabase(template);
    try {
      const gate = await closeWriteGate(t.sql, table);
      const beforeCounts = await tableCounts(t.sql);
      const run = startCommand(UPDATE, ["--seed", "1"], t.url);
      await proveWriteInFlight(t.sql, run, table, `the test was to send ${signal}`);
      run.kill(signal);
      const exit = await run.exited;
      await gate.open();
      await waitForBackendsGone(t.sql, run);
      return { exit, beforeCounts, afterCounts: await tableCounts(t.sql), chains: await brokenCreditChains(t.sql) };
    } finally {
      await t.drop();
    }
  }

  for (const point of points) {
    test(`SIGKILL while ${point.step}: every table's row count unchanged`, async () => {
      const r = await faultMidWrite(point.table, "SIGKILL");
      assert.equal(r.exit.signal, "SIGKILL");
      assert.deepEqual(r.afterCounts, r.beforeCounts);
      assert.deepEqual(r.chains, []);
    });
  }

  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    test(`${signal} while writing: exit ${code}, a one-line message, counts unchanged`, async () => {
      const r = await faultMidWrite("StoreListingReview", signal);
      assert.equal(r.exit.code, code, r.exit.stderr);
      assert.equal(r.exit.stderr, `update: interrupted (${signal}); any uncommitted writes are rolled back\n`);
      assert.deepEqual(r.afterCounts, r.beforeCounts);
    });
  }

  test("the proof refuses to go on when the run never writes the table", async () => {
    // StoreListing is read by the updater, never written: the fault would land on no write.
    await assert.rejects(faultMidWrite("StoreListing", "SIGKILL"), (error: Error) => {
      assert.match(
        error.message,
        /^no write was in flight when the test was to send SIGKILL: no backend of the command was seen in a COPY or INSERT into "StoreListing": the command ended first \(exit 0\)/,
      );
      return true;
    });
  });
});

describe("two updaters at once", { skip: postgresSkip }, () => {
  test("the second waits for the first, both exit 0, the second's rows come after the first's, chains intact", async () => {
    const template = await createSeededTemplate();
    const t = await cloneTestDatabase(template);
    try {
      const beforeCounts = await tableCounts(t.sql);
      const reviewIds = (await t.sql.query<{ id: string }>(`SELECT id FROM "StoreListingReview"`)).map((r) => r.id);
      const creditKeys = (
        await t.sql.query<{ key: string }>(`SELECT "transactionKey" AS key FROM "CreditTransaction"`)
      ).map((r) => r.key);
      // The first is held inside its reviews write, holding the updaters' lock, while the second starts.
      const gate = await closeWriteGate(t.sql, "StoreListingReview");
      // Same seed on purpose: without serialisation they would pick the same reviewers.
      const first = startCommand(UPDATE, ["--seed", "5", "--json"], t.url);
      const { xid: firstXid } = await proveWriteInFlight(
        t.sql,
        first,
        "StoreListingReview",
        "the second updater was to start",
      );
      const second = startCommand(UPDATE, ["--seed", "5", "--json"], t.url);
      // The overlap, from both sides: the second says it waits, and the server shows it waiting
      // for the advisory lock while the first is still held mid-write.
      await proveWaitingOnLock(t.sql, second, "advisory", null, "the first updater was held mid-write");
      await second.waitForStderr("Another updater is writing to this database; waiting for it to finish...");
      assert.equal(first.ended(), undefined, "the first is still held");
      await gate.open();
      const [a, b] = [await first.exited, await second.exited];
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      assert.match(b.stderr, /The other updater has finished; going on\./);
      assert.doesNotMatch(a.stderr, /Another updater/, "the first never waited");
      const [docA, docB] = [JSON.parse(a.stdout), JSON.parse(b.stdout)];

      // In order: the second took its `now` after the first committed, so each of its rows is
      // dated after every row of the first (told apart by the transaction that wrote them).
      const byTransaction = (table: string, key: string, existing: string[]) =>
        t.sql.query<{ xid: string; n: number; earliest: Date; latest: Date }>(
          `SELECT xmin::text AS xid, COUNT(*)::int AS n, MIN("createdAt") AS earliest, MAX("createdAt") AS latest
           FROM "${table}" WHERE NOT ("${key}" = ANY($1::text[])) GROUP BY 1`,
          [existing],
        );
      for (const [table, key, existing, created] of [
        ["StoreListingReview", "id", reviewIds, "storeListingReviews"],
        ["CreditTransaction", "transactionKey", creditKeys, "creditTransactions"],
      ] as const) {
        const groups = await byTransaction(table, key, existing);
        const ofFirst = groups.find((g) => g.xid === firstXid);
        const ofSecond = groups.filter((g) => g.xid !== firstXid);
        assert.ok(ofFirst, `${table}: rows written by the first run's transaction ${firstXid}`);
        assert.equal(
          ofSecond.length,
          1,
          `${table}: the other new rows, all of one transaction: ${JSON.stringify(groups)}`,
        );
        assert.equal(ofFirst.n, docA.created[created], `${table}: the first run's rows, as it reported`);
        assert.equal(ofSecond[0]!.n, docB.created[created], `${table}: the second run's rows, as it reported`);
        assert.ok(
          ofFirst.latest < ofSecond[0]!.earliest,
          `${table}: the second's earliest ${ofSecond[0]!.earliest.toISOString()} is after the first's latest ${ofFirst.latest.toISOString()}`,
        );
      }

      const afterCounts = await tableCounts(t.sql);
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
      // Each read its "before" under the lock, so the second saw the first's runs already
      // counted: its own run counts grew by exactly its own runs.
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
