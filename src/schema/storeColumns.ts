// Per table, the columns the bulk path writes (creator, updater, bench; the rest get their defaults), named by the
// fields of Prisma's create inputs so a renamed field fails to compile; their types are the target's (targetShape.ts).
import type { Prisma } from "../generated/prisma/client.js";
import type { BulkConflict } from "../bulk/bulkInsert.js";

/** Where a graph or run is booked on the organisation-tenancy platform (src/domain/organizations.ts). */
export interface OrgBooking {
  organizationId?: string;
  /** The organisation's default team; null where it has none. */
  teamId?: string | null;
}

export interface WriteColumn<Row> {
  /** The row's field of this name is the column's value (null/undefined: SQL NULL). */
  name: keyof Row & string;
  /** Left out where the target lacks it (src/schema/targetShape.ts). */
  optional?: boolean;
  /** Written only where the target also has this table (an organisation id needs Organization). */
  onlyWith?: string;
}

export interface TableWrite<Row = never> {
  table: string;
  columns: ReadonlyArray<WriteColumn<Row>>;
  /** Rows are only updated (by the first column), never inserted: unfilled NOT NULL columns don't matter. */
  updateOnly?: boolean;
  /** The command works without this table (it then writes nothing to it). */
  optionalTable?: boolean;
  onConflict?: BulkConflict;
}

interface TableWriteSpec<Row> extends Omit<TableWrite<Row>, "columns"> {
  columns: ReadonlyArray<keyof Row & string>;
  optional?: ReadonlyArray<keyof Row & string>;
  /** Booked to an organisation: written only where the target has organisations (OrgBooking). */
  organization?: ReadonlyArray<keyof Row & string>;
}

function tableWrite<Row>({ columns, optional = [], organization = [], ...how }: TableWriteSpec<Row>): TableWrite<Row> {
  return {
    ...how,
    columns: [
      ...columns.map((name) => ({ name })),
      ...optional.map((name) => ({ name, optional: true })),
      ...organization.map((name) => ({ name, optional: true, onlyWith: "Organization" })),
    ],
  };
}

export const USERS = tableWrite<Prisma.UserCreateManyInput>({
  table: "User",
  columns: ["id", "email", "createdAt", "updatedAt"],
  optional: ["name", "metadata", "integrations"],
});

export const PROFILES = tableWrite<Prisma.ProfileCreateManyInput>({
  table: "Profile",
  columns: ["id", "userId", "name", "username", "description", "links", "createdAt", "updatedAt"],
  optional: ["avatarUrl"],
});

export const AGENT_BLOCKS = tableWrite<Prisma.AgentBlockCreateManyInput>({
  table: "AgentBlock",
  columns: ["id", "name", "inputSchema", "outputSchema"],
});

export const AGENT_GRAPHS = tableWrite<Prisma.AgentGraphCreateManyInput & OrgBooking>({
  table: "AgentGraph",
  columns: ["id", "version", "name", "isActive", "userId", "createdAt"],
  optional: ["description", "updatedAt"],
  organization: ["organizationId", "teamId"],
});

export const AGENT_NODES = tableWrite<Prisma.AgentNodeCreateManyInput>({
  table: "AgentNode",
  columns: ["id", "agentBlockId", "agentGraphId", "agentGraphVersion"],
  optional: ["constantInput", "metadata"],
});

export const GRAPH_EXECUTIONS = tableWrite<Prisma.AgentGraphExecutionCreateManyInput & OrgBooking>({
  table: "AgentGraphExecution",
  columns: ["id", "agentGraphId", "agentGraphVersion", "userId", "executionStatus", "createdAt", "startedAt"],
  optional: ["updatedAt", "endedAt", "stats"],
  organization: ["organizationId", "teamId"],
});

export const NODE_EXECUTIONS = tableWrite<Prisma.AgentNodeExecutionCreateManyInput>({
  table: "AgentNodeExecution",
  columns: ["id", "agentGraphExecutionId", "agentNodeId", "executionStatus", "addedTime", "startedTime", "endedTime"],
  optional: ["queuedTime", "stats"],
});

export const STORE_LISTINGS = tableWrite<Prisma.StoreListingCreateManyInput & { owningOrgId?: string }>({
  table: "StoreListing",
  columns: ["id", "slug", "agentGraphId", "owningUserId", "hasApprovedVersion", "isDeleted", "createdAt", "updatedAt"],
  // agentGraphVersion: dropped again by the platform in 2026 (the listing's graph version is its active version's).
  optional: ["agentGraphVersion"],
  organization: ["owningOrgId"],
});

