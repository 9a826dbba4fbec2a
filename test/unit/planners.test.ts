// The pure planners of the creator and the updater, without a database: what each plans must
// hold for any seed (the integration tests then check what lands in the tables).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { userKeys, type CreateContext } from "../../src/create/context.js";
import { planCreditLedger } from "../../src/create/credits.js";
import { DEFAULT_CREATE_OPTIONS } from "../../src/create/options.js";
import { chainTransactions, type FinalBalances } from "../../src/domain/creditLedger.js";
import { createRandom, NO_MASK, sampleWhere } from "../../src/domain/random.js";
import { reviewRow } from "../../src/domain/reviews.js";
import { pickGraphsForRuns, planExecution, planNodeExecutions } from "../../src/update/addExecutions.js";
import { planUserTransactions } from "../../src/update/addCreditTransactions.js";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const DAY_MS = 24 * 3600 * 1000;
const SEEDS = Array.from({ length: 200 }, (_, i) => i);

describe("runs and node runs (updater step 1)", () => {
  test("a run started in the last 7 days, queued at most 30 s before, ended after its duration unless running", () => {
    for (const seed of SEEDS) {
      const random = createRandom(seed);
      const run = planExecution(random, { id: "g", version: 2 }, ["u1", "u2"], NOW);
      assert.ok(["COMPLETED", "FAILED", "RUNNING"].includes(run.executionStatus));
      assert.equal(run.agentGraphVersion, 2);
      assert.ok(["u1", "u2"].includes(run.userId));
      const started = run.startedAt.getTime();
      assert.ok(
        started >= NOW.getTime() - 7 * DAY_MS && started < NOW.getTime(),
        `seed ${seed}: started in the window`,
      );
      assert.ok(run.createdAt.getTime() <= started && started - run.createdAt.getTime() <= 30_000);
      if (run.executionStatus === "RUNNING") assert.equal(run.endedAt, null);
      else {
        assert.equal(run.endedAt!.getTime() - started, run.stats.duration * 1000);
        assert.ok(run.endedAt!.getTime() <= NOW.getTime(), "ended before now");
      }
    }
  });

  test("node runs: at most `max` distinct nodes of the run's graph, the run's status, inside its window", () => {
    for (const seed of SEEDS) {
      const random = createRandom(seed);
      const run = planExecution(random, { id: "g", version: 1 }, ["u"], NOW);
      const nodes = ["n1", "n2", "n3", "n4"].slice(0, 1 + (seed % 4));
      const planned = planNodeExecutions(random, run, nodes, 3, NOW);
      assert.equal(planned.length, Math.min(3, nodes.length));
      assert.equal(new Set(planned.map((p) => p.agentNodeId)).size, planned.length);
      const end = (run.endedAt ?? NOW).getTime();
      for (const p of planned) {
        assert.ok(nodes.includes(p.agentNodeId));
        assert.equal(p.agentGraphExecutionId, run.id);
        assert.equal(p.executionStatus, run.executionStatus);
        assert.ok(p.addedTime.getTime() >= run.startedAt.getTime() && p.startedTime.getTime() >= p.addedTime.getTime());
        assert.ok(p.startedTime.getTime() <= end);
        if (run.endedAt) assert.ok(p.endedTime!.getTime() >= p.startedTime.getTime() && p.endedTime!.getTime() <= end);
        else assert.equal(p.endedTime, null);
      }
    }
    assert.deepEqual(
      planNodeExecutions(
        createRandom(1),
        planExecution(createRandom(1), { id: "g", version: 1 }, ["u"], NOW),
        [],
        3,
        NOW,
      ),
      [],
    );
  });

  test("graphs that get runs: distinct, at most the number asked", () => {
    const graphs = Array.from({ length: 30 }, (_, i) => ({ id: `g${i}`, version: 1 }));
    const picked = pickGraphsForRuns(createRandom(3), graphs, 20);
    assert.equal(picked.length, 20);
    assert.equal(new Set(picked.map((g) => g.id)).size, 20);
    assert.equal(pickGraphsForRuns(createRandom(3), graphs.slice(0, 4), 20).length, 4);
  });
});

