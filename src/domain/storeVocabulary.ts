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
