// `npm run create`: fills the database with store test data, as the platform's creator does.
import { isEntryPoint } from "./cli/runCommand.js";
import {
  parseCommandLine,
  requireRange,
  type CommandLine,
  type CommandSpec,
  type OptionSpecs,
  type ParsedOptions,
} from "./cli/options.js";
import { progressEnabled, terminalTracker } from "./cli/progress.js";
import { runCommand } from "./cli/runCommand.js";
import { withCommandDatabase } from "./cli/openDatabase.js";
import {
  createTestData,
  DEFAULT_CREATE_OPTIONS,
  describeGraphs,
  type CreateOptions,
  type CreateReport,
} from "./create/creator.js";
import { EXIT } from "./shared/errors.js";
import { MAX_SEED } from "./domain/random.js";
import { allMatch, describeProof } from "./views/verifyViews.js";

const d = DEFAULT_CREATE_OPTIONS;

export const createCommand = {
  usage: "npm run create [-- options]",
  summary:
    "Fills DATABASE_URL with store test data (users, profiles, agent blocks, graphs, nodes, executions,\n" +
    "store listings with versions and reviews, credit transactions) in one transaction, then refreshes\n" +
    "the store's materialized views.",
  options: {
    seed: {
      type: "integer",
      description: "seed for every random choice (default: a random seed, printed)",
      min: 0,
      max: MAX_SEED,
    },
    scale: {
      type: "integer",
      description: "multiply the design's user count (and so graphs, runs, listings) by K; 1 is the design",
      default: 1,
      min: 1,
      max: 10_000,
    },
    users: {
      type: "integer",
      description: `users to create, each with a profile (default ${d.users} x --scale)`,
      min: 1,
      max: 1_000_000,
    },
    blocks: { type: "integer", description: "agent blocks to create", default: d.blocks, min: 1, max: 10_000 },
    "min-graphs-per-user": {
      type: "integer",
      description: "fewest graphs per user",
      default: d.minGraphsPerUser,
      min: 0,
      max: 50,
    },
    "max-graphs-per-user": {
      type: "integer",
      description: "most graphs per user",
      default: d.maxGraphsPerUser,
      min: 0,
      max: 50,
    },
    "max-versions-per-graph": {
      type: "integer",
      description: "most versions per graph (AgentGraph rows sharing an id)",
      default: d.maxVersionsPerGraph,
      min: 1,
      max: 20,
    },
    "min-nodes-per-graph": {
      type: "integer",
      description: "fewest nodes per graph",
      default: d.minNodesPerGraph,
      min: 1,
      max: 50,
    },
    "max-nodes-per-graph": {
      type: "integer",
      description: "most nodes per graph",
      default: d.maxNodesPerGraph,
      min: 1,
      max: 50,
    },
    "min-executions-per-graph": {
      type: "integer",
      description: "fewest runs per graph",
      default: d.minExecutionsPerGraph,
      min: 0,
      max: 1000,
    },
    "max-executions-per-graph": {
      type: "integer",
      description: "most runs per graph",
      default: d.maxExecutionsPerGraph,
      min: 0,
      max: 1000,
    },
    "max-versions-per-listing": {
      type: "integer",
      description: "most versions per store listing",
      default: d.maxVersionsPerListing,
      min: 1,
      max: 20,
    },
    "min-reviews-per-version": {
      type: "integer",
      description: "fewest reviews per approved version",
      default: d.minReviewsPerVersion,
      min: 0,
      max: 100,
    },
    "max-reviews-per-version": {
      type: "integer",
      description: "most reviews per approved version",
      default: d.maxReviewsPerVersion,
      min: 0,
      max: 100,
    },
    "max-transactions-per-user": {
      type: "integer",
      description: "most credit transactions per user (each has 1..N)",
      default: d.maxTransactionsPerUser,
      min: 0,
      max: 1000,
    },
    force: { type: "flag", description: "add a new batch even though the database already has users" },
    "dry-run": { type: "flag", description: "do everything inside a transaction, report, then roll back" },
  },
  epilogue: [
    "One store listing per graph. A listing has an approved version exactly when hasApprovedVersion is",
    "true; credit transactions keep the platform's running balance, and users without transactions",
    "(--max-transactions-per-user 0) have no UserBalance row.",
    "",
    "Exit codes: 0 created; 1 failure (nothing is written), the database already has users, or views that don't",
    "match their own definitions after the refresh (the data is kept); 2 bad usage.",
    "Environment: DATABASE_URL (postgresql://..., add ?schema=platform for a platform database); unset, the",
    "embedded database in .data/pglite (or PGLITE_DATA_DIR).",
  ],
} satisfies CommandSpec<OptionSpecs>;