export const STORE_LISTING_VERSIONS = tableWrite<Prisma.StoreListingVersionCreateManyInput>({
  table: "StoreListingVersion",
  columns: [
    "id",
    "version",
    "storeListingId",
    "agentGraphId",
    "agentGraphVersion",
    "name",
    "subHeading",
    "description",
    "imageUrls",
    "categories",
    "isFeatured",
    "isDeleted",
    "submissionStatus",
    "createdAt",
    "updatedAt",
  ],
  optional: ["isAvailable", "submittedAt", "reviewerId", "reviewedAt"],
});

/** The creator sets a listing's active version once its versions exist (key first). */
export const LISTING_ACTIVE_VERSIONS = tableWrite<{ id: string; activeVersionId: string; updatedAt: Date }>({
  table: "StoreListing",
  columns: ["id", "activeVersionId", "updatedAt"],
  updateOnly: true,
});

export const REVIEWS = tableWrite<Prisma.StoreListingReviewCreateManyInput>({
  table: "StoreListingReview",
  columns: ["id", "storeListingVersionId", "reviewByUserId", "score", "createdAt", "updatedAt"],
  optional: ["comments"],
});

export const CREDIT_TRANSACTIONS = tableWrite<Prisma.CreditTransactionCreateManyInput>({
  table: "CreditTransaction",
  columns: ["transactionKey", "userId", "type", "amount", "runningBalance", "isActive", "createdAt"],
  optional: ["metadata"],
});

export const USER_BALANCES = tableWrite<Prisma.UserBalanceCreateManyInput>({
  table: "UserBalance",
  columns: ["userId", "balance", "updatedAt"],
  // Platform releases before Oct 2025 have no UserBalance: the chain then lives in runningBalance alone.
  optionalTable: true,
  onConflict: { doUpdate: { key: "userId", set: ["balance", "updatedAt"] } },
});

/** The updater's listing changes (key first). */
export const VERSION_UPDATES = tableWrite<{ id: string; categories: string[]; isFeatured: boolean; updatedAt: Date }>({
  table: "StoreListingVersion",
  columns: ["id", "categories", "isFeatured"],
  optional: ["updatedAt"],
  updateOnly: true,
});

// A user's personal organisation as the tenancy platform's start-up writes it (src/create/people.ts), in six tables our
// Prisma schema lacks; enums (member and seat status, seat type, join policy) keep their defaults ACTIVE, FREE, OPEN.
const orgWrite = <Column extends string>(table: string, columns: Column[], optional: Column[] = []) =>
  tableWrite<Record<Column | "createdAt" | "updatedAt", unknown>>({
    table,
    columns: [...columns, "createdAt", "updatedAt"],
    optional,
    optionalTable: true,
  });

/** Written where the target has them (organisation tenancy), in this order: the others refer to Organization. */
export const ORGANIZATION_WRITES = {
  orgs: orgWrite("Organization", ["id", "name", "slug", "isPersonal"], ["bootstrapUserId"]),
  members: orgWrite("OrgMember", ["id", "orgId", "userId", "isOwner", "isAdmin"]),
  teams: orgWrite("Team", ["id", "orgId", "name", "isDefault"], ["createdByUserId"]),
  teamMembers: orgWrite("TeamMember", ["id", "teamId", "userId", "isAdmin"]),
  orgProfiles: orgWrite("OrganizationProfile", ["organizationId", "username"], ["displayName"]),
  seats: orgWrite("OrganizationSeatAssignment", ["id", "organizationId", "userId"]),
};

/** A batch's rows for each of the organisation tables. */
export type OrganizationRows = {
  [T in keyof typeof ORGANIZATION_WRITES]: Array<
    Record<(typeof ORGANIZATION_WRITES)[T]["columns"][number]["name"], unknown>
  >;
};

/** Every table and column the creator writes, checked against the target before its first write. */
export const CREATOR_WRITES: readonly TableWrite[] = [
  USERS,
  PROFILES,
  AGENT_BLOCKS,
  AGENT_GRAPHS,
  AGENT_NODES,
  GRAPH_EXECUTIONS,
  NODE_EXECUTIONS,
  STORE_LISTINGS,
  LISTING_ACTIVE_VERSIONS,
  STORE_LISTING_VERSIONS,
  REVIEWS,
  CREDIT_TRANSACTIONS,
  USER_BALANCES,
  ...Object.values(ORGANIZATION_WRITES),
];

export const UPDATER_WRITES: readonly TableWrite[] = [
  GRAPH_EXECUTIONS,
  NODE_EXECUTIONS,
  REVIEWS,
  VERSION_UPDATES,
  CREDIT_TRANSACTIONS,
  USER_BALANCES,
];
