// Step 4: new reviews (what mv_review_stats aggregates). Each listing gets reviews on one of its
// APPROVED versions from users who haven't reviewed that version yet. The existing reviewers of
// all chosen versions are read in one query, not one query per version.
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/prismaClient.js";
import { SubmissionStatus } from "../generated/prisma/enums.js";
import type { Random } from "../shared/random.js";
import type { BaseListing } from "./loadBaseData.js";
import type { UpdateOptions } from "./options.js";

/** Scores 1..5, weighted towards the positive as real stores are. */
export const SCORE_WEIGHTS = [5, 10, 20, 40, 25] as const;
export const COMMENT_PROBABILITY = 0.7;

export interface ReviewRow {
  id: string;
  storeListingVersionId: string;
  reviewByUserId: string;
  score: number;
  comments: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export async function addReviews(
  tx: Tx,
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
  const reviewed = await existingReviewers(tx, versionIds);
  const rows: ReviewRow[] = [];
  for (const versionId of versionIds) {
    const already = reviewed.get(versionId) ?? new Set<string>();
    const available = userIds.filter((id) => !already.has(id));
    const count = Math.min(random.int(options.min, options.max), available.length);
    for (const reviewByUserId of random.sample(available, count)) {
      rows.push({
        id: randomUUID(),
        storeListingVersionId: versionId,
        reviewByUserId,
        score: random.weighted([1, 2, 3, 4, 5], [...SCORE_WEIGHTS]),
        comments: random.chance(COMMENT_PROBABILITY) ? random.faker.lorem.paragraph().slice(0, 200) : null,
        createdAt: now,
        updatedAt: now,
      });
    }
  }
  if (rows.length > 0) await tx.storeListingReview.createMany({ data: rows });
  return rows.length;
}

async function existingReviewers(tx: Tx, versionIds: string[]): Promise<Map<string, Set<string>>> {
  const reviews = await tx.storeListingReview.findMany({
    where: { storeListingVersionId: { in: versionIds } },
    select: { storeListingVersionId: true, reviewByUserId: true },
  });
  const byVersion = new Map<string, Set<string>>();
  for (const r of reviews) {
    const set = byVersion.get(r.storeListingVersionId) ?? new Set<string>();
    set.add(r.reviewByUserId);
    byVersion.set(r.storeListingVersionId, set);
  }
  return byVersion;
}
