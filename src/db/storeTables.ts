// The names of the store's tables, for the few places that name them all in SQL.
/** The store's tables (../shared/spec/autogpt-schema.md), in the order their rows depend on each other. */
export const STORE_TABLES = [
  "User",
  "Profile",
  "AgentBlock",
  "AgentGraph",
  "AgentNode",
  "AgentGraphExecution",
  "AgentNodeExecution",
  "StoreListing",
  "StoreListingVersion",
  "StoreListingReview",
  "CreditTransaction",
  "UserBalance",
] as const;
