// What every step of one updater run shares: its transaction, target, clock and seeded random.
import type { Tx } from "../connection/transaction.js";
import type { Random } from "../domain/random.js";
import type { TargetShape } from "../schema/targetShape.js";

/** The steps draw from `random` in a fixed order, so the same seed on the same database writes the same rows. */
export interface UpdateRun {
  tx: Tx;
  shape: TargetShape;
  random: Random;
  now: Date;
}
