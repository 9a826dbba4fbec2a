// Store listings (one per graph), their versions, and reviews of the approved versions.
import { SubmissionStatus, type Prisma } from "../generated/prisma/client.js";
import { LISTING_ACTIVE_VERSIONS, REVIEWS, STORE_LISTINGS, STORE_LISTING_VERSIONS } from "../schema/storeColumns.js";
import { DAY, HOUR, MINUTE, Purpose, between, increasingTimes, newId, otherUsers } from "./context.js";
import type { CreateContext } from "./context.js";
import { reviewRow, type ReviewRow } from "../domain/reviews.js";
import { imageUrl, slugify } from "./content.js";
import { STORE_CATEGORIES } from "../domain/storeVocabulary.js";
import type { CreatedGraph } from "./graphs.js";

export interface CreatedVersion {
  id: string;
  ownerIndex: number;
  status: SubmissionStatus;
  /** ms since the epoch; set for APPROVED and REJECTED versions */
  reviewedAt: number | null;
}

// Only a reviewed version gets a successor; the newest may still be a draft or pending.
const { DRAFT, PENDING, APPROVED, REJECTED } = SubmissionStatus;
const OLDER_STATUSES = [APPROVED, REJECTED];
const OLDER_WEIGHTS = [70, 30];
const NEWEST_STATUSES = [DRAFT, PENDING, APPROVED, REJECTED];
const NEWEST_WEIGHTS = [10, 25, 45, 20];
/** Store moderators feature a fifth of the approved versions. */
const FEATURED_PROBABILITY = 0.2;

/** One listing per graph, of the version the store shows; older listing versions point at the graph versions
 *  before it. Unlike the platform's creator, hasApprovedVersion is true exactly when a version is APPROVED, and
 *  activeVersionId is then the newest APPROVED one. A version is reviewed by another user (an admin) of any
 *  batch, who had signed up by then. */
