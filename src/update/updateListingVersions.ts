// Step 3: listing changes as store moderators make them (at the design's rates), on the version the store shows.
import { VERSION_UPDATES } from "../schema/storeColumns.js";
import { STORE_CATEGORIES } from "../domain/storeVocabulary.js";
import type { BaseListing } from "./loadBaseData.js";
import type { UpdateRun } from "./updateRun.js";

const FEATURE_FLIP_PROBABILITY = 0.3;

export async function updateListingVersions(
  { tx, shape, random, now }: UpdateRun,
  listings: BaseListing[],
  count: number,
): Promise<number> {
  const updates: Array<{ id: string; categories: string[]; isFeatured: boolean; updatedAt: Date }> = [];
  for (const listing of random.sample(listings, Math.min(count, listings.length))) {
    const categories = random.sample(STORE_CATEGORIES, random.int(2, 4));
    const isFeatured = random.chance(FEATURE_FLIP_PROBABILITY) ? !listing.isFeatured : listing.isFeatured;
    updates.push({ id: listing.versionId, categories, isFeatured, updatedAt: now });
  }
  // One statement for all of them (each listing's version is distinct, so no row is set twice).
  return shape.write(tx, VERSION_UPDATES, updates);
}
