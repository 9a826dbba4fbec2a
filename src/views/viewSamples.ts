// The samples the platform's updater prints (top 5 agents by run count, top 5 listings by
// rating), each named, and with its value before the run when the views were copied then.
import type { Tx } from "../db/prismaClient.js";
import { graphNameSql, graphSlugSql, listingGraphSql, listingSlugSql } from "./storeNames.js";
import { ident } from "./viewSql.js";
import type { ReviewStatsRoles, RunCountRoles } from "./viewRoles.js";

export const SAMPLE_SIZE = 5;

export interface TopRun {
  graphId: string;
  runCount: number;
  /** The graph's name; null when it has none (or no graph row). */
  name: string | null;
  /** The slug of the graph's store listing; null without one. */
  slug: string | null;
  /** run_count before the run; null when the graph had no row then (or nothing was copied). */
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
export function topRuns(tx: Tx, view: string, roles: RunCountRoles, before?: string): Promise<TopRun[]> {
  const k = ident(roles.key);
  const n = ident(roles.runCount);
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

export function topRatings(tx: Tx, view: string, roles: ReviewStatsRoles, before?: string): Promise<TopRating[]> {
  const k = ident(roles.key);
  const a = ident(roles.avgRating);
  const c = ident(roles.reviewCount);
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
