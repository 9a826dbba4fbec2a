// The test-data updater, as the design's test_data_updater.py: load the creator's base data, run
// the five generation steps, refresh the store's views, prove them and print samples.
// Usage: npx tsx src/updateTestData.ts --help
import { createProgress, progressEnabled } from "./cli/progress.js";
import { isEntryPoint } from "./cli/entryPoint.js";
import { runCommand } from "./cli/runCommand.js";
import { withCommandDatabase } from "./db/openDatabase.js";
import { UPDATER_WRITES } from "./db/storeColumns.js";
import { readTargetShape } from "./db/targetShape.js";
import { UPDATER_LOCK_KEY } from "./db/updaterLock.js";
import { inTransaction, type Db, type Tx } from "./db/transaction.js";
import { EXIT } from "./shared/errors.js";
import { outputFor, type Log, type Output } from "./shared/output.js";
import { createRandom } from "./shared/random.js";
import { stepTimer } from "./shared/timedStep.js";
import { addCreditTransactions } from "./update/addCreditTransactions.js";
import { addExecutions, pickGraphsForRuns, type RunsWritten } from "./update/addExecutions.js";
import { addReviews } from "./update/addReviews.js";
import { loadBaseData, type BaseData } from "./update/loadBaseData.js";
import { parseUpdateOptions, type UpdateCommandLine, type UpdateOptions } from "./update/options.js";
import { reportAsJson, reportAsText, viewsMatch, type UpdateReport } from "./update/printReport.js";
import { updateListingVersions } from "./update/updateListingVersions.js";
import { describeRefresh, refreshViews } from "./views/refreshViews.js";
import { proofLine, verifyViews, type ViewsReport } from "./views/verifyViews.js";
import { snapshotViews, type ViewsBefore } from "./views/viewChanges.js";

export async function main(options: UpdateCommandLine): Promise<number> {
  const output = outputFor(options.json);
  return withCommandDatabase(options.common, output.say, ({ db }) => updateAndReport(db, options, output), { needsStore: true });
}

/** The run on an open database, and its printed report (npm start runs it too). */
export async function updateAndReport(db: Db, options: UpdateOptions, output: Output): Promise<number> {
  output.log("Starting test data updates for materialized views...");
  output.log("=".repeat(60));
  const report = await updateTestData(db, options, output);
  console.log(options.json ? reportAsJson(report) : reportAsText(report).join("\n"));
  return viewsMatch(report) && !(options.strict && report.warnings.length > 0) ? EXIT.ok : EXIT.failure;
}

/** The design's flowchart in one transaction: it commits whole, or rolls back whole (any error, an
 *  interrupt, or --dry-run), the refresh and the proof included. */
export function updateTestData(db: Db, options: UpdateOptions, output: Output): Promise<UpdateReport> {
  return inTransaction(
    db,
    async (tx) => {
      await waitForOtherUpdaters(tx, output.say);
      const shape = await readTargetShape(tx, UPDATER_WRITES); // refuses, before any write, a target we can't fill
      const { step, seconds } = stepTimer(output.log);
      const viewsBefore = await step("snapshot", () => snapshotViews(tx, UPDATER_WRITES.map((w) => w.table)), describeSnapshot);
      const random = createRandom(options.seed);
      const now = new Date();
      const base = await step("load", () => loadBaseData(tx, shape, options.limits), describeBase);

      const runs = await step(
        "executions",
        () => withProgressBar(options, base, (onProgress) =>
          addExecutions(tx, shape, random, { graphs: pickGraphsForRuns(random, base.graphs, options.runs.graphs), runners: base.runners }, options.runs, now, onProgress),
        ),
        describeRuns,
        "1. Adding new agent graph executions and their node executions...",
      );
      const reviews = await step(
        "reviews",
        () => addReviews(tx, shape, random, base.listings, base.userIds, options.reviews, now),
        (n) => `✓ Created ${n} new reviews`,
        "2. Adding new store listing reviews...",
      );
      const versions = await step(
        "versions",
        () => updateListingVersions(tx, shape, random, base.listings, options.versionUpdates, now),
        (n) => `✓ Updated ${n} store listing versions`,
        "3. Updating store listing versions...",
      );
      const credits = await step(
        "credits",
        () => addCreditTransactions(tx, shape, random, base.userIds, options.credits, now),
        (n) => `✓ Created ${n} credit transactions`,
        "4. Adding credit transactions...",
      );
      const refresh = await step("refresh", () => refreshViews(tx, viewsBefore.views), (r) => describeRefresh(r, viewsBefore.views), "5. Refreshing materialized views...");
      const { views, warnings, changesUnavailable } = await step(
        "verify",
        () => verifyViews(tx, viewsBefore),
        (v: ViewsReport) => proofLine(v.views),
        "6. Verifying the views against their own definitions...",
      );

      return {
        seed: random.seed,
        dryRun: options.dryRun,
        base: { users: base.userIds.length, graphs: base.graphs.length, listings: base.listings.length },
        usersWithoutPersonalOrg: base.usersWithoutPersonalOrg,
        created: {
          agentGraphExecutions: runs.executions,
          agentNodeExecutions: runs.nodeExecutions,
          storeListingReviews: reviews,
          creditTransactions: credits,
        },
        updated: { storeListingVersions: versions },
        refresh,
        views,
        warnings,
        ...(changesUnavailable ? { changesUnavailable } : {}),
        seconds,
      };
    },
    { rollback: options.dryRun },
  );
}

/** Two updaters at once would pick the same reviewers and chain from the same balances: the
 *  second waits for the first to commit (the lock goes with the transaction), and says so. */
async function waitForOtherUpdaters(tx: Tx, say: Log): Promise<void> {
  const [got] = await tx.$queryRaw<Array<{ locked: boolean }>>`SELECT pg_try_advisory_xact_lock(${UPDATER_LOCK_KEY}::bigint) AS locked`;
  if (got?.locked) return;
  say("Another updater is writing to this database; waiting for it to finish...");
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(${UPDATER_LOCK_KEY}::bigint)::text`;
  say("The other updater has finished; going on.");
}

async function withProgressBar(options: UpdateOptions, base: BaseData, work: (onProgress: (graphs: number, rows: number) => void) => Promise<RunsWritten>) {
  const total = Math.min(options.runs.graphs, base.graphs.length);
  const bar = createProgress("  runs", total, "graphs", progressEnabled(options.json));
  try {
    return await work((graphs, rows) => bar.update(graphs, rows));
  } finally {
    bar.finish();
  }
}

function describeBase(b: BaseData): string {
  const found = `Found ${b.userIds.length} users, ${b.graphs.length} graphs, ${b.listings.length} store listings`;
  if (!b.usersWithoutPersonalOrg) return found;
  return `${found}\n⚠ ${b.usersWithoutPersonalOrg} of the users have no personal organisation: they run no graphs (the platform's start-up makes them one)`;
}

const describeRuns = (r: RunsWritten) =>
  `✓ Created ${r.executions} new executions on ${r.graphsWithRuns} graphs, ${r.nodeExecutions} node executions`;

function describeSnapshot(before: ViewsBefore): string {
  if (before.views.length === 0) return "✓ No materialized view reads the tables this run writes: nothing to copy";
  if (before.reason) return `⚠ ${before.reason}: the report will have no before/after figures`;
  return `✓ Copied ${before.views.map((v) => v.name).join(", ")} as they stand, for the before/after report`;
}

if (isEntryPoint(import.meta.url)) await runCommand("update", parseUpdateOptions, main, { json: true });
