// Per table, the columns the bulk path writes (creator, updater, bench), typed against Prisma's create
// inputs so a renamed or retyped field fails to compile. An omitted column gets its default, undefined is
// NULL, and an `optional` column is dropped on a target that lacks it (older release; targetShape.ts).
import type { Prisma } from "../generated/prisma/client.js";
import type { BulkColumn, BulkConflict, BulkPgType } from "../bulk/bulkInsert.js";

const EXECUTION_STATUS = { enum: "AgentExecutionStatus" } as const;

/** Where a graph or run is booked on the organisation-tenancy platform (src/domain/organizations.ts). */
export interface OrgBooking {
  organizationId?: string;
  /** The organisation's default team; null where it has none. */
  teamId?: string | null;
}

/** The booking columns of AgentGraph and AgentGraphExecution, written where the target has organisations. */
const ORG_BOOKING_COLUMNS = [
  { name: "organizationId", pgType: "text", optional: true, onlyWith: "Organization" },
  { name: "teamId", pgType: "text", optional: true, onlyWith: "Organization" },
] as const;

/** One table a command writes: the columns it inserts (or only updates). */
export interface TableWrite<Row = never> {
  table: string;
  columns: ReadonlyArray<BulkColumn<Row>>;
  /** Rows are only updated (by the first column), never inserted: unfilled NOT NULL columns don't matter. */
  updateOnly?: boolean;
  /** The command works without this table (it then writes nothing to it). */
  optionalTable?: boolean;
  /** Rows are upserted on this key. */
  onConflict?: BulkConflict;
}

/** A table's write: its columns and how they are written (checked by readTargetShape, written by
 *  TargetShape.write). */
function tableWrite<Row>(
  table: string,
  columns: ReadonlyArray<BulkColumn<Row>>,
  how: Omit<TableWrite, "table" | "columns"> = {},
): TableWrite<Row> {
  return { table, columns, ...how };
}

export const USERS = tableWrite<Prisma.UserCreateManyInput>("User", [
  { name: "id", pgType: "text" },
  { name: "email", pgType: "text" },
  { name: "name", pgType: "text", optional: true },
  { name: "createdAt", pgType: "timestamp(3)" },
  { name: "updatedAt", pgType: "timestamp(3)" },
  { name: "metadata", pgType: "jsonb", optional: true },
  { name: "integrations", pgType: "text", optional: true },
]);

export const PROFILES = tableWrite<Prisma.ProfileCreateManyInput>("Profile", [
  { name: "id", pgType: "text" },
  { name: "userId", pgType: "text" },
  { name: "name", pgType: "text" },
  { name: "username", pgType: "text" },
  { name: "description", pgType: "text" },
  { name: "links", pgType: "text[]" },
  { name: "avatarUrl", pgType: "text", optional: true },
  { name: "createdAt", pgType: "timestamp(3)" },
  { name: "updatedAt", pgType: "timestamp(3)" },
]);

export const AGENT_BLOCKS = tableWrite<Prisma.AgentBlockCreateManyInput>("AgentBlock", [
  { name: "id", pgType: "text" },
  { name: "name", pgType: "text" },
  { name: "inputSchema", pgType: "text" },
  { name: "outputSchema", pgType: "text" },
]);

export const AGENT_GRAPHS = tableWrite<Prisma.AgentGraphCreateManyInput & OrgBooking>("AgentGraph", [
  { name: "id", pgType: "text" },
  { name: "version", pgType: "integer" },
  { name: "name", pgType: "text" },
  { name: "description", pgType: "text", optional: true },
  { name: "isActive", pgType: "boolean" },
  { name: "userId", pgType: "text" },
  { name: "createdAt", pgType: "timestamp(3)" },
  { name: "updatedAt", pgType: "timestamp(3)", optional: true },
  ...ORG_BOOKING_COLUMNS,
]);

export const AGENT_NODES = tableWrite<Prisma.AgentNodeCreateManyInput>("AgentNode", [
  { name: "id", pgType: "text" },
  { name: "agentBlockId", pgType: "text" },
  { name: "agentGraphId", pgType: "text" },
  { name: "agentGraphVersion", pgType: "integer" },
  { name: "constantInput", pgType: "jsonb", optional: true },
  { name: "metadata", pgType: "jsonb", optional: true },
]);

