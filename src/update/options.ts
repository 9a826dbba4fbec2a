// The updater's options: the design's numbers as defaults, each overridable, validated once.
import { MAX_SEED } from "../shared/random.js";
import { parseOptions, requireRange, type CommandSpec, type OptionSpecs, type ParsedOptions } from "../cli/options.js";

const MAX_COUNT = 1_000_000;
const count = (description: string, def: number, min = 0) =>
  ({ type: "integer", description, default: def, min, max: MAX_COUNT }) as const;

export const updateCommand = {
  usage: "npx tsx src/updateTestData.ts [options]   (or: npm run update -- [options])",
  summary:
    "Adds agent runs, node runs, store reviews, listing changes and credit transactions to an AutoGPT " +
    "store database made by the creator, refreshes the store's materialized views and proves they match the data. " +
    "All writes of a run commit together or not at all.",
  options: {
    seed: { type: "integer", description: "seed for the random data (same seed + same database = same data)", min: 0, max: MAX_SEED },
    "dry-run": { type: "flag", description: "do everything inside a transaction, report, then roll back" },
    json: { type: "flag", description: "print one JSON document on stdout and nothing else there" },
    users: count("base users to load", 50, 1),
    graphs: count("active graphs to load", 50, 1),
    listings: count("listings with an approved version to load", 30, 1),
    "graphs-with-runs": count("graphs that get new runs", 20),
    "min-runs": count("fewest new runs per graph", 5),
    "max-runs": count("most new runs per graph", 15),
    "nodes-per-run": count("most node runs per run (nodes of the run's graph)", 3),
    "min-reviews": count("fewest new reviews per listing", 2),
    "max-reviews": count("most new reviews per listing", 5),
    "version-updates": count("listings whose approved version is updated", 10),
    "credit-users": count("users that get credit transactions", 30),
    "min-credit-transactions": count("fewest credit transactions per user", 1),
    "max-credit-transactions": count("most credit transactions per user", 3),
  },
  epilogue: [
    "Environment: DATABASE_URL (postgresql://user@host:port/db, ?schema=platform for a platform database).",
    "Exit codes: 0 done and both views match their sources; 1 failure (database, too little base data,",
    "or views that don't match after the refresh); 2 bad usage.",
  ],
} satisfies CommandSpec<OptionSpecs>;

type Raw = ParsedOptions<typeof updateCommand.options>;

export interface UpdateOptions {
  seed: number | undefined;
  dryRun: boolean;
  json: boolean;
  limits: { users: number; graphs: number; listings: number };
  runs: { graphs: number; min: number; max: number; nodesPerRun: number };
  reviews: { min: number; max: number };
  versionUpdates: number;
  credits: { users: number; min: number; max: number };
}

/** Parses and validates argv; `null` when --help was printed. */
export function parseUpdateOptions(argv: string[]): UpdateOptions | null {
  const raw: Raw | null = parseOptions(updateCommand, argv);
  if (!raw) return null;
  requireRange("min-runs", raw["min-runs"], "max-runs", raw["max-runs"]);
  requireRange("min-reviews", raw["min-reviews"], "max-reviews", raw["max-reviews"]);
  requireRange("min-credit-transactions", raw["min-credit-transactions"], "max-credit-transactions", raw["max-credit-transactions"]);
  return {
    seed: raw.seed,
    dryRun: raw["dry-run"],
    json: raw.json,
    limits: { users: raw.users, graphs: raw.graphs, listings: raw.listings },
    runs: { graphs: raw["graphs-with-runs"], min: raw["min-runs"], max: raw["max-runs"], nodesPerRun: raw["nodes-per-run"] },
    reviews: { min: raw["min-reviews"], max: raw["max-reviews"] },
    versionUpdates: raw["version-updates"],
    credits: { users: raw["credit-users"], min: raw["min-credit-transactions"], max: raw["max-credit-transactions"] },
  };
}
