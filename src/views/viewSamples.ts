// The samples the platform's updater prints (top 5 agents by run count, top 5 listings by
// rating), each named, and with its value before the run when the views were copied then.
import { ident } from "./viewShape.js";
import type { Tx } from "../connection/transaction.js";

export const SAMPLE_SIZE = 5;

export interface TopRun {
  graphId: string;
  runCount: number;
  name: string | null;
  slug: string | null;
  /** null when the graph had no row before the run (or nothing was copied). */
  runCountBefore: number | null;
}

export interface TopRating {
  storeListingId: string;
  /** avg_rating, 0 for a listing without reviews (as the original prints it). */
  avgRating: number;
  reviewCount: number;
  name: string | null;
  slug: string | null;
  /** Before the run; null when the listing had no row then (or nothing was copied). */
  avgRatingBefore: number | null;
  reviewCountBefore: number | null;
}

/** `before`: the temporary table holding the view's copy, when there is one. */
export function topRuns(tx: Tx, view: string, key: string, before?: string): Promise<TopRun[]> {
  const k = ident(key);
  const n = ident(RUN_COUNT);
  return tx.$queryRawUnsafe<TopRun[]>(
    `SELECT v.${k}::text AS "graphId", v.${n}::int AS "runCount",
            ${graphNameSql(`v.${k}::text`)} AS "name", ${graphSlugSql(`v.${k}::text`)} AS "slug",
            ${before ? `b.${n}::int` : "NULL::int"} AS "runCountBefore"
     FROM ${ident(view)} v
     ${before ? `LEFT JOIN pg_temp.${ident(before)} b ON b.${k} = v.${k}` : ""}
     ORDER BY v.${n} DESC, v.${k} LIMIT $1`,
    SAMPLE_SIZE,
  );
}

export function topRatings(tx: Tx, view: string, key: string, before?: string): Promise<TopRating[]> {
  const k = ident(key);
  const a = ident(AVG_RATING);
  const c = ident(REVIEW_COUNT);
  return tx.$queryRawUnsafe<TopRating[]>(
    `SELECT v.${k}::text AS "storeListingId", COALESCE(v.${a}, 0)::float8 AS "avgRating", v.${c}::int AS "reviewCount",
            ${graphNameSql(listingGraphSql(`v.${k}::text`))} AS "name", ${listingSlugSql(`v.${k}::text`)} AS "slug",
            ${before ? `CASE WHEN b.${k} IS NULL THEN NULL ELSE COALESCE(b.${a}, 0)::float8 END` : "NULL::float8"} AS "avgRatingBefore",
            ${before ? `b.${c}::int` : "NULL::int"} AS "reviewCountBefore"
     FROM ${ident(view)} v
     ${before ? `LEFT JOIN pg_temp.${ident(before)} b ON b.${k} = v.${k}` : ""}
     ORDER BY v.${a} DESC NULLS LAST, v.${k} LIMIT $1`,
    SAMPLE_SIZE,
  );
}

// Samples and before/after lists read a view by its key column (knownViews.ts) and by count
// columns every release has.
export const RUN_COUNT = "run_count";
export const REVIEW_COUNT = "review_count";
export const AVG_RATING = "avg_rating";

// Samples name an agent by its graph's name (the active version's, else the highest version's) and a
// listing by its slug: scalar subqueries over the caller's text id expression (built from checked names).
export function graphNameSql(graphId: string): string {
  return `(SELECT g."name" FROM "AgentGraph" g WHERE g."id" = ${graphId} ORDER BY g."isActive" DESC, g."version" DESC LIMIT 1)`;
}

/** The slug of the graph's listing, a live one first. */
export function graphSlugSql(graphId: string): string {
  return `(SELECT sl."slug" FROM "StoreListing" sl WHERE sl."agentGraphId" = ${graphId} ORDER BY sl."isDeleted", sl."createdAt" DESC LIMIT 1)`;
}

export function listingGraphSql(listingId: string): string {
  return `(SELECT sl."agentGraphId" FROM "StoreListing" sl WHERE sl."id" = ${listingId})`;
}

export function listingSlugSql(listingId: string): string {
  return `(SELECT sl."slug" FROM "StoreListing" sl WHERE sl."id" = ${listingId})`;
}
