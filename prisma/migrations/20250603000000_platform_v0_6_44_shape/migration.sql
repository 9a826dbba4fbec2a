-- Brings the twelve tables of the two earlier migrations to the AutoGPT platform's shape at its
-- release v0.6.44 (the catalog facts in the project's spec): every column, default, key, index and
-- the store views, so that a database made here and a real platform database look alike to the
-- creator and the updater.
-- Names are unqualified on purpose: the migration runner sets search_path to the target schema.
--
-- Left as it is, deliberately: the order of AgentExecutionStatus's values. The platform sorts them
-- INCOMPLETE, QUEUED, RUNNING, COMPLETED, FAILED, TERMINATED, REVIEW; ours has TERMINATED before
-- FAILED. PostgreSQL can only reorder an enum by recreating the type (and rewriting every column
-- and view that uses it), which is not worth it for an order nothing here sorts by.

-- The StoreAgent view is recreated below in the platform's v0.6.44 shape; dropping it first frees
-- the columns it reads.
DROP VIEW IF EXISTS "StoreAgent";

-- ---- User ------------------------------------------------------------------------------------
ALTER TABLE "User"
    ADD COLUMN "stripeCustomerId" TEXT,
    ADD COLUMN "topUpConfig" JSONB,
    ADD COLUMN "maxEmailsPerDay" INTEGER NOT NULL DEFAULT 3,
    ADD COLUMN "notifyOnAgentRun" BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN "notifyOnBlockExecutionFailed" BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN "notifyOnContinuousAgentError" BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN "notifyOnDailySummary" BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN "notifyOnLowBalance" BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN "notifyOnMonthlySummary" BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN "notifyOnWeeklySummary" BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN "notifyOnZeroBalance" BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN "emailVerified" BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN "timezone" TEXT NOT NULL DEFAULT 'not-set',
    ADD COLUMN "notifyOnAgentApproved" BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN "notifyOnAgentRejected" BOOLEAN NOT NULL DEFAULT true;

-- A time zone is either unset or one PostgreSQL knows (an unknown name makes the check raise).
ALTER TABLE "User" ADD CONSTRAINT "User_timezone_check"
    CHECK ("timezone" = 'not-set' OR (now() AT TIME ZONE "timezone") IS NOT NULL);

-- ---- Profile ---------------------------------------------------------------------------------
-- On the platform a profile may exist without a user, and a user may have several profiles.
ALTER TABLE "Profile" ALTER COLUMN "userId" DROP NOT NULL;
DROP INDEX "Profile_userId_key";
CREATE INDEX "Profile_userId_idx" ON "Profile"("userId");

ALTER TABLE "Profile" ADD COLUMN "isFeatured" BOOLEAN NOT NULL DEFAULT false;

-- Lists are never NULL on the platform: an absent list is an empty one.
UPDATE "Profile" SET "links" = '{}' WHERE "links" IS NULL;
ALTER TABLE "Profile" ALTER COLUMN "links" SET NOT NULL;

-- ---- AgentGraph ------------------------------------------------------------------------------
ALTER TABLE "AgentGraph"
    ADD COLUMN "forkedFromId" TEXT,
    ADD COLUMN "forkedFromVersion" INTEGER,
    ADD COLUMN "recommendedScheduleCron" TEXT,
    ADD COLUMN "instructions" TEXT;

ALTER TABLE "AgentGraph" ADD CONSTRAINT "AgentGraph_forkedFromId_forkedFromVersion_fkey"
    FOREIGN KEY ("forkedFromId", "forkedFromVersion") REFERENCES "AgentGraph"("id", "version")
    ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "AgentGraph_forkedFromId_forkedFromVersion_idx" ON "AgentGraph"("forkedFromId", "forkedFromVersion");

-- The platform's index also covers id and version, so a user's active graphs are read from it alone.
DROP INDEX "AgentGraph_userId_isActive_idx";
CREATE INDEX "AgentGraph_userId_isActive_id_version_idx" ON "AgentGraph"("userId", "isActive", "id", "version");

-- ---- AgentNode -------------------------------------------------------------------------------
-- webhookId points at the platform's IntegrationWebhook table, which this project doesn't have:
-- the column stays nullable and has no foreign key here.
ALTER TABLE "AgentNode" ADD COLUMN "webhookId" TEXT;
CREATE INDEX "AgentNode_webhookId_idx" ON "AgentNode"("webhookId");
CREATE INDEX "AgentNode_agentBlockId_idx" ON "AgentNode"("agentBlockId");

-- The platform's defaults are json literals (from when these columns were json), assigned to jsonb.
ALTER TABLE "AgentNode" ALTER COLUMN "constantInput" SET DEFAULT '{}'::json;
ALTER TABLE "AgentNode" ALTER COLUMN "metadata" SET DEFAULT '{}'::json;

-- ---- AgentGraphExecution ---------------------------------------------------------------------
-- agentPresetId points at the platform's AgentPreset table, which this project doesn't have: the
-- column stays nullable and has no foreign key here.
ALTER TABLE "AgentGraphExecution"
    ADD COLUMN "agentPresetId" TEXT,
    ADD COLUMN "credentialInputs" JSONB,
    ADD COLUMN "inputs" JSONB,
    ADD COLUMN "nodesInputMasks" JSONB,
    ADD COLUMN "isShared" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "shareToken" TEXT,
    ADD COLUMN "sharedAt" TIMESTAMP(3),
    ADD COLUMN "parentGraphExecutionId" TEXT;

ALTER TABLE "AgentGraphExecution" ADD CONSTRAINT "AgentGraphExecution_parentGraphExecutionId_fkey"
    FOREIGN KEY ("parentGraphExecutionId") REFERENCES "AgentGraphExecution"("id")
    ON DELETE SET NULL ON UPDATE CASCADE;

CREATE INDEX "AgentGraphExecution_agentPresetId_idx" ON "AgentGraphExecution"("agentPresetId");
CREATE INDEX "AgentGraphExecution_parentGraphExecutionId_idx" ON "AgentGraphExecution"("parentGraphExecutionId");
CREATE UNIQUE INDEX "AgentGraphExecution_shareToken_key" ON "AgentGraphExecution"("shareToken");
CREATE INDEX "AgentGraphExecution_shareToken_idx" ON "AgentGraphExecution"("shareToken");

-- ---- AgentNodeExecution ----------------------------------------------------------------------
-- The platform replaced the single-column indexes with ones that also cover the status.
DROP INDEX "AgentNodeExecution_agentGraphExecutionId_idx";
DROP INDEX "AgentNodeExecution_agentNodeId_idx";
-- 63 bytes: the name PostgreSQL keeps of Prisma's default for these three columns.
CREATE INDEX "AgentNodeExecution_agentGraphExecutionId_agentNodeId_execut_idx"
    ON "AgentNodeExecution"("agentGraphExecutionId", "agentNodeId", "executionStatus");
CREATE INDEX "AgentNodeExecution_agentNodeId_executionStatus_idx" ON "AgentNodeExecution"("agentNodeId", "executionStatus");
CREATE INDEX "AgentNodeExecution_addedTime_queuedTime_idx" ON "AgentNodeExecution"("addedTime", "queuedTime");

-- ---- CreditTransaction -----------------------------------------------------------------------
-- The platform's foreign key has no ON DELETE action of its own (NO ACTION), where ours said RESTRICT.
ALTER TABLE "CreditTransaction" DROP CONSTRAINT "CreditTransaction_userId_fkey";
ALTER TABLE "CreditTransaction" ADD CONSTRAINT "CreditTransaction_userId_fkey"
    FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- ---- StoreListing ----------------------------------------------------------------------------
ALTER TABLE "StoreListing"
    ADD COLUMN "agentGraphVersion" INTEGER,
    ADD COLUMN "useForOnboarding" BOOLEAN NOT NULL DEFAULT false;

-- The platform requires the listing's graph version. Existing listings take their newest
-- version's graph version (of the listing's own graph), else the highest version of their graph.
UPDATE "StoreListing" sl
SET "agentGraphVersion" = COALESCE(
    (SELECT slv."agentGraphVersion" FROM "StoreListingVersion" slv
     WHERE slv."storeListingId" = sl."id" AND slv."agentGraphId" = sl."agentGraphId"
     ORDER BY slv."version" DESC
     LIMIT 1),
    (SELECT MAX(g."version") FROM "AgentGraph" g WHERE g."id" = sl."agentGraphId")
);

