// Per table, the columns the bulk path writes (creator, updater, bench), named by the fields of Prisma's
// create inputs so a renamed field fails to compile; their types are the target's (targetShape.ts). An
// omitted column gets its default, undefined is NULL, and an optional column ("name?") is dropped on a
// target that lacks it (older release).
import type { Prisma } from "../generated/prisma/client.js";
import type { BulkConflict } from "../bulk/bulkInsert.js";

/** Where a graph or run is booked on the organisation-tenancy platform (src/domain/organizations.ts). */
export interface OrgBooking {
  organizationId?: string;
  /** The organisation's default team; null where it has none. */
  teamId?: string | null;
}

/** One column a write fills. */
export interface WriteColumn<Row> {
  name: string;
  /** The row's value for this column (defaults to `row[name]`). null/undefined is SQL NULL. */
  value?: (row: Row) => unknown;
  /** Left out where the target lacks it (src/schema/targetShape.ts). */
  optional?: boolean;
  /** Written only where the target also has this table (an organisation id needs Organization). */
  onlyWith?: string;
}

/** One table a command writes: the columns it inserts (or only updates). */
export interface TableWrite<Row = never> {
  table: string;
  columns: ReadonlyArray<WriteColumn<Row>>;
  /** Rows are only updated (by the first column), never inserted: unfilled NOT NULL columns don't matter. */
  updateOnly?: boolean;
  /** The command works without this table (it then writes nothing to it). */
  optionalTable?: boolean;
  /** Rows are upserted on this key. */
  onConflict?: BulkConflict;
}

/** A column by its field of Row, "field?" for an optional one, or a column spelled out. */
type ColumnSpec<Row> = (keyof Row & string) | `${keyof Row & string}?` | WriteColumn<Row>;

/** A table's write (checked by readTargetShape, written by TargetShape.write). */
function tableWrite<Row>(write: Omit<TableWrite<Row>, "columns"> & { columns: ReadonlyArray<ColumnSpec<Row>> }) {
  const columns = write.columns.map((column): WriteColumn<Row> => {
    if (typeof column === "object") return column;
    return column.endsWith("?") ? { name: column.slice(0, -1), optional: true } : { name: column };
  });
  return { ...write, columns };
}

/** The booking columns of AgentGraph and AgentGraphExecution, written where the target has organisations. */
const ORG_BOOKING_COLUMNS = [
  { name: "organizationId", optional: true, onlyWith: "Organization" },
  { name: "teamId", optional: true, onlyWith: "Organization" },
] as const;

export const USERS = tableWrite<Prisma.UserCreateManyInput>({
  table: "User",
  columns: ["id", "email", "name?", "createdAt", "updatedAt", "metadata?", "integrations?"],
});

export const PROFILES = tableWrite<Prisma.ProfileCreateManyInput>({
  table: "Profile",
  columns: ["id", "userId", "name", "username", "description", "links", "avatarUrl?", "createdAt", "updatedAt"],
});

export const AGENT_BLOCKS = tableWrite<Prisma.AgentBlockCreateManyInput>({
  table: "AgentBlock",
  columns: ["id", "name", "inputSchema", "outputSchema"],
});

export const AGENT_GRAPHS = tableWrite<Prisma.AgentGraphCreateManyInput & OrgBooking>({
  table: "AgentGraph",
  columns: [
    "id",
    "version",
    "name",
    "description?",
    "isActive",
    "userId",
    "createdAt",
    "updatedAt?",
    ...ORG_BOOKING_COLUMNS,
  ],
});

export const AGENT_NODES = tableWrite<Prisma.AgentNodeCreateManyInput>({
  table: "AgentNode",
  columns: ["id", "agentBlockId", "agentGraphId", "agentGraphVersion", "constantInput?", "metadata?"],
});

export const GRAPH_EXECUTIONS = tableWrite<Prisma.AgentGraphExecutionCreateManyInput & OrgBooking>({
  table: "AgentGraphExecution",
  columns: [
    "id",
    "agentGraphId",
    "agentGraphVersion",
    "userId",
    "executionStatus",
    "createdAt",
    "updatedAt?",
    "startedAt",
    "endedAt?",
    "stats?",
    ...ORG_BOOKING_COLUMNS,
  ],
});

