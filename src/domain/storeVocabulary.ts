// The store's fixed vocabulary, as the platform's test scripts use it (creator and updater).

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

/** Review scores 1..5 and their weights (5/10/20/40/25): positive, as real stores are. */
export const REVIEW_SCORES = [1, 2, 3, 4, 5] as const;
export const REVIEW_SCORE_WEIGHTS = [5, 10, 20, 40, 25] as const;
