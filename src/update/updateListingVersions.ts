// Step 5: changes to listings, as store moderators make them: new categories (2-4 of the store's
// eight) and, 30% of the time, the featured flag flipped, on one APPROVED version per listing.
import type { Tx } from "../db/prismaClient.js";
import { SubmissionStatus } from "../generated/prisma/enums.js";
import type { Random } from "../shared/random.js";
import type { BaseListing } from "./loadBaseData.js";

export const STORE_CATEGORIES = [
  "productivity",
  "ai",
  "automation",
  "data",
  "social",
  "marketing",
  "development",
  "analytics",
] as const;
export const FEATURE_FLIP_PROBABILITY = 0.3;

export async function updateListingVersions(
  tx: Tx,
  random: Random,
  listings: BaseListing[],
  count: number,
  now: Date,
): Promise<number> {
  let updated = 0;
  for (const listing of random.sample(listings, Math.min(count, listings.length))) {
    const approved = listing.Versions.filter((v) => v.submissionStatus === SubmissionStatus.APPROVED);
    if (approved.length === 0) continue;
    const version = random.pick(approved);
    const categories = random.sample([...STORE_CATEGORIES], random.int(2, 4));
    const isFeatured = random.chance(FEATURE_FLIP_PROBABILITY) ? !version.isFeatured : version.isFeatured;
    await tx.storeListingVersion.update({
      where: { id: version.id },
      data: { categories, isFeatured, updatedAt: now },
    });
    updated++;
  }
  return updated;
}