export const GRAPH_EXECUTIONS = tableWrite<Prisma.AgentGraphExecutionCreateManyInput & OrgBooking>(
  "AgentGraphExecution",
  [
    { name: "id", pgType: "text" },
    { name: "agentGraphId", pgType: "text" },
    { name: "agentGraphVersion", pgType: "integer" },
    { name: "userId", pgType: "text" },
    { name: "executionStatus", pgType: EXECUTION_STATUS },
    { name: "createdAt", pgType: "timestamp(3)" },
    { name: "updatedAt", pgType: "timestamp(3)", optional: true },
    { name: "startedAt", pgType: "timestamp(3)" },
    { name: "endedAt", pgType: "timestamp(3)", optional: true },
    { name: "stats", pgType: "jsonb", optional: true },
    ...ORG_BOOKING_COLUMNS,
  ],
);

export const NODE_EXECUTIONS = tableWrite<Prisma.AgentNodeExecutionCreateManyInput>("AgentNodeExecution", [
  { name: "id", pgType: "text" },
  { name: "agentGraphExecutionId", pgType: "text" },
  { name: "agentNodeId", pgType: "text" },
  { name: "executionStatus", pgType: EXECUTION_STATUS },
  { name: "addedTime", pgType: "timestamp(3)" },
  { name: "queuedTime", pgType: "timestamp(3)", optional: true },
  { name: "startedTime", pgType: "timestamp(3)" },
  { name: "endedTime", pgType: "timestamp(3)" },
  { name: "stats", pgType: "jsonb", optional: true },
]);

export const STORE_LISTINGS = tableWrite<Prisma.StoreListingCreateManyInput & { owningOrgId?: string }>(
  "StoreListing",
  [
    { name: "id", pgType: "text" },
    { name: "slug", pgType: "text" },
    { name: "agentGraphId", pgType: "text" },
    // Dropped again by the platform in 2026 (the listing's graph version is its active version's).
    { name: "agentGraphVersion", pgType: "integer", optional: true },
    { name: "owningUserId", pgType: "text" },
    { name: "owningOrgId", pgType: "text", optional: true, onlyWith: "Organization" },
    { name: "hasApprovedVersion", pgType: "boolean" },
    { name: "isDeleted", pgType: "boolean" },
    { name: "createdAt", pgType: "timestamp(3)" },
    { name: "updatedAt", pgType: "timestamp(3)" },
  ],
);

export const STORE_LISTING_VERSIONS = tableWrite<Prisma.StoreListingVersionCreateManyInput>("StoreListingVersion", [
  { name: "id", pgType: "text" },
  { name: "version", pgType: "integer" },
  { name: "storeListingId", pgType: "text" },
  { name: "agentGraphId", pgType: "text" },
  { name: "agentGraphVersion", pgType: "integer" },
  { name: "name", pgType: "text" },
  { name: "subHeading", pgType: "text" },
  { name: "description", pgType: "text" },
  { name: "imageUrls", pgType: "text[]" },
  { name: "categories", pgType: "text[]" },
  { name: "isFeatured", pgType: "boolean" },
  { name: "isAvailable", pgType: "boolean", optional: true },
  { name: "isDeleted", pgType: "boolean" },
  { name: "submissionStatus", pgType: { enum: "SubmissionStatus" } },
  { name: "submittedAt", pgType: "timestamp(3)", optional: true },
  { name: "reviewerId", pgType: "text", optional: true },
  { name: "reviewedAt", pgType: "timestamp(3)", optional: true },
  { name: "createdAt", pgType: "timestamp(3)" },
  { name: "updatedAt", pgType: "timestamp(3)" },
]);

/** The creator sets a listing's active version once its versions exist (key first). */
export const LISTING_ACTIVE_VERSIONS = tableWrite<{ listingId: string; versionId: string; updatedAt: Date }>(
  "StoreListing",
  [
    { name: "id", pgType: "text", value: (a) => a.listingId },
    { name: "activeVersionId", pgType: "text", value: (a) => a.versionId },
    { name: "updatedAt", pgType: "timestamp(3)" },
  ],
  { updateOnly: true },
);

export const REVIEWS = tableWrite<Prisma.StoreListingReviewCreateManyInput>("StoreListingReview", [
  { name: "id", pgType: "text" },
  { name: "storeListingVersionId", pgType: "text" },
  { name: "reviewByUserId", pgType: "text" },
  { name: "score", pgType: "integer" },
  { name: "comments", pgType: "text", optional: true },
  { name: "createdAt", pgType: "timestamp(3)" },
  { name: "updatedAt", pgType: "timestamp(3)" },
]);

export const CREDIT_TRANSACTIONS = tableWrite<Prisma.CreditTransactionCreateManyInput>("CreditTransaction", [
  { name: "transactionKey", pgType: "text" },
  { name: "userId", pgType: "text" },
  { name: "type", pgType: { enum: "CreditTransactionType" } },
  { name: "amount", pgType: "integer" },
  { name: "runningBalance", pgType: "integer" },
  { name: "isActive", pgType: "boolean" },
  { name: "createdAt", pgType: "timestamp(3)" },
  { name: "metadata", pgType: "jsonb", optional: true },
]);

