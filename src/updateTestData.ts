// The test-data updater, as the design's test_data_updater.py: load the creator's base data, run
// the five generation steps, refresh the store's views, prove them and print samples.
import { flag, integer, kebab, parseCommandLine, type CommandSpec, type OptionSpecs } from "./cli/options.js";
import { isEntryPoint, runCommand } from "./cli/runCommand.js";
import { withCommandDatabase } from "./cli/openDatabase.js";
import { UPDATER_WRITES } from "./schema/storeColumns.js";
import { readTargetShape } from "./schema/targetShape.js";
import { UPDATER_LOCK_KEY } from "./connection/lockWaitWatch.js";
import { inTransaction, type Db, type Tx } from "./connection/transaction.js";
import { EXIT, UsageError } from "./shared/errors.js";
import { outputFor } from "./cli/output.js";
import { stepTimer, type Log, type Output } from "./shared/output.js";
import { createRandom, MAX_SEED } from "./domain/random.js";
import { addCreditTransactions } from "./update/addCreditTransactions.js";
import { addExecutions, pickGraphsForRuns, type RunsWritten } from "./update/addExecutions.js";
import { addReviews } from "./update/addReviews.js";
import { loadBaseData, type BaseData } from "./update/loadBaseData.js";
import { reportAsJson, reportAsText } from "./update/printReport.js";
import { updateListingVersions } from "./update/updateListingVersions.js";
import { describeRefresh, refreshViews } from "./views/refreshViews.js";
import { allMatch, proofLine, verifyViews } from "./views/verifyViews.js";
import { snapshotViews, type ViewsBefore } from "./views/viewChanges.js";

const WRITTEN_TABLES = UPDATER_WRITES.map((w) => w.table);
const MAX_COUNT = 10_000_000;

const DESIGN_COUNTS = {
  users: 50,
  graphs: 50,
  listings: 30,
  graphsWithRuns: 20,
  versionUpdates: 10,
  creditUsers: 30,
} as const;

/** A count with a fixed default (the per-item ranges: not multiplied by --scale). */
const count = (description: string, def: number) => integer(description, 0, MAX_COUNT, def);
/** A count whose default is the design's number times --scale; given explicitly, it wins. */
const scaled = (description: string, name: keyof typeof DESIGN_COUNTS, min = 0) =>
  integer(`${description} (default ${DESIGN_COUNTS[name]} x --scale)`, min, MAX_COUNT);

export const updateCommand = {
  usage: "npx tsx src/updateTestData.ts [options]   (or: npm run update -- [options])",
  summary:
    "Adds agent runs, node runs, store reviews, listing changes and credit transactions to an AutoGPT " +
    "store database made by the creator, refreshes the store's materialized views and proves they match the data. " +
    "All writes of a run commit together or not at all.",
  options: {
    seed: integer("seed for the random data (same seed + same database = same data)", 0, MAX_SEED),
    "dry-run": flag("do everything inside a transaction, report, then roll back"),
    json: flag("print one JSON document on stdout and nothing else there (a failure too: {error, exitCode})"),
    strict: flag("exit 1 when a view says what the rows it counts can't support (a warning)"),
    scale: integer(
      "multiply the design's counts (users, graphs, listings, graphs with runs, version updates, credit users) " +
        "by K; 1 is the design",
      1,
      100_000,
      1,
    ),
    users: scaled("base users to load", "users", 1),
    graphs: scaled("active graphs to load", "graphs", 1),
    listings: scaled("listings with an approved version to load", "listings", 1),
    "graphs-with-runs": scaled("graphs that get new runs", "graphsWithRuns"),
    "min-runs": count("fewest new runs per graph", 5),
    "max-runs": count("most new runs per graph", 15),
    "nodes-per-run": count("most node runs per run (nodes of the run's graph)", 3),
    "min-reviews": count("fewest new reviews per listing", 2),
    "max-reviews": count("most new reviews per listing", 5),
    "version-updates": scaled("listings whose approved version is updated", "versionUpdates"),
    "credit-users": scaled("users that get credit transactions", "creditUsers"),
    "min-credit-transactions": count("fewest credit transactions per user", 1),
    "max-credit-transactions": count("most credit transactions per user", 3),
  },
  epilogue: [
    "Environment: DATABASE_URL (postgresql://user@host:port/db, ?schema=platform for a platform database);",
    "unset, the embedded database in .data/pglite (or PGLITE_DATA_DIR).",
    "Exit codes: 0 done and every view refreshed matches its own definition; 1 failure (database, too little base",
    "data, views that don't match after the refresh, or with --strict a warning); 2 bad usage.",
  ],
} satisfies CommandSpec<OptionSpecs>;

export type UpdateCommandLine = NonNullable<ReturnType<typeof parseUpdateOptions>>;
export type UpdateOptions = Omit<UpdateCommandLine, "common">;

/** Parses and validates argv (common options included); null when --help was printed.
 *  `command` is whose --help is printed: npm start has its own, with these options. */
