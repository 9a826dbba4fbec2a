// The updater's options: the design's numbers as defaults, each overridable, validated once.
import { MAX_SEED } from "../shared/random.js";
import { UsageError } from "../shared/errors.js";
import { parseCommandLine, requireRange, type CommandSpec, type CommonOptions, type OptionSpecs, type ParsedOptions } from "../cli/options.js";

const MAX_COUNT = 10_000_000;
export const MAX_SCALE = 100_000;
/** A count with a fixed default (the per-item ranges: not multiplied by --scale). */
const count = (description: string, def: number, min = 0) =>
  ({ type: "integer", description, default: def, min, max: MAX_COUNT }) as const;
/** A count whose default is the design's number times --scale; given explicitly, it wins. */
const scaled = (description: string, def: number, min = 0) =>
  ({ type: "integer", description: `${description} (default ${def} x --scale)`, min, max: MAX_COUNT }) as const;

export const DESIGN_COUNTS = {
  users: 50,
  graphs: 50,
  listings: 30,
  "graphs-with-runs": 20,
  "version-updates": 10,
  "credit-users": 30,
} as const;

export const updateCommand = {
  usage: "npx tsx src/updateTestData.ts [options]   (or: npm run update -- [options])",
  summary:
    "Adds agent runs, node runs, store reviews, listing changes and credit transactions to an AutoGPT " +
    "store database made by the creator, refreshes the store's materialized views and proves they match the data. " +
    "All writes of a run commit together or not at all.",
  options: {
    seed: { type: "integer", description: "seed for the random data (same seed + same database = same data)", min: 0, max: MAX_SEED },
    "dry-run": { type: "flag", description: "do everything inside a transaction, report, then roll back" },
    json: { type: "flag", description: "print one JSON document on stdout and nothing else there (a failure too: {error, exitCode})" },
    strict: { type: "flag", description: "exit 1 when a view says what the rows it counts can't support (a warning)" },
    scale: { type: "integer", description: "multiply the design's counts (users, graphs, listings, graphs with runs, version updates, credit users) by K; 1 is the design", default: 1, min: 1, max: MAX_SCALE },
    users: scaled("base users to load", DESIGN_COUNTS.users, 1),
    graphs: scaled("active graphs to load", DESIGN_COUNTS.graphs, 1),
    listings: scaled("listings with an approved version to load", DESIGN_COUNTS.listings, 1),
    "graphs-with-runs": scaled("graphs that get new runs", DESIGN_COUNTS["graphs-with-runs"]),
    "min-runs": count("fewest new runs per graph", 5),
    "max-runs": count("most new runs per graph", 15),
    "nodes-per-run": count("most node runs per run (nodes of the run's graph)", 3),
    "min-reviews": count("fewest new reviews per listing", 2),
    "max-reviews": count("most new reviews per listing", 5),
    "version-updates": scaled("listings whose approved version is updated", DESIGN_COUNTS["version-updates"]),
    "credit-users": scaled("users that get credit transactions", DESIGN_COUNTS["credit-users"]),
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

type Raw = ParsedOptions<typeof updateCommand.options>;

export interface UpdateOptions {
  seed: number | undefined;
  dryRun: boolean;
  json: boolean;
  strict: boolean;
  limits: { users: number; graphs: number; listings: number };
  runs: { graphs: number; min: number; max: number; nodesPerRun: number };
  reviews: { min: number; max: number };
  versionUpdates: number;
  credits: { users: number; min: number; max: number };
}

export interface UpdateCommandLine extends UpdateOptions {
  common: CommonOptions;
}

/** Parses and validates argv (common options included); null when --help was printed.
 *  `command` is whose --help is printed: npm start has its own, with these options. */
export function parseUpdateOptions(argv: string[], command: CommandSpec<typeof updateCommand.options> = updateCommand): UpdateCommandLine | null {
  const parsed = parseCommandLine(command, argv);
  if (!parsed) return null;
  const raw: Raw = parsed.options;
  requireRange("min-runs", raw["min-runs"], "max-runs", raw["max-runs"]);
  requireRange("min-reviews", raw["min-reviews"], "max-reviews", raw["max-reviews"]);
  requireRange("min-credit-transactions", raw["min-credit-transactions"], "max-credit-transactions", raw["max-credit-transactions"]);
  const scale = raw.scale;
  const scaledCount = (name: keyof typeof DESIGN_COUNTS): number => {
    const value = raw[name] ?? DESIGN_COUNTS[name] * scale;
    if (value > MAX_COUNT) throw new UsageError(`--scale ${scale} makes --${name} ${value}, more than ${MAX_COUNT}: give a smaller --scale or --${name}`);
    return value;
  };
  return {
    common: parsed.common,
    seed: raw.seed,
    dryRun: raw["dry-run"],
    json: raw.json,
    strict: raw.strict,
    limits: { users: scaledCount("users"), graphs: scaledCount("graphs"), listings: scaledCount("listings") },
    runs: { graphs: scaledCount("graphs-with-runs"), min: raw["min-runs"], max: raw["max-runs"], nodesPerRun: raw["nodes-per-run"] },
    reviews: { min: raw["min-reviews"], max: raw["max-reviews"] },
    versionUpdates: scaledCount("version-updates"),
    credits: { users: scaledCount("credit-users"), min: raw["min-credit-transactions"], max: raw["max-credit-transactions"] },
  };
}