export const USER_BALANCES = tableWrite<Prisma.UserBalanceCreateManyInput>(
  "UserBalance",
  [
    { name: "userId", pgType: "text" },
    { name: "balance", pgType: "integer" },
    { name: "updatedAt", pgType: "timestamp(3)" },
  ],
  {
    // Platform releases before Oct 2025 have no UserBalance: the chain then lives in runningBalance alone.
    optionalTable: true,
    onConflict: { doUpdate: { key: "userId", set: ["balance", "updatedAt"] } },
  },
);

/** The updater's listing changes (key first). */
export const VERSION_UPDATES = tableWrite<{ id: string; categories: string[]; isFeatured: boolean; updatedAt: Date }>(
  "StoreListingVersion",
  [
    { name: "id", pgType: "text" },
    { name: "categories", pgType: "text[]" },
    { name: "isFeatured", pgType: "boolean" },
    { name: "updatedAt", pgType: "timestamp(3)", optional: true },
  ],
  { updateOnly: true },
);

// A user's personal organisation as the tenancy platform's start-up makes it: one row in each of six
// tables per user (src/domain/organizations.ts). Enum columns (member and seat status, seat type, join
// policy) keep their defaults: ACTIVE, FREE, OPEN.
export interface PersonalOrganization {
  userId: string;
  organizationId: string;
  teamId: string;
  memberId: string;
  teamMemberId: string;
  seatId: string;
  name: string;
  /** Organization.slug, and OrganizationProfile.username: both unique across the database. */
  slug: string;
  createdAt: Date;
}

type OrgColumn = BulkColumn<PersonalOrganization>;
const orgColumn = (
  name: string,
  pgType: BulkPgType,
  value: (o: PersonalOrganization) => unknown,
  optional = false,
): OrgColumn => ({ name, pgType, value, optional });
const isTrue = () => true;
const ORG_DATES = [
  orgColumn("createdAt", "timestamp(3)", (o) => o.createdAt),
  orgColumn("updatedAt", "timestamp(3)", (o) => o.createdAt),
];
const ORG_ID = (name: string) => orgColumn(name, "text", (o) => o.organizationId);
const USER_ID = orgColumn("userId", "text", (o) => o.userId);

const orgWrite = (table: string, columns: OrgColumn[]) =>
  tableWrite(table, [...columns, ...ORG_DATES], { optionalTable: true });

/** Written where the target has them (the organisation-tenancy platform), in this order. */
export const ORGANIZATION_WRITES = [
  orgWrite("Organization", [
    ORG_ID("id"),
    orgColumn("name", "text", (o) => o.name),
    orgColumn("slug", "text", (o) => o.slug),
    orgColumn("isPersonal", "boolean", isTrue),
    orgColumn("bootstrapUserId", "text", (o) => o.userId, true),
  ]),
  orgWrite("OrgMember", [
    orgColumn("id", "text", (o) => o.memberId),
    ORG_ID("orgId"),
    USER_ID,
    orgColumn("isOwner", "boolean", isTrue),
    orgColumn("isAdmin", "boolean", isTrue),
  ]),
  orgWrite("Team", [
    orgColumn("id", "text", (o) => o.teamId),
    ORG_ID("orgId"),
    orgColumn("name", "text", () => "Default"),
    orgColumn("isDefault", "boolean", isTrue),
    orgColumn("createdByUserId", "text", (o) => o.userId, true),
  ]),
  orgWrite("TeamMember", [
    orgColumn("id", "text", (o) => o.teamMemberId),
    orgColumn("teamId", "text", (o) => o.teamId),
    USER_ID,
    orgColumn("isAdmin", "boolean", isTrue),
  ]),
  orgWrite("OrganizationProfile", [
    ORG_ID("organizationId"),
    orgColumn("username", "text", (o) => o.slug),
    orgColumn("displayName", "text", (o) => o.name, true),
  ]),
  orgWrite("OrganizationSeatAssignment", [orgColumn("id", "text", (o) => o.seatId), ORG_ID("organizationId"), USER_ID]),
];

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
  ...ORGANIZATION_WRITES,
];

export const UPDATER_WRITES: readonly TableWrite[] = [
  GRAPH_EXECUTIONS,
  NODE_EXECUTIONS,
  REVIEWS,
  VERSION_UPDATES,
  CREDIT_TRANSACTIONS,
  USER_BALANCES,
];