/** The creator's options, validated; `null` when --help was printed. */
export function parseCreateCommandLine(argv: string[]): CommandLine<Partial<CreateOptions>> | null {
  const parsed = parseCommandLine(createCommand, argv);
  return parsed && { options: toCreateOptions(parsed.options), common: parsed.common };
}

export async function main({ options, common }: CommandLine<Partial<CreateOptions>>): Promise<number> {
  return withCommandDatabase(
    common,
    console.log,
    async (connection) => {
      const report = await createTestData(
        connection.db,
        options,
        (line) => console.log(`  ${line}`),
        terminalTracker(progressEnabled(false)),
      );
      console.log(summary(report));
      return allMatch(report.views.views) ? EXIT.ok : EXIT.failure;
    },
    { needsStore: true },
  );
}

function toCreateOptions(args: ParsedOptions<typeof createCommand.options>): Partial<CreateOptions> {
  requireRange("min-graphs-per-user", args["min-graphs-per-user"], "max-graphs-per-user", args["max-graphs-per-user"]);
  requireRange("min-nodes-per-graph", args["min-nodes-per-graph"], "max-nodes-per-graph", args["max-nodes-per-graph"]);
  requireRange(
    "min-executions-per-graph",
    args["min-executions-per-graph"],
    "max-executions-per-graph",
    args["max-executions-per-graph"],
  );
  requireRange(
    "min-reviews-per-version",
    args["min-reviews-per-version"],
    "max-reviews-per-version",
    args["max-reviews-per-version"],
  );
  return {
    seed: args.seed,
    users: args.users ?? d.users * args.scale,
    blocks: args.blocks,
    minGraphsPerUser: args["min-graphs-per-user"],
    maxGraphsPerUser: args["max-graphs-per-user"],
    maxVersionsPerGraph: args["max-versions-per-graph"],
    minNodesPerGraph: args["min-nodes-per-graph"],
    maxNodesPerGraph: args["max-nodes-per-graph"],
    minExecutionsPerGraph: args["min-executions-per-graph"],
    maxExecutionsPerGraph: args["max-executions-per-graph"],
    maxVersionsPerListing: args["max-versions-per-listing"],
    minReviewsPerVersion: args["min-reviews-per-version"],
    maxReviewsPerVersion: args["max-reviews-per-version"],
    maxTransactionsPerUser: args["max-transactions-per-user"],
    force: args.force,
    dryRun: args["dry-run"],
  };
}

function summary({ counts, seconds, seed, views, dryRun }: CreateReport): string {
  const s = counts.versionsByStatus;
  return [
    ...views.warnings.map((w) => `⚠ ${w}`),
    `${dryRun ? "Dry run: created, then rolled back (the database is unchanged)," : "Created test data"} in ${seconds.toFixed(2)}s (seed ${seed}):`,
    `  ${counts.users} users, ${describeGraphs(counts.graphs, counts.graphVersions)}, ${counts.executions} executions,`,
    `  ${counts.listings} listings (${counts.approvedListings} approved) with ${counts.versions} versions ` +
      `(${s.APPROVED} approved, ${s.PENDING} pending, ${s.REJECTED} rejected, ${s.DRAFT} drafts),`,
    `  ${counts.reviews} reviews, ${counts.creditTransactions} credit transactions.`,
    describeProof(views.views),
  ].join("\n");
}

if (isEntryPoint(import.meta.url)) await runCommand("create", parseCreateCommandLine, main);
