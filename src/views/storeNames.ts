// How the samples name what an id stands for: the agent by its graph's name (for a graph with
// several version rows, the active version's name, else the highest version's) and the listing
// by its slug. Scalar subqueries over an id expression of the caller's (built from checked names).

/** The graph's name, for a graph id (text). */
export function graphNameSql(graphId: string): string {
  return `(SELECT g."name" FROM "AgentGraph" g WHERE g."id" = ${graphId} ORDER BY g."isActive" DESC, g."version" DESC LIMIT 1)`;
}

/** The slug of the graph's listing, a live one first. */
export function graphSlugSql(graphId: string): string {
  return `(SELECT sl."slug" FROM "StoreListing" sl WHERE sl."agentGraphId" = ${graphId} ORDER BY sl."isDeleted", sl."createdAt" DESC LIMIT 1)`;
}

/** The listing's graph id, for a listing id (text). */
export function listingGraphSql(listingId: string): string {
  return `(SELECT sl."agentGraphId" FROM "StoreListing" sl WHERE sl."id" = ${listingId})`;
}

export function listingSlugSql(listingId: string): string {
  return `(SELECT sl."slug" FROM "StoreListing" sl WHERE sl."id" = ${listingId})`;
}
