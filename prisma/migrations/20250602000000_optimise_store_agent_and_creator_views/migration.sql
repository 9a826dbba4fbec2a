-- Store aggregates as materialized views, as on the AutoGPT platform.
-- Names are unqualified on purpose: the migration runner sets search_path to the target schema
-- (`public` standalone, `platform` on a platform database).

-- A review score is a star rating.
ALTER TABLE "StoreListingReview" ADD CONSTRAINT "StoreListingReview_score_check" CHECK ("score" BETWEEN 1 AND 5);

-- Runs per graph (every status, every version).
CREATE MATERIALIZED VIEW "mv_agent_run_counts" AS
SELECT
    "agentGraphId",
    COUNT(*) AS run_count
FROM "AgentGraphExecution"
GROUP BY "agentGraphId";

-- Required by REFRESH ... CONCURRENTLY.
CREATE UNIQUE INDEX "idx_mv_agent_run_counts" ON "mv_agent_run_counts"("agentGraphId");

-- Review count and average score per live listing, over its APPROVED versions.
-- avg_rating is NULL for an approved listing without reviews.
CREATE MATERIALIZED VIEW "mv_review_stats" AS
SELECT
    sl."id" AS "storeListingId",
    COUNT(sr."id") AS review_count,
    AVG(sr."score"::numeric) AS avg_rating
FROM "StoreListing" sl
JOIN "StoreListingVersion" slv ON slv."storeListingId" = sl."id"
LEFT JOIN "StoreListingReview" sr ON sr."storeListingVersionId" = slv."id"
WHERE sl."isDeleted" = false
  AND slv."submissionStatus" = 'APPROVED'
GROUP BY sl."id";

CREATE UNIQUE INDEX "idx_mv_review_stats" ON "mv_review_stats"("storeListingId");

-- The store's public view of approved listings, reading both aggregates.
CREATE VIEW "StoreAgent" AS
WITH latest_approved AS (
    SELECT DISTINCT ON (slv."storeListingId")
        slv.*
    FROM "StoreListingVersion" slv
    WHERE slv."submissionStatus" = 'APPROVED'
      AND slv."isDeleted" = false
    ORDER BY slv."storeListingId", slv."version" DESC
)
SELECT
    sl."id" AS listing_id,
    lav."id" AS "storeListingVersionId",
    lav."updatedAt",
    sl."slug",
    lav."agentGraphId",
    lav."agentGraphVersion",
    COALESCE(p."username", '') AS creator_username,
    p."avatarUrl" AS creator_avatar,
    lav."name" AS agent_name,
    lav."subHeading" AS sub_heading,
    lav."description",
    lav."imageUrls" AS agent_image,
    lav."categories",
    lav."isFeatured" AS featured,
    lav."isAvailable" AS is_available,
    COALESCE(rc.run_count, 0) AS runs,
    COALESCE(rs.avg_rating, 0.0)::double precision AS rating,
    COALESCE(rs.review_count, 0) AS review_count
FROM "StoreListing" sl
JOIN latest_approved lav ON lav."storeListingId" = sl."id"
LEFT JOIN "Profile" p ON p."userId" = sl."owningUserId"
LEFT JOIN "mv_agent_run_counts" rc ON rc."agentGraphId" = lav."agentGraphId"
LEFT JOIN "mv_review_stats" rs ON rs."storeListingId" = sl."id"
WHERE sl."isDeleted" = false
  AND sl."hasApprovedVersion" = true;

-- Refreshes both views without blocking readers; falls back to a plain refresh where
-- CONCURRENTLY is refused (for example a view that has never been populated).
-- SET search_path FROM CURRENT pins the schema the migration ran in, so the function finds its
-- views whatever the caller's search_path (pg_cron's, or a session's on another schema).
CREATE OR REPLACE FUNCTION refresh_store_materialized_views()
RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
    BEGIN
        REFRESH MATERIALIZED VIEW CONCURRENTLY "mv_agent_run_counts";
        REFRESH MATERIALIZED VIEW CONCURRENTLY "mv_review_stats";
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'Concurrent refresh failed (%), refreshing without CONCURRENTLY', SQLERRM;
        REFRESH MATERIALIZED VIEW "mv_agent_run_counts";
        REFRESH MATERIALIZED VIEW "mv_review_stats";
    END;
END;
$$;

SELECT refresh_store_materialized_views();

-- Where pg_cron is installed, refresh every 15 minutes; elsewhere (development, this project's
-- standalone databases) the views are refreshed by hand, which is what the updater does.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        EXECUTE format(
            'SELECT cron.schedule(%L, %L, %L)',
            'refresh-store-views',
            '*/15 * * * *',
            format('SELECT %I.refresh_store_materialized_views();', current_schema())
        );
    END IF;
END
$$;
