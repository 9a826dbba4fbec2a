// Step 2: new reviews (what mv_review_stats aggregates). Each listing gets reviews on one of its
// APPROVED versions from users who haven't reviewed that version yet. Versions are taken a chunk
// at a time: one query reads the existing reviewers of the chunk's versions (not one query per
// version), and the chunk's reviews are written before the next is planned, so memory holds one
// chunk however many listings there are.
import { randomUUID } from "node:crypto";
import { bulkInsert } from "../db/bulkInsert.js";
import { REVIEW_COLUMNS } from "../db/storeColumns.js";
import type { Tx } from "../db/prismaClient.js";
import type { TargetShape } from "../db/targetShape.js";
import { SubmissionStatus } from "../generated/prisma/enums.js";
import { chunksOf } from "../shared/chunks.js";
import type { Random } from "../shared/random.js";
import { REVIEW_SCORES, REVIEW_SCORE_WEIGHTS } from "../shared/storeVocabulary.js";
import type { BaseListing } from "./loadBaseData.js";
import type { UpdateOptions } from "./options.js";

export const COMMENT_PROBABILITY = 0.7;
/** Versions whose reviews are planned and written together. */
const VERSIONS_PER_CHUNK = 5_000;

export interface ReviewRow {
  id: string;
  storeListingVersionId: string;
  reviewByUserId: string;
  score: number;
  comments: string | null;
  createdAt: Date;
  updatedAt: Date;
}


/** `count` distinct users not in `exclude`. When they are plentiful (the usual case, and the only
 *  one that matters at scale), drawn one by one and redrawn on a clash: no pass over all users per
 *  version. Otherwise from the filtered list. */
export function pickReviewers(random: Random, userIds: string[], exclude: Set<string>, count: number): string[] {
  if (userIds.length >= 4 * (exclude.size + count) && userIds.length > 64) {
    const chosen = new Set<string>();
    while (chosen.size < count) {
      const id = random.pick(userIds);
      if (!exclude.has(id)) chosen.add(id);
    }
    return [...chosen];
  }
  const available = userIds.filter((id) => !exclude.has(id));
  return random.sample(available, Math.min(count, available.length));
}

export async function addReviews(
  tx: Tx,
  shape: TargetShape,
  random: Random,
  listings: BaseListing[],
  userIds: string[],
  options: UpdateOptions["reviews"],
  now: Date,
): Promise<number> {
  const versionIds = listings.flatMap((listing) => {
    const approved = listing.Versions.filter((v) => v.submissionStatus === SubmissionStatus.APPROVED);
    return approved.length > 0 ? [random.pick(approved).id] : [];
  });
  let written = 0;
  for (const chunk of chunksOf(versionIds, VERSIONS_PER_CHUNK)) {
    const rows = planReviews(random, chunk, await existingReviewers(tx, chunk), userIds, options, now);
    written += await bulkInsert(tx, "StoreListingReview", shape.columns("StoreListingReview", REVIEW_COLUMNS), rows);
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
    for (const reviewByUserId of pickReviewers(random, userIds, already, random.int(options.min, options.max))) {
      rows.push({
        id: randomUUID(),
        storeListingVersionId: versionId,
        reviewByUserId,
        score: random.weighted(REVIEW_SCORES, REVIEW_SCORE_WEIGHTS),
        comments: random.chance(COMMENT_PROBABILITY) ? random.faker.lorem.paragraph().slice(0, 200) : null,
        createdAt: now,
        updatedAt: now,
      });
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
