// Before step 1: the creator's rows the new data hangs off, in id order so the same seed on the
// same database picks the same rows.
import { CommandError } from "../shared/errors.js";
import { quoteIdentifier } from "../shared/identifier.js";
import type { OrgBooking } from "../schema/storeColumns.js";
import type { TargetShape } from "../schema/targetShape.js";
import type { Tx } from "../connection/transaction.js";
import { SubmissionStatus } from "../generated/prisma/enums.js";
import { readPersonalOrganizations } from "../domain/organizations.js";

export interface BaseGraph {
  id: string;
  version: number;
}
/** A listing the store shows, at the version it shows (new reviews and listing changes go there). */
export interface BaseListing {
  id: string;
  versionId: string;
  isFeatured: boolean;
}
export interface BaseData {
  userIds: string[];
  /** Who runs graphs: every base user, or on the tenancy platform those with a personal organisation. */
  runners: { userIds: string[]; organizations?: Map<string, OrgBooking> };
  /** Tenancy platform: base users left out as runners, having no personal organisation; else null. */
  usersWithoutPersonalOrg: number | null;
  graphs: BaseGraph[];
  listings: BaseListing[];
}

export const NO_PERSONAL_ORGANIZATION =
  "no user has a personal organisation: start the platform's backend once (its start-up makes them), then run again";

export async function loadBaseData(
  tx: Tx,
  shape: TargetShape,
  limits: { users: number; graphs: number; listings: number },
): Promise<BaseData> {
  const [users, graphs, listings] = await Promise.all([
    tx.user.findMany({ select: { id: true }, orderBy: { id: "asc" }, take: limits.users }),
    tx.agentGraph.findMany({
      where: { isActive: true },
      select: { id: true, version: true },
      orderBy: [{ id: "asc" }, { version: "asc" }],
      take: limits.graphs,
    }),
    storeListings(tx, limits.listings),
  ]);
  if (users.length === 0 || graphs.length === 0 || listings.length === 0) {
    throw new CommandError(
      `not enough base data (${users.length} users, ${graphs.length} active graphs, ` +
        `${listings.length} listings in the store): run the creator first (npm run create)`,
    );
  }
  const userIds = users.map((u) => u.id);
  const organizations = shape.hasOrganizations ? await readPersonalOrganizations(tx, shape, userIds) : undefined;
  const runnerIds = organizations ? userIds.filter((id) => organizations.has(id)) : userIds;
  if (runnerIds.length === 0) throw new CommandError(NO_PERSONAL_ORGANIZATION);
  return {
    userIds,
    runners: { userIds: runnerIds, organizations },
    usersWithoutPersonalOrg: organizations ? userIds.length - runnerIds.length : null,
    graphs,
    listings,
  };
}

// What the store shows is what its own StoreAgent view shows, under the names releases gave its columns
// (v0.6.44 storeListingVersionId; since 2026-03 listing_version_id, the listing's active version).
const STORE_AGENT_LISTING = ["listing_id", "storeListingId"];
const STORE_AGENT_VERSION = ["listing_version_id", "storeListingVersionId"];

/** The first `limit` listings (by id) the store shows, each at the version it shows. */
async function storeListings(tx: Tx, limit: number): Promise<BaseListing[]> {
  const columns = await tx.$queryRaw<Array<{ name: string }>>`
    SELECT a.attname::text AS name FROM pg_attribute a
    WHERE a.attrelid = to_regclass('"StoreAgent"') AND a.attnum > 0 AND NOT a.attisdropped
      AND a.atttypid = 'text'::regtype`;
  const names = new Set(columns.map((c) => c.name));
  const listing = STORE_AGENT_LISTING.find((n) => names.has(n));
  const version = STORE_AGENT_VERSION.find((n) => names.has(n));
  if (listing && version) {
    const [l, v] = [quoteIdentifier(listing), quoteIdentifier(version)];
    return tx.$queryRawUnsafe<BaseListing[]>(
      `SELECT DISTINCT ON (s.${l}) s.${l} AS "id", v."id" AS "versionId", v."isFeatured"
       FROM "StoreAgent" s JOIN "StoreListingVersion" v ON v."id" = s.${v}
       ORDER BY s.${l} LIMIT $1`,
      limit,
    );
  }
  // No StoreAgent view we can read: v0.6.44's rule, live listings at their highest APPROVED version.
  const rows = await tx.storeListing.findMany({
    where: {
      hasApprovedVersion: true,
      isDeleted: false,
      Versions: { some: { submissionStatus: SubmissionStatus.APPROVED } },
    },
    select: {
      id: true,
      Versions: {
        where: { submissionStatus: SubmissionStatus.APPROVED },
        select: { id: true, isFeatured: true },
        orderBy: { version: "desc" },
        take: 1,
      },
    },
    orderBy: { id: "asc" },
    take: limit,
  });
  return rows.map((r) => ({ id: r.id, versionId: r.Versions[0]!.id, isFeatured: r.Versions[0]!.isFeatured }));
}

export async function loadGraphNodes(tx: Tx, graphs: BaseGraph[]): Promise<Map<string, string[]>> {
  const nodes = await tx.agentNode.findMany({
    where: { agentGraphId: { in: [...new Set(graphs.map((g) => g.id))] } },
    select: { id: true, agentGraphId: true, agentGraphVersion: true },
    // The graph index's order: without planner statistics, "ORDER BY id" alone may walk the whole table.
    orderBy: [{ agentGraphId: "asc" }, { agentGraphVersion: "asc" }, { id: "asc" }],
  });
  const byGraph = new Map<string, string[]>(graphs.map((g) => [graphKey(g), []]));
  for (const node of nodes)
    byGraph.get(graphKey({ id: node.agentGraphId, version: node.agentGraphVersion }))?.push(node.id);
  return byGraph;
}

export const graphKey = (graph: BaseGraph): string => `${graph.id}@${graph.version}`;