DO $$
DECLARE
    orphan TEXT;
BEGIN
    SELECT "id" INTO orphan FROM "StoreListing" WHERE "agentGraphVersion" IS NULL LIMIT 1;
    IF orphan IS NOT NULL THEN
        RAISE EXCEPTION 'StoreListing % has no version and its graph has no AgentGraph row: its agentGraphVersion cannot be filled in', orphan;
    END IF;
END
$$;

ALTER TABLE "StoreListing" ALTER COLUMN "agentGraphVersion" SET NOT NULL;
ALTER TABLE "StoreListing" ADD CONSTRAINT "StoreListing_agentGraphId_agentGraphVersion_fkey"
    FOREIGN KEY ("agentGraphId", "agentGraphVersion") REFERENCES "AgentGraph"("id", "version")
    ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "StoreListing_agentGraphId_agentGraphVersion_idx" ON "StoreListing"("agentGraphId", "agentGraphVersion");

-- ---- StoreListingVersion ---------------------------------------------------------------------
ALTER TABLE "StoreListingVersion"
    ADD COLUMN "videoUrl" TEXT,
    ADD COLUMN "reviewComments" TEXT,
    ADD COLUMN "internalComments" TEXT,
    ADD COLUMN "changesSummary" TEXT,
    ADD COLUMN "recommendedScheduleCron" TEXT,
    ADD COLUMN "instructions" TEXT,
    ADD COLUMN "search" tsvector DEFAULT ''::tsvector,
    ADD COLUMN "agentOutputDemoUrl" TEXT;