describe("reviews (both writers)", () => {
  test("a reviewer sample: distinct, allowed, as many as asked when there are enough, on short and long lists", () => {
    for (const size of [5, 50, 1_000]) {
      const users = Array.from({ length: size }, (_, i) => `u${i}`);
      for (const seed of SEEDS.slice(0, 50)) {
        const random = createRandom(seed);
        const excluded = new Set(users.filter((_, i) => i % 3 === 0));
        const picked = sampleWhere(random, users, 4, (u) => !excluded.has(u));
        assert.equal(picked.length, Math.min(4, size - excluded.size));
        assert.equal(new Set(picked).size, picked.length);
        for (const u of picked) assert.ok(!excluded.has(u));
      }
    }
    // A long list that is almost all excluded: rejection gives up and the filtered list answers.
    const users = Array.from({ length: 1_000 }, (_, i) => `u${i}`);
    assert.deepEqual(sampleWhere(createRandom(1), users, 2, (u) => u === "u7" || u === "u999").sort(), ["u7", "u999"]);
  });

  test("scores follow the 5/10/20/40/25 weights and comments (at most 200 characters) come 70% of the time", () => {
    const random = createRandom(3);
    const draws = 20_000;
    const counts = [0, 0, 0, 0, 0];
    let comments = 0;
    for (let i = 0; i < draws; i++) {
      const row = reviewRow(random, `r${i}`, "v", "u", new Date(0));
      counts[row.score - 1]!++;
      if (row.comments !== null) {
        comments++;
        assert.ok(row.comments.length > 0 && row.comments.length <= 200);
      }
    }
    // The design's weights, written out: a wrong constant in the code must fail here.
    const expected = [5, 10, 20, 40, 25];
    counts.forEach((n, i) =>
      assert.ok(Math.abs(n / draws - expected[i]! / 100) < 0.015, `score ${i + 1}: ${n / draws}`),
    );
    assert.ok(Math.abs(comments / draws - 0.7) < 0.015, `comments: ${comments / draws}`);
  });
});

/** A chain is unbroken: each runningBalance is the previous plus the amount, never below 0, with
 *  the platform's signs (spends negative, everything else positive). */
function assertChain(
  rows: Array<{ type: string; amount: number; runningBalance: number | null | undefined; createdAt: Date }>,
  start: number,
) {
  let balance = start;
  let last = -Infinity;
  for (const row of rows) {
    if (row.type === "USAGE") assert.ok(row.amount < 0, "a spend is negative");
    else assert.ok(row.amount > 0, `${row.type} is positive`);
    balance += row.amount;
    assert.ok(balance >= 0, "never below 0");
    assert.equal(row.runningBalance, balance);
    assert.ok(row.createdAt.getTime() > last, "strictly later than the one before");
    last = row.createdAt.getTime();
  }
  return balance;
}

describe("credit transactions (the ledger, both writers)", () => {
  test("the updater's: chained from the balance it starts with, strictly after `firstAt`", () => {
    for (const seed of SEEDS) {
      const start = seed % 7 === 0 ? 0 : seed * 3;
      const planned = planUserTransactions(createRandom(seed), "u", start, 1 + (seed % 3), NOW);
      assert.equal(planned.rows[0]!.createdAt.getTime(), NOW.getTime());
      assert.equal(assertChain(planned.rows, start), planned.balance);
      for (const row of planned.rows) assert.deepEqual(Object.keys(row.metadata).sort(), ["source", "timestamp"]);
    }
  });

  test("a spend with nothing to spend is booked as a top-up; a spend never takes more than there is", () => {
    const times = [new Date(1), new Date(2), new Date(3)];
    const keys = ["a", "b", "c"];
    const chain = chainTransactions(
      "u",
      0,
      times,
      () => keys.shift()!,
      () => "USAGE",
      () => ({ magnitude: 40, metadata: {} }),
    );
    assert.deepEqual(
      chain.rows.map((r) => [r.type, r.amount, r.runningBalance]),
      [
        ["TOP_UP", 40, 40],
        ["USAGE", -40, 0],
        ["TOP_UP", 40, 40],
      ],
    );
    const capped = chainTransactions(
      "u",
      10,
      [new Date(1)],
      () => "k",
      () => "USAGE",
      () => ({ magnitude: 50, metadata: {} }),
    );
    assert.deepEqual(
      capped.rows.map((r) => [r.amount, r.runningBalance]),
      [[-10, 0]],
    );
  });

  test("the creator's: every new user's history chains from 0, and UserBalance holds the last", () => {
    for (const seed of SEEDS) {
      const now = Date.UTC(2025, 6, 1);
      const ctx = {
        random: createRandom(seed),
        now,
        idMask: NO_MASK,
        user: userKeys(seed, NO_MASK, now),
        options: { ...DEFAULT_CREATE_OPTIONS, users: 5, maxTransactionsPerUser: 30 },
      };
      const balances: FinalBalances = [];
      const users = Array.from({ length: 5 }, (_, i) => ctx.user(i));
      const ledger = {
        transactions: [...planCreditLedger(ctx as unknown as CreateContext, [{ id: "b", name: "B" }], users, balances)],
        balances,
      };
      for (const user of users) {
        const mine = ledger.transactions.filter((t) => t.userId === user.id);
        assert.ok(mine.length >= 1 && mine.length <= 30);
        assert.ok(
          mine.every((t) => t.createdAt.getTime() < now && t.createdAt.getTime() > user.createdAt),
          "after signing up, in the past",
        );
        const balance = assertChain(mine, 0);
        assert.equal(ledger.balances.find((b) => b.userId === user.id)?.balance, balance);
      }
    }
  });
});
