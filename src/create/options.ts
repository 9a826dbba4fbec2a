// What the creator is asked to make, and what it reports back.
import type { ViewsReport } from "../views/verifyViews.js";
import { invertedRange } from "../shared/errors.js";

/** The creator's counts: each one's default (the platform creator's numbers, test_data_creator.py,
 *  except where noted), and the range and --help line of npm run create's option for it. */
export const CREATE_COUNTS = {
  users: { default: 100, min: 1, max: 1_000_000, help: "users to create, each with a profile" },
  blocks: { default: 100, min: 1, max: 10_000, help: "agent blocks to create" },
  minGraphsPerUser: { default: 1, min: 0, max: 50, help: "fewest graphs per user" },
  maxGraphsPerUser: { default: 5, min: 0, max: 50, help: "most graphs per user" },
  /** One of a graph's versions is usually active. The platform's creator makes one per graph; real databases many. */
  maxVersionsPerGraph: { default: 1, min: 1, max: 20, help: "most versions per graph (AgentGraph rows sharing an id)" },
  minNodesPerGraph: { default: 2, min: 1, max: 50, help: "fewest nodes per graph" },
  maxNodesPerGraph: { default: 5, min: 1, max: 50, help: "most nodes per graph" },
  minExecutionsPerGraph: { default: 1, min: 0, max: 1000, help: "fewest runs per graph" },
  maxExecutionsPerGraph: { default: 20, min: 0, max: 1000, help: "most runs per graph" },
  /** Each graph gets one store listing with 1..N versions (numbered 1, 2, ...); the platform makes one. */
  maxVersionsPerListing: { default: 1, min: 1, max: 20, help: "most versions per store listing" },
  minReviewsPerVersion: { default: 1, min: 0, max: 100, help: "fewest reviews per approved version" },
  maxReviewsPerVersion: { default: 5, min: 0, max: 100, help: "most reviews per approved version" },
  /** Credit transactions per user: 1..N, or 0 for none (and, as on the platform, no UserBalance row). The
   *  platform makes one per user (and no running balance); a few make the chain worth having. */
  maxTransactionsPerUser: { default: 10, min: 0, max: 1000, help: "most credit transactions per user (each has 1..N)" },
};

const COUNT_DEFAULTS = Object.fromEntries(Object.entries(CREATE_COUNTS).map(([name, count]) => [name, count.default]));

const DEFAULTS = {
  ...(COUNT_DEFAULTS as Record<keyof typeof CREATE_COUNTS, number>),
  /** Users written together with everything of theirs (memory holds one batch); the data doesn't depend on it. */
  usersPerBatch: 500,
  /** Add to a database that already has users (a new, separate batch of users). */
  force: false,
  /** Do everything, report, then roll it all back. */
  dryRun: false,
};

export type CreateOptions = typeof DEFAULTS & {
  /** Seed for every random choice; without one a seed is picked and reported. */
  seed?: number;
  /** What timestamps are dated back from (default: the clock at the start); same seed and `now`, same rows. */
  now?: Date;
};

export const DEFAULT_CREATE_OPTIONS: Readonly<CreateOptions> = Object.freeze(DEFAULTS);

export function noCounts() {
  return {
    users: 0,
    profiles: 0,
    blocks: 0,
    /** Distinct graph ids; graphVersions counts AgentGraph rows, one per version. */
    graphs: 0,
    graphVersions: 0,
    nodes: 0,
    executions: 0,
    nodeExecutions: 0,
    listings: 0,
    /** Listings with an APPROVED version (hasApprovedVersion = true). */
    approvedListings: 0,
    versions: 0,
    versionsByStatus: { DRAFT: 0, PENDING: 0, APPROVED: 0, REJECTED: 0 },
    reviews: 0,
    creditTransactions: 0,
    userBalances: 0,
  };
}
export type CreatedCounts = ReturnType<typeof noCounts>;

export interface CreateReport {
  seed: number;
  now: Date;
  counts: CreatedCounts;
  /** The views the run refreshed, each proven against its own definition. */
  views: ViewsReport;
  dryRun: boolean;
  seconds: number;
}

/** In-process too (no other bound is checked there): the batch size, and the counts npm run create takes from 1. */
const AT_LEAST_ONE = new Set([
  "usersPerBatch",
  ...Object.entries(CREATE_COUNTS).flatMap(([name, count]) => (count.min === 1 ? [name] : [])),
]);

/** Fills in defaults and checks the values a caller in-process could get wrong. */
export function resolveCreateOptions(partial: Partial<CreateOptions>): CreateOptions {
  const given = Object.entries(partial).filter(([, value]) => value !== undefined);
  const options: CreateOptions = { ...DEFAULT_CREATE_OPTIONS, ...Object.fromEntries(given) };
  for (const [name, value] of Object.entries(options)) {
    if (typeof value !== "number") continue;
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`${name} must be a whole number >= 0 (got ${value})`);
    if (value < 1 && AT_LEAST_ONE.has(name)) throw new RangeError(`${name} must be at least 1`);
  }
  const values: Record<string, unknown> = options;
  const [min, max] = invertedRange(values) ?? [];
  if (min && max) throw new RangeError(`${min} (${values[min]}) must not exceed ${max} (${values[max]})`);
  if (options.now && Number.isNaN(options.now.getTime())) throw new RangeError("now is not a valid date");
  return options;
}
