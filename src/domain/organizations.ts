// Organisation tenancy (the platform's 2026 branch): every user has a personal organisation, and each
// graph, run and listing is booked to one. A user's personal organisation is the Organization with
// isPersonal in which the user's OrgMember row has isOwner; its default team is its Team with isDefault.
import { ORGANIZATION_WRITES, type OrgBooking, type OrganizationRows } from "../schema/storeColumns.js";
import type { TargetShape } from "../schema/targetShape.js";
import type { Tx } from "../connection/transaction.js";

/** Writes the organisations' rows to the tables the target has (Organization first: the others refer to it). */
export async function writePersonalOrganizations(tx: Tx, shape: TargetShape, rows: OrganizationRows): Promise<void> {
  for (const [key, write] of Object.entries(ORGANIZATION_WRITES))
    await shape.write<Record<string, unknown>>(tx, write, rows[key as keyof OrganizationRows]);
}

/** Organization slugs and OrganizationProfile usernames already taken (one namespace: a username is its slug). */
export async function takenOrganizationSlugs(tx: Tx, shape: TargetShape): Promise<string[]> {
  if (!shape.hasOrganizations) return [];
  const profiles = shape.hasTable("OrganizationProfile") ? `UNION SELECT "username" FROM "OrganizationProfile"` : "";
  const rows = await tx.$queryRawUnsafe<Array<{ slug: string }>>(`SELECT "slug" FROM "Organization" ${profiles}`);
  return rows.map((r) => r.slug);
}

/** Each user's personal organisation and its default team (the oldest, should there be several). */
export async function readPersonalOrganizations(
  tx: Tx,
  shape: TargetShape,
  userIds: readonly string[],
): Promise<Map<string, OrgBooking>> {
  const defaultTeam = shape.hasTable("Team")
    ? `(SELECT t."id" FROM "Team" t WHERE t."orgId" = o."id" AND t."isDefault" ORDER BY t."createdAt", t."id" LIMIT 1)`
    : "NULL::text";
  const rows = await tx.$queryRawUnsafe<Array<{ userId: string; organizationId: string; teamId: string | null }>>(
    `SELECT DISTINCT ON (m."userId") m."userId", o."id" AS "organizationId", ${defaultTeam} AS "teamId"
     FROM "OrgMember" m JOIN "Organization" o ON o."id" = m."orgId"
     WHERE m."userId" = ANY($1::text[]) AND m."isOwner" AND o."isPersonal"
     ORDER BY m."userId", o."createdAt", o."id"`,
    [...userIds],
  );
  return new Map(rows.map((r) => [r.userId, { organizationId: r.organizationId, teamId: r.teamId }]));
}
