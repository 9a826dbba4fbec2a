// Step 2: new reviews (what mv_review_stats aggregates) on the version the store shows of each listing,
// by users who haven't reviewed it yet. Versions go a chunk at a time (bounded memory).
import { REVIEWS } from "../schema/storeColumns.js";
import type { Tx } from "../connection/transaction.js";
import { chunksOf } from "../bulk/bulkInsert.js";
import { sampleWhere } from "../domain/random.js";
import { timeOrderedId } from "../domain/timeOrderedId.js";
import { reviewRow, type ReviewRow } from "../domain/reviews.js";
import type { BaseListing } from "./loadBaseData.js";
import type { UpdateRun } from "./updateRun.js";

const VERSIONS_PER_CHUNK = 5_000;

export async function addReviews(
  { tx, shape, random, now }: UpdateRun,
  listings: BaseListing[],
  userIds: string[],
  options: { min: number; max: number },
): Promise<number> {
  const versionIds = listings.map((listing) => listing.versionId);
  let written = 0;
  for (const chunk of chunksOf(versionIds, VERSIONS_PER_CHUNK)) {
    const reviewed = await existingReviewers(tx, chunk);
    const rows: ReviewRow[] = [];
    for (const versionId of chunk) {
      const already = reviewed.get(versionId)!;
      const count = random.int(options.min, options.max);
      for (const reviewer of sampleWhere(random, userIds, count, (id) => !already.has(id)))
        rows.push(reviewRow(random, timeOrderedId(), versionId, reviewer, now));
    }
    written += await shape.write(tx, REVIEWS, rows);
  }
  return written;
}

async function existingReviewers(tx: Tx, versionIds: string[]): Promise<Map<string, Set<string>>> {
  // One array parameter, however many versions (an IN list is capped by the bind-value limit).
  const reviews = await tx.$queryRaw<Array<{ storeListingVersionId: string; reviewByUserId: string }>>`
    SELECT "storeListingVersionId", "reviewByUserId" FROM "StoreListingReview"
    WHERE "storeListingVersionId" = ANY(${versionIds}::text[])`;
  const byVersion = new Map(versionIds.map((id) => [id, new Set<string>()]));
  for (const r of reviews) byVersion.get(r.storeListingVersionId)?.add(r.reviewByUserId);
  return byVersion;
}