export const NODE_EXECUTIONS = tableWrite<Prisma.AgentNodeExecutionCreateManyInput>({
  table: "AgentNodeExecution",
  columns: [
    "id",
    "agentGraphExecutionId",
    "agentNodeId",
    "executionStatus",
    "addedTime",
    "queuedTime?",
    "startedTime",
    "endedTime",
    "stats?",
  ],
});

export const STORE_LISTINGS = tableWrite<Prisma.StoreListingCreateManyInput & { owningOrgId?: string }>({
  table: "StoreListing",
  columns: [
    "id",
    "slug",
    "agentGraphId",
    // Dropped again by the platform in 2026 (the listing's graph version is its active version's).
    "agentGraphVersion?",
    "owningUserId",
    { name: "owningOrgId", optional: true, onlyWith: "Organization" },
    "hasApprovedVersion",
    "isDeleted",
    "createdAt",
    "updatedAt",
  ],
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
    "isAvailable?",
    "isDeleted",
    "submissionStatus",
    "submittedAt?",
    "reviewerId?",
    "reviewedAt?",
    "createdAt",
    "updatedAt",
  ],
});

/** The creator sets a listing's active version once its versions exist (key first). */
export const LISTING_ACTIVE_VERSIONS = tableWrite<{ listingId: string; versionId: string; updatedAt: Date }>({
  table: "StoreListing",
  columns: [
    { name: "id", value: (a) => a.listingId },
    { name: "activeVersionId", value: (a) => a.versionId },
    "updatedAt",
  ],
  updateOnly: true,
});

export const REVIEWS = tableWrite<Prisma.StoreListingReviewCreateManyInput>({
  table: "StoreListingReview",
  columns: ["id", "storeListingVersionId", "reviewByUserId", "score", "comments?", "createdAt", "updatedAt"],
});

export const CREDIT_TRANSACTIONS = tableWrite<Prisma.CreditTransactionCreateManyInput>({
  table: "CreditTransaction",
  columns: ["transactionKey", "userId", "type", "amount", "runningBalance", "isActive", "createdAt", "metadata?"],
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
  columns: ["id", "categories", "isFeatured", "updatedAt?"],
  updateOnly: true,
});

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

const isTrue = () => true;
const ORG_ID = { name: "orgId", value: (o: PersonalOrganization) => o.organizationId };

const orgWrite = (table: string, columns: Array<ColumnSpec<PersonalOrganization>>) =>
  tableWrite<PersonalOrganization>({
    table,
    columns: [...columns, "createdAt", { name: "updatedAt", value: (o) => o.createdAt }],
    optionalTable: true,
  });

/** Written where the target has them (the organisation-tenancy platform), in this order. */
export const ORGANIZATION_WRITES = [
  orgWrite("Organization", [
    { name: "id", value: (o) => o.organizationId },
    "name",
    "slug",
    { name: "isPersonal", value: isTrue },
    { name: "bootstrapUserId", value: (o) => o.userId, optional: true },
  ]),
  orgWrite("OrgMember", [
    { name: "id", value: (o) => o.memberId },
    ORG_ID,
    "userId",
    { name: "isOwner", value: isTrue },
    { name: "isAdmin", value: isTrue },
  ]),
  orgWrite("Team", [
    { name: "id", value: (o) => o.teamId },
    ORG_ID,
    { name: "name", value: () => "Default" },
    { name: "isDefault", value: isTrue },
    { name: "createdByUserId", value: (o) => o.userId, optional: true },
  ]),
  orgWrite("TeamMember", [
    { name: "id", value: (o) => o.teamMemberId },
    "teamId",
    "userId",
    { name: "isAdmin", value: isTrue },
  ]),
  orgWrite("OrganizationProfile", [
    "organizationId",
    { name: "username", value: (o) => o.slug },
    { name: "displayName", value: (o) => o.name, optional: true },
  ]),
  orgWrite("OrganizationSeatAssignment", [{ name: "id", value: (o) => o.seatId }, "organizationId", "userId"]),
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
