// What the creator is asked to make, and what it reports back.
import type { ViewsReport } from "../views/verifyViews.js";

/** The platform creator's numbers (test_data_creator.py), except where noted. */
const DEFAULTS = {
  users: 100,
  blocks: 100,
  minGraphsPerUser: 1,
  maxGraphsPerUser: 5,
  /** Each graph has 1..N versions (AgentGraph rows with the same id), one of them usually active. The
   *  platform's creator makes one version per graph; real databases have many. */
  maxVersionsPerGraph: 1,
  minNodesPerGraph: 2,
  maxNodesPerGraph: 5,
  minExecutionsPerGraph: 1,
  maxExecutionsPerGraph: 20,
  /** Each graph gets one store listing with 1..N versions (numbered 1, 2, ...); the platform makes one. */
  maxVersionsPerListing: 1,
  /** Reviews per APPROVED version, by distinct users other than the listing's owner. */
  minReviewsPerVersion: 1,
  maxReviewsPerVersion: 5,
  /** Credit transactions per user: 1..N, or 0 for none (and, as on the platform, no UserBalance row). The
   *  platform makes one per user (and no running balance); a few make the chain worth having. */
  maxTransactionsPerUser: 10,
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

/** Pairs of counts whose first must not exceed the second (checked here, and by npm run create's parser). */
export const CREATE_RANGES: Array<[keyof CreateOptions, keyof CreateOptions]> = [
  ["minGraphsPerUser", "maxGraphsPerUser"],
  ["minNodesPerGraph", "maxNodesPerGraph"],
  ["minExecutionsPerGraph", "maxExecutionsPerGraph"],
  ["minReviewsPerVersion", "maxReviewsPerVersion"],
];

const AT_LEAST_ONE = [
  "users",
  "blocks",
  "usersPerBatch",
  "minNodesPerGraph",
  "maxVersionsPerGraph",
  "maxVersionsPerListing",
];

/** Fills in defaults and checks the values a caller in-process could get wrong. */
export function resolveCreateOptions(partial: Partial<CreateOptions>): CreateOptions {
  const given = Object.entries(partial).filter(([, value]) => value !== undefined);
  const options: CreateOptions = { ...DEFAULT_CREATE_OPTIONS, ...Object.fromEntries(given) };
  for (const [name, value] of Object.entries(options)) {
    if (typeof value !== "number") continue;
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`${name} must be a whole number >= 0 (got ${value})`);
    if (value < 1 && AT_LEAST_ONE.includes(name)) throw new RangeError(`${name} must be at least 1`);
  }
  for (const [min, max] of CREATE_RANGES) {
    if ((options[min] as number) > (options[max] as number))
      throw new RangeError(`${min} (${options[min]}) must not exceed ${max} (${options[max]})`);
  }
  if (options.now && Number.isNaN(options.now.getTime())) throw new RangeError("now is not a valid date");
  return options;
}
