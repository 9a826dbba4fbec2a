// The updater's flow, as in the design's flowchart: load base data, write runs, node runs,
// reviews, version updates and credit transactions, refresh the views, verify them. Everything,
// the refresh and verification included, happens in one transaction: it commits whole, or (on
// any error, or with --dry-run) rolls back whole.
import { createProgress, progressEnabled } from "../cli/progress.js";
import type { Db, Tx } from "../db/prismaClient.js";
import { UPDATER_WRITES } from "../db/storeColumns.js";
import { readTargetShape } from "../db/targetShape.js";
import { createRandom } from "../shared/random.js";
import { MANUAL_REFRESH, refreshStoreViews, type RefreshOutcome } from "../views/refreshViews.js";
import { verifyStoreViews, type ViewsReport } from "../views/verifyViews.js";
import { snapshotStoreViews, type ViewsBefore } from "../views/viewSnapshot.js";
import { addCreditTransactions } from "./addCreditTransactions.js";
import { addExecutions, pickGraphsForRuns } from "./addExecutions.js";
import { addReviews } from "./addReviews.js";
import { loadBaseData } from "./loadBaseData.js";
import type { UpdateOptions } from "./options.js";
import { updateListingVersions } from "./updateListingVersions.js";

export interface UpdateReport {
  seed: number;
  dryRun: boolean;
  base: { users: number; graphs: number; listings: number };
  created: {
    agentGraphExecutions: number;
    agentNodeExecutions: number;
    storeListingReviews: number;
    creditTransactions: number;
  };
  updated: { storeListingVersions: number };
  refresh: RefreshOutcome;
  views: ViewsReport;
  seconds: Record<string, number>;
}

export type Log = (line: string) => void;

/** How long one run may hold its transaction open. */
const TRANSACTION_TIMEOUT_MS = 60 * 60_000;
/** Any constant shared by all updaters: the key of the lock that serialises them. */
const UPDATER_LOCK_KEY = 0x41475054; // "AGPT"

/** Thrown to roll back a --dry-run after everything has been done and measured. */
class DryRunRollback extends Error {
  constructor(readonly report: UpdateReport) {
    super("dry run: rolled back");
  }
}

export async function runUpdate(db: Db, options: UpdateOptions, log: Log): Promise<UpdateReport> {
  try {
    return await db.$transaction((tx) => updateInTransaction(tx, options, log), {
      timeout: TRANSACTION_TIMEOUT_MS,
      maxWait: 30_000,
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    throw error;
  }
}

async function updateInTransaction(tx: Tx, options: UpdateOptions, log: Log): Promise<UpdateReport> {
  const random = createRandom(options.seed);
  const seconds: Record<string, number> = {};
  const step = async <T>(name: string, title: string, work: () => Promise<T>, done: (result: T) => string) => {
    if (title) log(`\n${title}\n${"-".repeat(40)}`);
    const started = performance.now();
    const result = await work();
    seconds[name] = Number(((performance.now() - started) / 1000).toFixed(3));
    log(`${done(result)} (${seconds[name].toFixed(2)}s)`);
    return result;
  };

  await waitForOtherUpdaters(tx, log);
  // Preflight: what the target's catalog allows this run to write, checked before the first write.
  const shape = await readTargetShape(tx, UPDATER_WRITES);
  // The views as the store showed them until now, read under the lock and before any write:
  // the report's "before" (a missing view stops the run here, with nothing written).
  const viewsBefore = await step("snapshot", "", () => snapshotStoreViews(tx), describeSnapshot);
  const now = new Date();
  const base = await step("load", "", () => loadBaseData(tx, options.limits), (b) =>
    `Found ${b.userIds.length} users, ${b.graphs.length} graphs, ${b.listings.length} store listings`,
  );
  const runGraphs = pickGraphsForRuns(random, base.graphs, options.runs.graphs);

  const runs = await step(
    "executions",
    "1. Adding new agent graph executions and their node executions...",
    async () => {
      const bar = createProgress("  runs", runGraphs.length, "graphs", progressEnabled(options.json));
      try {
        return await addExecutions(tx, shape, random, { graphs: runGraphs, userIds: base.userIds }, options.runs, now, (g, rows) =>
          bar.update(g, rows),
        );
      } finally {
        bar.finish();
      }
    },
    (r) => `✓ Created ${r.executions} new executions on ${r.graphsWithRuns} graphs, ${r.nodeExecutions} node executions`,
  );
  const reviews = await step(
    "reviews",
    "2. Adding new store listing reviews...",
    () => addReviews(tx, shape, random, base.listings, base.userIds, options.reviews, now),
    (n) => `✓ Created ${n} new reviews`,
  );
  const versions = await step(
    "versions",
    "3. Updating store listing versions...",
    () => updateListingVersions(tx, shape, random, base.listings, options.versionUpdates, now),
    (n) => `✓ Updated ${n} store listing versions`,
  );
  const credits = await step(
    "credits",
    "4. Adding credit transactions...",
    () => addCreditTransactions(tx, shape, random, base.userIds, options.credits, now),
    (n) => `✓ Created ${n} credit transactions`,
  );
  const refresh = await step("refresh", "5. Refreshing materialized views...", () => refreshStoreViews(tx), describeRefresh);
  const views = await step("verify", "6. Verifying the views against their own definitions...", () => verifyStoreViews(tx, viewsBefore), (v) =>
    v.mv_agent_run_counts.matchesSource && v.mv_review_stats.matchesSource
      ? "✓ Both views match their own definitions run fresh on the updated tables"
      : "✗ The views do not match their own definitions run fresh",
  );

  const report: UpdateReport = {
    seed: random.seed,
    dryRun: options.dryRun,
    base: { users: base.userIds.length, graphs: base.graphs.length, listings: base.listings.length },
    created: {
      agentGraphExecutions: runs.executions,
      agentNodeExecutions: runs.nodeExecutions,
      storeListingReviews: reviews,
      creditTransactions: credits,
    },
    updated: { storeListingVersions: versions },
    refresh,
    views,
    seconds,
  };
  if (options.dryRun) throw new DryRunRollback(report);
  return report;
}

/** Two updaters at once would pick the same reviewers and chain from the same balances: the
 *  second waits for the first to commit (the lock is released with the transaction). */
async function waitForOtherUpdaters(tx: Tx, log: Log): Promise<void> {
  const [got] = await tx.$queryRaw<Array<{ locked: boolean }>>`SELECT pg_try_advisory_xact_lock(${UPDATER_LOCK_KEY}::bigint) AS locked`;
  if (got?.locked) return;
  log("Another updater is writing to this database; waiting for it to finish...");
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(${UPDATER_LOCK_KEY}::bigint)::text`;
}

function describeSnapshot(before: ViewsBefore): string {
  if (!before.taken) return `⚠ ${before.reason}: the report will have no before/after figures`;
  return "✓ Copied both views as they stand, for the before/after report";
}

function describeRefresh(outcome: RefreshOutcome): string {
  switch (outcome.method) {
    case "function":
      return "✓ Materialized views refreshed with refresh_store_materialized_views()";
    case "direct":
      return `⚠ ${outcome.reason}; refreshed mv_agent_run_counts and mv_review_stats directly`;
    case "failed":
      return `⚠ Could not refresh the materialized views (${outcome.reason}). Refresh them by hand: ${MANUAL_REFRESH}`;
  }
}
