// `npm run create`: fills the database with store test data, as the platform's creator does.
import { integer, parseCommandLine, type CommandLine, type CommandSpec, type OptionSpecs } from "./cli/options.js";
import { outputFor } from "./cli/output.js";
import { isEntryPoint, runCommand } from "./cli/runCommand.js";
import { withCommandDatabase } from "./cli/openDatabase.js";
import {
  createTestData,
  CREATE_RANGES,
  DEFAULT_CREATE_OPTIONS,
  describeCreated,
  type CreateOptions,
} from "./create/creator.js";
import { EXIT } from "./shared/errors.js";
import { MAX_SEED } from "./domain/random.js";
import { allMatch } from "./views/verifyViews.js";

const d = DEFAULT_CREATE_OPTIONS;

export const createCommand = {
  usage: "npm run create [-- options]",
  summary:
    "Fills DATABASE_URL with store test data (users, profiles, agent blocks, graphs, nodes, executions,\n" +
    "store listings with versions and reviews, credit transactions) in one transaction, then refreshes\n" +
    "the store's materialized views.",
  options: {
    seed: integer("seed for every random choice (default: a random seed, printed)", 0, MAX_SEED),
    scale: integer(
      "multiply the design's user count (and so graphs, runs, listings) by K; 1 is the design",
      1,
      10_000,
      1,
    ),
    users: integer(`users to create, each with a profile (default ${d.users} x --scale)`, 1, 1_000_000),
    blocks: integer("agent blocks to create", 1, 10_000, d.blocks),
    "min-graphs-per-user": integer("fewest graphs per user", 0, 50, d.minGraphsPerUser),
    "max-graphs-per-user": integer("most graphs per user", 0, 50, d.maxGraphsPerUser),
    "max-versions-per-graph": integer(
      "most versions per graph (AgentGraph rows sharing an id)",
      1,
      20,
      d.maxVersionsPerGraph,
    ),
    "min-nodes-per-graph": integer("fewest nodes per graph", 1, 50, d.minNodesPerGraph),
    "max-nodes-per-graph": integer("most nodes per graph", 1, 50, d.maxNodesPerGraph),
    "min-executions-per-graph": integer("fewest runs per graph", 0, 1000, d.minExecutionsPerGraph),
    "max-executions-per-graph": integer("most runs per graph", 0, 1000, d.maxExecutionsPerGraph),
    "max-versions-per-listing": integer("most versions per store listing", 1, 20, d.maxVersionsPerListing),
    "min-reviews-per-version": integer("fewest reviews per approved version", 0, 100, d.minReviewsPerVersion),
    "max-reviews-per-version": integer("most reviews per approved version", 0, 100, d.maxReviewsPerVersion),
    "max-transactions-per-user": integer(
      "most credit transactions per user (each has 1..N)",
      0,
      1000,
      d.maxTransactionsPerUser,
    ),
    force: { type: "flag", description: "add a new batch even though the database already has users" },
    "dry-run": { type: "flag", description: "do everything inside a transaction, report, then roll back" },
  },
  ranges: CREATE_RANGES,
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
  if (!parsed) return null;
  const { scale, ...options } = parsed.options;
  return { options: { ...options, users: options.users ?? d.users * scale }, common: parsed.common };
}

export async function main({ options, common }: CommandLine<Partial<CreateOptions>>): Promise<number> {
  const { say, log, track } = outputFor(false);
  return withCommandDatabase(
    common,
    say,
    async ({ db }) => {
      const report = await createTestData(db, options, (line) => log(`  ${line}`), track);
      say(describeCreated(report));
      return allMatch(report.views.views) ? EXIT.ok : EXIT.failure;
    },
    { needsStore: true },
  );
}

if (isEntryPoint(import.meta.url)) await runCommand("create", parseCreateCommandLine, main);
