// What every step of one updater run shares (its options are parsed by src/updateTestData.ts).
import type { Tx } from "../connection/transaction.js";
import type { Random } from "../domain/random.js";
import type { TargetShape } from "../schema/targetShape.js";

/** One run's transaction, target and clock, and its seeded random: the steps draw from it in a fixed
 *  order, so the same seed on the same database writes the same rows. */
export interface UpdateRun {
  tx: Tx;
  shape: TargetShape;
  random: Random;
  now: Date;
}
