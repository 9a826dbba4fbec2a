// A store review as the creator and the updater make it: one reviewer per version at most, a score
// weighted towards the positive as in the platform's script, a comment most of the time.
import type { Random } from "./random.js";

const REVIEW_SCORES = [1, 2, 3, 4, 5] as const;
const REVIEW_SCORE_WEIGHTS = [5, 10, 20, 40, 25] as const;
/** The design's chance that a review has a comment. */
const COMMENT_PROBABILITY = 0.7;
/** The design's longest comment (faker.text(max_nb_chars=200)). */
const MAX_COMMENT_LENGTH = 200;

export function reviewRow(
  random: Random,
  id: string,
  storeListingVersionId: string,
  reviewByUserId: string,
  createdAt: Date,
) {
  return {
    id,
    storeListingVersionId,
    reviewByUserId,
    score: random.weighted(REVIEW_SCORES, REVIEW_SCORE_WEIGHTS),
    comments: random.chance(COMMENT_PROBABILITY) ? random.faker.lorem.paragraph().slice(0, MAX_COMMENT_LENGTH) : null,
    createdAt,
    updatedAt: createdAt,
  };
}

export type ReviewRow = ReturnType<typeof reviewRow>;