export async function createStoreListings(ctx: CreateContext, graphs: CreatedGraph[]): Promise<CreatedVersion[]> {
  const { random, now, options, counts, shape, tx } = ctx;
  const faker = random.faker;
  const versionRows: Prisma.StoreListingVersionCreateManyInput[] = [];
  const versions: CreatedVersion[] = [];
  const activeVersions: Array<{ id: string; activeVersionId: string; updatedAt: Date }> = [];
  // Listings and versions refer to each other: listings first, activeVersionId once versions exist.
  counts.listings += await shape.write(tx, STORE_LISTINGS, listingRows());
  counts.versions += await shape.write(tx, STORE_LISTING_VERSIONS, versionRows);
  // One statement for the batch's listings, not a round trip each.
  counts.approvedListings += await shape.write(tx, LISTING_ACTIVE_VERSIONS, activeVersions);
  for (const version of versions) counts.versionsByStatus[version.status]++;
  return versions;

  /** The listings, made as COPY takes them; their versions go to the arrays above. */
  function* listingRows(): Generator<Prisma.StoreListingCreateManyInput & { owningOrgId?: string }> {
    let slugs = new Set<string>(); // the owner's: a slug is unique per owner
    let owner = -1;

    for (const graph of graphs) {
      if (!graph.shown) continue;
      if (graph.owner.index !== owner) {
        random.reseed(Purpose.store, (owner = graph.owner.index));
        slugs = new Set();
      }
      const listingId = newId(ctx);
      const listingCreatedAt = between(random, graph.createdAt + HOUR, now - 20 * DAY);
      const count = random.int(1, options.maxVersionsPerListing);
      const laterTimes = increasingTimes(random, listingCreatedAt + 1, now - 10 * DAY, count - 1);
      const createdTimes = [listingCreatedAt, ...laterTimes];
      let lastUpdate = listingCreatedAt;
      let activeVersionId: string | null = null;

      for (let i = 0; i < count; i++) {
        const createdAt = createdTimes[i]!;
        const newest = i === count - 1;
        const status = newest
          ? random.weighted(NEWEST_STATUSES, NEWEST_WEIGHTS)
          : random.weighted(OLDER_STATUSES, OLDER_WEIGHTS);
        const submittedAt = status === DRAFT ? null : createdAt + random.int(MINUTE, 2 * DAY);
        const reviewed = status === APPROVED || status === REJECTED;
        const reviewer = reviewed ? otherUsers(ctx, graph.owner.index, 1)[0] : undefined;
        // A reviewed version was submitted; with one user alone, there is no other to review it.
        const reviewedAt = reviewed
          ? Math.max(submittedAt!, reviewer?.createdAt ?? 0) + random.int(HOUR, 5 * DAY)
          : null;
        const updatedAt = reviewedAt ?? submittedAt ?? createdAt;
        const version: CreatedVersion = { id: newId(ctx), ownerIndex: graph.owner.index, status, reviewedAt };
        versions.push(version);
        versionRows.push({
          id: version.id,
          version: i + 1,
          storeListingId: listingId,
          agentGraphId: graph.id,
          agentGraphVersion: Math.max(1, graph.version - (count - 1 - i)),
          name: graph.name,
          subHeading: faker.company.catchPhrase(),
          description: faker.lorem.paragraphs(2),
          imageUrls: Array.from({ length: 3 }, () => imageUrl(random)),
          categories: random.sample(STORE_CATEGORIES, 3),
          isFeatured: status === APPROVED && random.chance(FEATURED_PROBABILITY),
          isAvailable: true,
          isDeleted: false,
          submissionStatus: status,
          submittedAt: submittedAt === null ? null : new Date(submittedAt),
          reviewerId: reviewer?.id ?? null,
          reviewedAt: reviewedAt === null ? null : new Date(reviewedAt),
          createdAt: new Date(createdAt),
          updatedAt: new Date(updatedAt),
        });
        lastUpdate = Math.max(lastUpdate, updatedAt);
        if (status === APPROVED) activeVersionId = version.id;
      }

      const baseSlug = slugify(random, graph.name);
      let slug = baseSlug;
      for (let n = 2; slugs.has(slug); n++) slug = `${baseSlug}-${n}`;
      slugs.add(slug);

      yield {
        id: listingId,
        slug,
        agentGraphId: graph.id,
        agentGraphVersion: graph.version,
        owningUserId: graph.owner.id,
        owningOrgId: graph.owner.booking.organizationId,
        hasApprovedVersion: activeVersionId !== null,
        isDeleted: false,
        createdAt: new Date(listingCreatedAt),
        updatedAt: new Date(lastUpdate),
      };
      if (activeVersionId !== null)
        activeVersions.push({ id: listingId, activeVersionId, updatedAt: new Date(lastUpdate) });
    }
  }
}

/** Reviews of APPROVED versions only (the store allows no others), each by a distinct user other than
 *  the owner, of any batch (all users are written before the first review), after approval. */
export async function createReviews(ctx: CreateContext, versions: CreatedVersion[]): Promise<void> {
  ctx.counts.reviews += await ctx.shape.write(ctx.tx, REVIEWS, planReviews(ctx, versions));
}

function* planReviews(ctx: CreateContext, versions: CreatedVersion[]): Generator<ReviewRow> {
  const { random, now, options } = ctx;
  let owner = -1;
  for (const version of versions) {
    if (version.ownerIndex !== owner) random.reseed(Purpose.reviews, (owner = version.ownerIndex));
    if (version.status !== APPROVED || version.reviewedAt === null) continue;
    const count = random.int(options.minReviewsPerVersion, options.maxReviewsPerVersion);
    for (const reviewer of otherUsers(ctx, owner, count)) {
      const createdAt = between(random, Math.max(version.reviewedAt, reviewer.createdAt) + MINUTE, now - MINUTE);
      yield reviewRow(random, newId(ctx), version.id, reviewer.id, new Date(createdAt));
    }
  }
}