export function parseUpdateOptions(argv: string[], command: CommandSpec<typeof updateCommand.options> = updateCommand) {
  const parsed = parseCommandLine(command, argv);
  if (!parsed) return null;
  const o = parsed.options;
  const scaledCount = (name: keyof typeof DESIGN_COUNTS): number => {
    const value = o[name] ?? DESIGN_COUNTS[name] * o.scale;
    const flag = `--${kebab(name)}`;
    if (value > MAX_COUNT)
      throw new UsageError(
        `--scale ${o.scale} makes ${flag} ${value}, more than ${MAX_COUNT}: give a smaller --scale or ${flag}`,
      );
    return value;
  };
  return {
    common: parsed.common,
    seed: o.seed,
    dryRun: o.dryRun,
    json: o.json,
    strict: o.strict,
    limits: { users: scaledCount("users"), graphs: scaledCount("graphs"), listings: scaledCount("listings") },
    runs: { graphs: scaledCount("graphsWithRuns"), min: o.minRuns, max: o.maxRuns, nodesPerRun: o.nodesPerRun },
    reviews: { min: o.minReviews, max: o.maxReviews },
    versionUpdates: scaledCount("versionUpdates"),
    credits: { users: scaledCount("creditUsers"), min: o.minCreditTransactions, max: o.maxCreditTransactions },
  };
}

export async function main(options: UpdateCommandLine): Promise<number> {
  const output = outputFor(options.json);
  return withCommandDatabase(options.common, { say: output.say, needsStore: true }, ({ db }) =>
    updateAndReport(db, options, output),
  );
}

/** The run on an open database, and its printed report (npm start runs it too). */
export async function updateAndReport(db: Db, options: UpdateOptions, output: Output): Promise<number> {
  output.log(`Starting test data updates for materialized views...\n${"=".repeat(60)}`);
  const report = await updateTestData(db, options, output);
  console.log(options.json ? reportAsJson(report) : reportAsText(report).join("\n"));
  return allMatch(report.views) && !(options.strict && report.warnings.length > 0) ? EXIT.ok : EXIT.failure;
}

export type UpdateReport = Awaited<ReturnType<typeof updateTestData>>;

/** The design's flowchart in one all-or-nothing transaction (connection/transaction.ts), refresh and proof included. */
export function updateTestData(db: Db, options: UpdateOptions, output: Output) {
  return inTransaction(
    db,
    async (tx) => {
      await waitForOtherUpdaters(tx, output.say);
      const shape = await readTargetShape(tx, UPDATER_WRITES); // refuses, before any write, a target we can't fill
      const { step, seconds } = stepTimer(output.log);
      const viewsBefore = await step("snapshot", () => snapshotViews(tx, WRITTEN_TABLES), describeSnapshot);
      const run = { tx, shape, random: createRandom(options.seed), now: new Date() };
      const base = await step("load", () => loadBaseData(tx, shape, options.limits), describeBase);

      const runs = await step(
        "executions",
        () => {
          const graphs = pickGraphsForRuns(run.random, base.graphs, options.runs.graphs);
          const progress = output.track("runs", graphs.length, "graphs");
          return addExecutions(run, { graphs, runners: base.runners }, options.runs, progress);
        },
        describeRuns,
        "1. Adding new agent graph executions and their node executions...",
      );
      const reviews = await step(
        "reviews",
        () => addReviews(run, base.listings, base.userIds, options.reviews),
        (n) => `✓ Created ${n} new reviews`,
        "2. Adding new store listing reviews...",
      );
      const versions = await step(
        "versions",
        () => updateListingVersions(run, base.listings, options.versionUpdates),
        (n) => `✓ Updated ${n} store listing versions`,
        "3. Updating store listing versions...",
      );
      const credits = await step(
        "credits",
        () => addCreditTransactions(run, base.userIds, options.credits),
        (n) => `✓ Created ${n} credit transactions`,
        "4. Adding credit transactions...",
      );
      const refresh = await step(
        "refresh",
        () => refreshViews(tx, viewsBefore.views),
        (r) => describeRefresh(r, viewsBefore.views),
        "5. Refreshing materialized views...",
      );
      const verified = await step(
        "verify",
        () => verifyViews(tx, viewsBefore),
        (v) => proofLine(v.views),
        "6. Verifying the views against their own definitions...",
      );

      return {
        seed: run.random.seed,
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
        ...verified,
        seconds,
      };
    },
    { rollback: options.dryRun },
  );
}

/** Two updaters at once would pick the same reviewers and chain from the same balances: the
 *  second waits for the first to commit (the lock goes with the transaction), and says so. */
async function waitForOtherUpdaters(tx: Tx, say: Log): Promise<void> {
  const [got] = await tx.$queryRaw<
    Array<{ locked: boolean }>
  >`SELECT pg_try_advisory_xact_lock(${UPDATER_LOCK_KEY}::bigint) AS locked`;
  if (got?.locked) return;
  say("Another updater is writing to this database; waiting for it to finish...");
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(${UPDATER_LOCK_KEY}::bigint)::text`;
  say("The other updater has finished; going on.");
}

function describeBase(b: BaseData): string {
  const found = `Found ${b.userIds.length} users, ${b.graphs.length} graphs, ${b.listings.length} store listings`;
  if (!b.usersWithoutPersonalOrg) return found;
  const warning = `⚠ ${b.usersWithoutPersonalOrg} of the users have no personal organisation: they run no graphs`;
  return `${found}\n${warning} (the platform's start-up makes them one)`;
}

const describeRuns = (r: RunsWritten) =>
  `✓ Created ${r.executions} new executions on ${r.graphsWithRuns} graphs, ${r.nodeExecutions} node executions`;

function describeSnapshot(before: ViewsBefore): string {
  if (before.views.length === 0) return "✓ No materialized view reads the tables this run writes: nothing to copy";
  if (before.reason) return `⚠ ${before.reason}: the report will have no before/after figures`;
  return `✓ Copied ${before.views.map((v) => v.name).join(", ")} as they stand, for the before/after report`;
}

if (isEntryPoint(import.meta.url)) await runCommand("update", parseUpdateOptions, main, { json: true });
