// A run blocked by another session's lock says so on stderr (src/connection/lockWaitWatch.ts): which
// table, the holder's pid and state, once per wait; it keeps waiting, finishes once the lock is
// released, and Ctrl-C still rolls it back. The updaters' own lock is left to the updater to tell,
// and a process reports its own waits only.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { LOCK_WAIT_POLL_MS, LOCK_WAIT_REPORT_MS, watcherApplicationName } from "../src/connection/lockWaitWatch.js";
import { postgresSkip } from "./support/backends.js";
import { startCommand } from "./support/runningCommand.js";
import { proveWaitingOnLock, waitForBackendsGone, waitForWatcherPolls } from "./support/serverProof.js";
import { tableCounts } from "./support/storeChecks.js";
import type { TestDatabase } from "./support/testDatabase.js";
import { cloneTestDatabase, createSeededTemplate, type SeededTemplate } from "./support/updaterFixtures.js";

const UPDATE = "src/updateTestData.ts";
const TABLE = "CreditTransaction";
const LOCK_LINE = /held by/;

/** Another app's session, as a user would have one open: an open transaction holding `lock`. */
async function holdInTransaction(t: TestDatabase, lock: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: t.url });
  // Dropping the database ends this session: not an error of the test (whose own error is the one to see).
  client.on("error", () => {});
  await client.connect();
  await client.query("BEGIN");
  await client.query(lock, params);
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  let released: Promise<void> | undefined;
  return {
    pid: rows[0]!.pid,
    /** Ends the transaction (and the session); again, does nothing. */
    release() {
      released ??= (async () => {
        await client.query("ROLLBACK");
        await client.end();
      })();
      return released;
    },
  };
}

const lockLines = (stderr: string) => stderr.split("\n").filter((line) => LOCK_LINE.test(line));

// Each case mostly waits (on a lock, on the watcher's polls): they run at once.
const onServer = { skip: postgresSkip, concurrency: true };

describe("a run waiting on another session's lock says what it waits for", onServer, () => {
  let template: SeededTemplate;
  before(async () => {
    template = await createSeededTemplate();
  });
  after(() => template?.drop());

  /** A copy, the updater started on it while another session holds `TABLE` exclusively, and the
   *  proof (from the server) that it waits for that lock. */
  async function updaterBlockedOnTable(t: TestDatabase) {
    const holder = await holdInTransaction(t, `LOCK TABLE "${TABLE}" IN ACCESS EXCLUSIVE MODE`);
    const run = startCommand(UPDATE, ["--seed", "1", "--json"], t.url);
    await proveWaitingOnLock(t.sql, run, "relation", TABLE, `the test looked for the updater waiting on "${TABLE}"`);
    const line = `waiting for a lock on "${TABLE}" held by another session (pid ${holder.pid}, idle in transaction); still waiting — Ctrl-C rolls back`;
    await run.waitForStderr(line);
    return { holder, run, line };
  }

  test("names the table, the holder's pid and its state, once; released, the run finishes", async () => {
    const t = await cloneTestDatabase(template);
    try {
      const beforeCounts = await tableCounts(t.sql);
      const { holder, run, line } = await updaterBlockedOnTable(t);
      // Once per wait, not once a poll: it has asked the server twice more since, still waiting.
      await waitForWatcherPolls(t.sql, run, watcherApplicationName(run.pid), 3);
      assert.deepEqual(lockLines(run.output().stderr), [line]);
      await holder.release();
      const r = await run.exited;
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lockLines(r.stderr), [line]);
      const doc = JSON.parse(r.stdout);
      assert.ok(doc.created.creditTransactions > 0);
      assert.equal(
        (await tableCounts(t.sql))[TABLE],
        beforeCounts[TABLE]! + doc.created.creditTransactions,
        "it went on and wrote",
      );
    } finally {
      await t.drop();
    }
  });

  test("a row lock names the row's table", async () => {
    const t = await cloneTestDatabase(template);
    try {
      // Every balance row locked: the updater's FOR UPDATE on its users' balances waits on this
      // transaction, holding the row's tuple lock, which is what names the table.
      const holder = await holdInTransaction(t, `SELECT 1 FROM "UserBalance" FOR UPDATE`);
      const run = startCommand(UPDATE, ["--seed", "1", "--json"], t.url);
      await proveWaitingOnLock(
        t.sql,
        run,
        "transactionid",
        null,
        "the test looked for the updater waiting on a locked row",
      );
      await run.waitForStderr(
        `waiting for a lock on a row of "UserBalance" held by another session (pid ${holder.pid}, idle in transaction)`,
      );
      await holder.release();
      assert.equal((await run.exited).code, 0);
    } finally {
      await t.drop();
    }
  });

  test("Ctrl-C while it waits: exit 130, nothing written", async () => {
    const t = await cloneTestDatabase(template);
    try {
      const beforeCounts = await tableCounts(t.sql);
      const { holder, run } = await updaterBlockedOnTable(t);
      run.kill("SIGINT");
      const r = await run.exited;
      assert.equal(r.code, 130, r.stderr);
      assert.match(r.stderr, /update: interrupted \(SIGINT\); any uncommitted writes are rolled back/);
      // Under --json, stdout still carries one document.
      assert.deepEqual(JSON.parse(r.stdout), {
        error: "interrupted (SIGINT); any uncommitted writes are rolled back",
        exitCode: 130,
      });
      // Released, the orphaned backend gets its lock, finds its client gone and rolls back.
      await holder.release();
      await waitForBackendsGone(t.sql, run);
      assert.deepEqual(await tableCounts(t.sql), beforeCounts);
    } finally {
      await t.drop();
    }
  });

  test("a second updater waiting for the first reports neither the updaters' lock nor the first's wait", async () => {
    const t = await cloneTestDatabase(template);
    try {
      // The first holds the updaters' lock, itself blocked (and saying so) on a table: a wait the
      // second's watcher could mistake for its own were our connections not named by pid.
      const { holder, run: first, line } = await updaterBlockedOnTable(t);
      const second = startCommand(UPDATE, ["--seed", "2", "--json"], t.url);
      await proveWaitingOnLock(
        t.sql,
        second,
        "advisory",
        null,
        "the test looked for the second updater waiting on the updaters' lock",
      );
      await second.waitForStderr("Another updater is writing to this database; waiting for it to finish...");
      // Enough polls of its watcher, all during both waits, to have reported either were it reportable.
      await waitForWatcherPolls(
        t.sql,
        second,
        watcherApplicationName(second.pid),
        LOCK_WAIT_REPORT_MS / LOCK_WAIT_POLL_MS + 3,
      );
      assert.deepEqual(lockLines(second.output().stderr), []);
      assert.equal(first.ended(), undefined, "the first still waits");
      await holder.release();
      const [a, b] = [await first.exited, await second.exited];
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      assert.deepEqual(lockLines(a.stderr), [line]);
      assert.deepEqual(lockLines(b.stderr), []);
    } finally {
      await t.drop();
    }
  });
});
