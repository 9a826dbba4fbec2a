// The updater's options, as its steps take them (parsed and validated by src/updateTestData.ts), and
// what every step of one run shares.
import type { Tx } from "../connection/transaction.js";
import type { Random } from "../domain/random.js";
import type { TargetShape } from "../schema/targetShape.js";

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

/** One run's transaction, target and clock, and its seeded random: the steps draw from it in a fixed
 *  order, so the same seed on the same database writes the same rows. */
export interface UpdateRun {
  tx: Tx;
  shape: TargetShape;
  random: Random;
  now: Date;
}
