// The updater's main(), imported and called in this process as the command line would: the
// module runs nothing when imported, and main returns the exit code instead of exiting.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { parseUpdateOptions } from "../src/updateTestData.js";
import { main } from "../src/updateTestData.js";
import { postgresSkip } from "./support/backends.js";
import type { TestDatabase } from "./support/testDatabase.js";
import { cloneTestDatabase, createSeededTemplate, type SeededTemplate } from "./support/updaterFixtures.js";

let template: SeededTemplate;
let t: TestDatabase;
before(async () => {
  if (postgresSkip) return;
  template = await createSeededTemplate("postgres");
  t = await cloneTestDatabase(template);
});
after(async () => {
  await t?.drop();
  await template?.drop();
});

/** Runs `work` with DATABASE_URL set (and .env off) and console.log captured. */
async function capturing(url: string, work: () => Promise<number>): Promise<{ code: number; stdout: string }> {
  const saved = {
    url: process.env.DATABASE_URL,
    dotenv: process.env.NO_DOTENV,
    log: console.log,
    error: console.error,
  };
  const lines: string[] = [];
  process.env.DATABASE_URL = url;
  process.env.NO_DOTENV = "1";
  console.log = (line: unknown) => lines.push(String(line));
  console.error = () => {};
  try {
    return { code: await work(), stdout: lines.join("\n") };
  } finally {
    if (saved.url === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved.url;
    if (saved.dotenv === undefined) delete process.env.NO_DOTENV;
    else process.env.NO_DOTENV = saved.dotenv;
    console.log = saved.log;
    console.error = saved.error;
  }
}

test(
  "importing src/updateTestData.ts runs nothing; main() runs the whole flow and returns 0",
  { skip: postgresSkip },
  async () => {
    const [before] = await t.sql.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "AgentGraphExecution"`);
    const { code, stdout } = await capturing(t.url, () => main(parseUpdateOptions(["--seed", "3", "--json"])!));
    assert.equal(code, 0);
    const report = JSON.parse(stdout) as {
      seed: number;
      created: { agentGraphExecutions: number };
      views: Record<string, { matchesSource: boolean }>;
    };
    assert.equal(report.seed, 3);
    assert.equal(report.views.mv_agent_run_counts!.matchesSource, true);
    assert.equal(report.views.mv_review_stats!.matchesSource, true);
    const [afterRun] = await t.sql.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "AgentGraphExecution"`);
    assert.equal(afterRun!.n - before!.n, report.created.agentGraphExecutions);
  },
);