UPDATE "StoreListingVersion" SET "imageUrls" = '{}' WHERE "imageUrls" IS NULL;
UPDATE "StoreListingVersion" SET "categories" = '{}' WHERE "categories" IS NULL;
ALTER TABLE "StoreListingVersion" ALTER COLUMN "imageUrls" SET NOT NULL;
ALTER TABLE "StoreListingVersion" ALTER COLUMN "categories" SET NOT NULL;

CREATE INDEX "StoreListingVersion_reviewerId_idx" ON "StoreListingVersion"("reviewerId");
CREATE INDEX "StoreListingVersion_submissionStatus_idx" ON "StoreListingVersion"("submissionStatus");
-- 63 bytes: the name PostgreSQL keeps of Prisma's default for these three columns.
CREATE INDEX "StoreListingVersion_storeListingId_submissionStatus_isAvail_idx"
    ON "StoreListingVersion"("storeListingId", "submissionStatus", "isAvailable");

-- ---- StoreListingReview ----------------------------------------------------------------------
-- The platform has no check on the score; keeping it in 1..5 is the writers' job.
ALTER TABLE "StoreListingReview" DROP CONSTRAINT "StoreListingReview_score_check";
CREATE INDEX "StoreListingReview_reviewByUserId_idx" ON "StoreListingReview"("reviewByUserId");

-- ---- UserBalance -----------------------------------------------------------------------------
CREATE INDEX "UserBalance_userId_idx" ON "UserBalance"("userId");

-- ---- Store views -----------------------------------------------------------------------------
-- mv_agent_run_counts and mv_review_stats keep their definitions; the platform also sorts reviews
-- by rating and by count.
CREATE INDEX "idx_mv_review_stats_rating" ON "mv_review_stats"(avg_rating DESC);
CREATE INDEX "idx_mv_review_stats_count" ON "mv_review_stats"(review_count DESC);

-- One row per live listing with an approved version, shown at its highest approved version (whose
-- graph version must exist), with the arrays of all its approved version numbers and graph versions.
CREATE VIEW "StoreAgent" AS
WITH approved AS (
    SELECT
        v."storeListingId",
        MAX(v."version") AS top_version,
        array_agg(DISTINCT v."version"::text ORDER BY v."version"::text) AS version_list,
        array_agg(DISTINCT v."agentGraphVersion"::text ORDER BY v."agentGraphVersion"::text) AS graph_version_list
    FROM "StoreListingVersion" v
    WHERE v."submissionStatus" = 'APPROVED'
    GROUP BY v."storeListingId"
)
SELECT
    sl."id" AS listing_id,
    slv."id" AS "storeListingVersionId",
    slv."createdAt" AS updated_at,
    sl."slug",
    COALESCE(slv."name", '') AS agent_name,
    slv."videoUrl" AS agent_video,
    slv."agentOutputDemoUrl" AS agent_output_demo,
    COALESCE(slv."imageUrls", '{}'::text[]) AS agent_image,
    slv."isFeatured" AS featured,
    p."username" AS creator_username,
    p."avatarUrl" AS creator_avatar,
    slv."subHeading" AS sub_heading,
    slv."description",
    slv."categories",
    COALESCE(rc.run_count, 0) AS runs,
    COALESCE(rs.avg_rating, 0)::double precision AS rating,
    COALESCE(ap.version_list, ARRAY[slv."version"::text]) AS versions,
    COALESCE(ap.graph_version_list, ARRAY[slv."agentGraphVersion"::text]) AS "agentGraphVersions",
    slv."agentGraphId",
    slv."isAvailable" AS is_available,
    COALESCE(sl."useForOnboarding", false) AS "useForOnboarding"
