// Step 2: new reviews (what mv_review_stats aggregates) on the version the store shows of each listing,
// by users who haven't reviewed it yet. Versions go a chunk at a time (bounded memory): one query
// reads a chunk's existing reviewers, and its reviews are written before the next is planned.
import { REVIEWS } from "../schema/storeColumns.js";
import type { Tx } from "../connection/transaction.js";
import type { TargetShape } from "../schema/targetShape.js";
import { chunksOf } from "../bulk/bulkInsert.js";
import { sampleWhere, type Random } from "../domain/random.js";
import { timeOrderedId } from "../domain/timeOrderedId.js";
import { reviewRow, type ReviewRow } from "../domain/reviews.js";
import type { BaseListing } from "./loadBaseData.js";
import type { UpdateOptions } from "./options.js";

const VERSIONS_PER_CHUNK = 5_000;

export async function addReviews(
  tx: Tx,
  shape: TargetShape,
  random: Random,
  listings: BaseListing[],
  userIds: string[],
  options: UpdateOptions["reviews"],
  now: Date,
): Promise<number> {
  const versionIds = listings.map((listing) => listing.versionId);
  let written = 0;
  for (const chunk of chunksOf(versionIds, VERSIONS_PER_CHUNK)) {
    const rows = planReviews(random, chunk, await existingReviewers(tx, chunk), userIds, options, now);
    written += await shape.write(tx, REVIEWS, rows);
  }
  return written;
}

function planReviews(
  random: Random,
  versionIds: string[],
  reviewed: Map<string, Set<string>>,
  userIds: string[],
  options: UpdateOptions["reviews"],
  now: Date,
): ReviewRow[] {
  const rows: ReviewRow[] = [];
  for (const versionId of versionIds) {
    const already = reviewed.get(versionId) ?? new Set<string>();
    for (const reviewer of sampleWhere(
      random,
      userIds,
      random.int(options.min, options.max),
      (id) => !already.has(id),
    )) {
      rows.push(reviewRow(random, timeOrderedId(), versionId, reviewer, now));
    }
  }
  return rows;
}

async function existingReviewers(tx: Tx, versionIds: string[]): Promise<Map<string, Set<string>>> {
  if (versionIds.length === 0) return new Map();
  // One array parameter, however many versions (an IN list is capped by the bind-value limit).
  const reviews = await tx.$queryRaw<Array<{ storeListingVersionId: string; reviewByUserId: string }>>`
    SELECT "storeListingVersionId", "reviewByUserId" FROM "StoreListingReview"
    WHERE "storeListingVersionId" = ANY(${versionIds}::text[])`;
  const byVersion = new Map<string, Set<string>>();
  for (const r of reviews) {
    const set = byVersion.get(r.storeListingVersionId) ?? new Set<string>();
    set.add(r.reviewByUserId);
    byVersion.set(r.storeListingVersionId, set);
  }
  return byVersion;
}