FROM "StoreListing" sl
JOIN approved ap ON ap."storeListingId" = sl."id"
JOIN "StoreListingVersion" slv
    ON slv."storeListingId" = sl."id"
   AND slv."version" = ap.top_version
   AND slv."submissionStatus" = 'APPROVED'
JOIN "AgentGraph" g ON g."id" = slv."agentGraphId" AND g."version" = slv."agentGraphVersion"
LEFT JOIN "Profile" p ON p."userId" = sl."owningUserId"
LEFT JOIN "mv_review_stats" rs ON rs."storeListingId" = sl."id"
LEFT JOIN "mv_agent_run_counts" rc ON rc."agentGraphId" = g."id"
WHERE sl."isDeleted" = false
  AND sl."hasApprovedVersion" = true;

-- One row per profile with its store statistics. The rows behind them are every approved version
-- of the owner's live listings, times each review (or none), times each category (or none), which
-- weights agent_rating by the category fan-out as the platform's view does; agent_runs adds the
-- distinct run counts.
CREATE VIEW "Creator" AS
WITH listed AS (
    SELECT
        sl."owningUserId" AS owner_id,
        sl."id" AS listing_id,
        slv."categories",
        r."score",
        rc.run_count
    FROM "StoreListing" sl
    JOIN "StoreListingVersion" slv
        ON slv."storeListingId" = sl."id"
       AND slv."submissionStatus" = 'APPROVED'
    LEFT JOIN "StoreListingReview" r ON r."storeListingVersionId" = slv."id"
    LEFT JOIN "mv_agent_run_counts" rc ON rc."agentGraphId" = slv."agentGraphId"
    WHERE sl."isDeleted" = false
      AND sl."hasApprovedVersion" = true
),
per_owner AS (
    SELECT
        l.owner_id,
        COUNT(DISTINCT l.listing_id) AS listings,
        AVG(COALESCE(l."score", 0)::numeric) AS mean_score,
        SUM(DISTINCT COALESCE(l.run_count, 0)) AS run_total,
        array_agg(DISTINCT c.category ORDER BY c.category) FILTER (WHERE c.category IS NOT NULL) AS category_list
    FROM listed l
    LEFT JOIN LATERAL unnest(COALESCE(l."categories", '{}'::text[])) AS c(category) ON true
    GROUP BY l.owner_id
)
SELECT
    p."username",
    p."name",
    p."avatarUrl" AS avatar_url,
    p."description",
    po.category_list AS top_categories,
    p."links",
    p."isFeatured" AS is_featured,
    COALESCE(po.listings, 0) AS num_agents,
    COALESCE(po.mean_score, 0.0) AS agent_rating,
    COALESCE(po.run_total, 0) AS agent_runs
FROM "Profile" p
LEFT JOIN per_owner po ON po.owner_id = p."userId";

-- One row per version (any status) of every live listing, with the runs of its graph (every
-- version, every user) and the average score of that version's reviews.
CREATE VIEW "StoreSubmission" AS
SELECT
    sl."id" AS listing_id,
    sl."owningUserId" AS user_id,
    slv."agentGraphId" AS agent_id,
    slv."agentGraphVersion" AS agent_version,
    sl."slug",
    COALESCE(slv."name", '') AS name,
    slv."subHeading" AS sub_heading,
    slv."description",
    slv."instructions",
    slv."imageUrls" AS image_urls,
    slv."submittedAt" AS date_submitted,
    slv."submissionStatus" AS status,
    COALESCE(runs.n, 0) AS runs,
    COALESCE(scores.mean, 0)::double precision AS rating,
    slv."id" AS store_listing_version_id,
    slv."reviewerId" AS reviewer_id,
    slv."reviewComments" AS review_comments,
    slv."internalComments" AS internal_comments,
    slv."reviewedAt" AS reviewed_at,
    slv."changesSummary" AS changes_summary,
    slv."videoUrl" AS video_url,
    slv."categories"
FROM "StoreListing" sl
JOIN "StoreListingVersion" slv ON slv."storeListingId" = sl."id"
LEFT JOIN (
    SELECT e."agentGraphId", COUNT(*) AS n
    FROM "AgentGraphExecution" e
    GROUP BY e."agentGraphId"
) runs ON runs."agentGraphId" = slv."agentGraphId"
LEFT JOIN LATERAL (
    SELECT AVG(r."score"::numeric) AS mean
    FROM "StoreListingReview" r
    WHERE r."storeListingVersionId" = slv."id"
) scores ON true
WHERE sl."isDeleted" = false;
