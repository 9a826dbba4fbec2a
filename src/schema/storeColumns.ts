// Per table, the columns the bulk path writes (creator, updater, bench), typed against Prisma's create
// inputs so a renamed or retyped field fails to compile. An omitted column gets its default, undefined is
// NULL, and an `optional` column is dropped on a target that lacks it (older release; targetShape.ts).
import type { Prisma } from "../generated/prisma/client.js";
import type { BulkColumn, BulkPgType } from "../bulk/bulkInsert.js";
import type { TableWrite } from "./targetShape.js";

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

export const AGENT_NODE_COLUMNS: ReadonlyArray<BulkColumn<Prisma.AgentNodeCreateManyInput>> = [
  { name: "id", pgType: "text" },
  { name: "agentBlockId", pgType: "text" },
  { name: "agentGraphId", pgType: "text" },
  { name: "agentGraphVersion", pgType: "integer" },
  { name: "constantInput", pgType: "jsonb", optional: true },
  { name: "metadata", pgType: "jsonb", optional: true },
];

export const GRAPH_EXECUTION_COLUMNS: ReadonlyArray<
  BulkColumn<Prisma.AgentGraphExecutionCreateManyInput & OrgBooking>
> = [
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
];

export const NODE_EXECUTION_COLUMNS: ReadonlyArray<BulkColumn<Prisma.AgentNodeExecutionCreateManyInput>> = [
  { name: "id", pgType: "text" },
  { name: "agentGraphExecutionId", pgType: "text" },
  { name: "agentNodeId", pgType: "text" },
  { name: "executionStatus", pgType: EXECUTION_STATUS },
  { name: "addedTime", pgType: "timestamp(3)" },
  { name: "queuedTime", pgType: "timestamp(3)", optional: true },
  { name: "startedTime", pgType: "timestamp(3)" },
  { name: "endedTime", pgType: "timestamp(3)" },
  { name: "stats", pgType: "jsonb", optional: true },
];

export const REVIEW_COLUMNS: ReadonlyArray<BulkColumn<Prisma.StoreListingReviewCreateManyInput>> = [
  { name: "id", pgType: "text" },
  { name: "storeListingVersionId", pgType: "text" },
  { name: "reviewByUserId", pgType: "text" },
  { name: "score", pgType: "integer" },
  { name: "comments", pgType: "text", optional: true },
  { name: "createdAt", pgType: "timestamp(3)" },
  { name: "updatedAt", pgType: "timestamp(3)" },
];

export const CREDIT_TRANSACTION_COLUMNS: ReadonlyArray<BulkColumn<Prisma.CreditTransactionCreateManyInput>> = [
  { name: "transactionKey", pgType: "text" },
  { name: "userId", pgType: "text" },
  { name: "type", pgType: { enum: "CreditTransactionType" } },
  { name: "amount", pgType: "integer" },
  { name: "runningBalance", pgType: "integer" },
  { name: "isActive", pgType: "boolean" },
  { name: "createdAt", pgType: "timestamp(3)" },
  { name: "metadata", pgType: "jsonb", optional: true },
];

export const USER_BALANCE_COLUMNS: ReadonlyArray<BulkColumn<Prisma.UserBalanceCreateManyInput>> = [
  { name: "userId", pgType: "text" },
  { name: "balance", pgType: "integer" },
  { name: "updatedAt", pgType: "timestamp(3)" },
];

export const USER_COLUMNS: ReadonlyArray<BulkColumn<Prisma.UserCreateManyInput>> = [
  { name: "id", pgType: "text" },
  { name: "email", pgType: "text" },
  { name: "name", pgType: "text", optional: true },
  { name: "createdAt", pgType: "timestamp(3)" },
  { name: "updatedAt", pgType: "timestamp(3)" },
  { name: "metadata", pgType: "jsonb", optional: true },
  { name: "integrations", pgType: "text", optional: true },
];

export const PROFILE_COLUMNS: ReadonlyArray<BulkColumn<Prisma.ProfileCreateManyInput>> = [
  { name: "id", pgType: "text" },
  { name: "userId", pgType: "text" },
  { name: "name", pgType: "text" },
  { name: "username", pgType: "text" },
  { name: "description", pgType: "text" },
  { name: "links", pgType: "text[]" },
  { name: "avatarUrl", pgType: "text", optional: true },
  { name: "createdAt", pgType: "timestamp(3)" },
  { name: "updatedAt", pgType: "timestamp(3)" },
];

export const AGENT_GRAPH_COLUMNS: ReadonlyArray<BulkColumn<Prisma.AgentGraphCreateManyInput & OrgBooking>> = [
  { name: "id", pgType: "text" },
  { name: "version", pgType: "integer" },
  { name: "name", pgType: "text" },
  { name: "description", pgType: "text", optional: true },
  { name: "isActive", pgType: "boolean" },
  { name: "userId", pgType: "text" },
  { name: "createdAt", pgType: "timestamp(3)" },
  { name: "updatedAt", pgType: "timestamp(3)", optional: true },
  ...ORG_BOOKING_COLUMNS,
];

export const STORE_LISTING_COLUMNS: ReadonlyArray<
  BulkColumn<Prisma.StoreListingCreateManyInput & { owningOrgId?: string }>
> = [
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
];

export const STORE_LISTING_VERSION_COLUMNS: ReadonlyArray<BulkColumn<Prisma.StoreListingVersionCreateManyInput>> = [
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
];

export const AGENT_BLOCK_COLUMNS: ReadonlyArray<BulkColumn<Prisma.AgentBlockCreateManyInput>> = [
  { name: "id", pgType: "text" },
  { name: "name", pgType: "text" },
  { name: "inputSchema", pgType: "text" },
  { name: "outputSchema", pgType: "text" },
];

/** The creator sets a listing's active version once its versions exist (key first). */
export const LISTING_ACTIVE_VERSION_COLUMNS: ReadonlyArray<
  BulkColumn<{ listingId: string; versionId: string; updatedAt: Date }>
> = [
  { name: "id", pgType: "text", value: (a) => a.listingId },
  { name: "activeVersionId", pgType: "text", value: (a) => a.versionId },
  { name: "updatedAt", pgType: "timestamp(3)" },
];

/** The updater's listing changes (key first). */
export const VERSION_UPDATE_COLUMNS: ReadonlyArray<
  BulkColumn<{ id: string; categories: string[]; isFeatured: boolean; updatedAt: Date }>
> = [
  { name: "id", pgType: "text" },
  { name: "categories", pgType: "text[]" },
  { name: "isFeatured", pgType: "boolean" },
  { name: "updatedAt", pgType: "timestamp(3)", optional: true },
];

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

/** Written where the target has them (the organisation-tenancy platform), in this order. */
export const ORGANIZATION_WRITES: readonly TableWrite[] = (
  [
    [
      "Organization",
      [
        ORG_ID("id"),
        orgColumn("name", "text", (o) => o.name),
        orgColumn("slug", "text", (o) => o.slug),
        orgColumn("isPersonal", "boolean", isTrue),
        orgColumn("bootstrapUserId", "text", (o) => o.userId, true),
      ],
    ],
    [
      "OrgMember",
      [
        orgColumn("id", "text", (o) => o.memberId),
        ORG_ID("orgId"),
        USER_ID,
        orgColumn("isOwner", "boolean", isTrue),
        orgColumn("isAdmin", "boolean", isTrue),
      ],
    ],
    [
      "Team",
      [
        orgColumn("id", "text", (o) => o.teamId),
        ORG_ID("orgId"),
        orgColumn("name", "text", () => "Default"),
        orgColumn("isDefault", "boolean", isTrue),
        orgColumn("createdByUserId", "text", (o) => o.userId, true),
      ],
    ],
    [
      "TeamMember",
      [
        orgColumn("id", "text", (o) => o.teamMemberId),
        orgColumn("teamId", "text", (o) => o.teamId),
        USER_ID,
        orgColumn("isAdmin", "boolean", isTrue),
      ],
    ],
    [
      "OrganizationProfile",
      [
        ORG_ID("organizationId"),
        orgColumn("username", "text", (o) => o.slug),
        orgColumn("displayName", "text", (o) => o.name, true),
      ],
    ],
    ["OrganizationSeatAssignment", [orgColumn("id", "text", (o) => o.seatId), ORG_ID("organizationId"), USER_ID]],
  ] as const
).map(([table, columns]) => ({ table, columns: [...columns, ...ORG_DATES], optionalTable: true }));

const CREDIT_WRITES: TableWrite[] = [
  { table: "CreditTransaction", columns: CREDIT_TRANSACTION_COLUMNS },
  // Platform releases before Oct 2025 have no UserBalance: the chain then lives in runningBalance alone.
  { table: "UserBalance", columns: USER_BALANCE_COLUMNS, optionalTable: true },
];

/** Every table and column the creator writes, checked against the target before its first write. */
export const CREATOR_WRITES: readonly TableWrite[] = [
  { table: "User", columns: USER_COLUMNS },
  { table: "Profile", columns: PROFILE_COLUMNS },
  { table: "AgentBlock", columns: AGENT_BLOCK_COLUMNS },
  { table: "AgentGraph", columns: AGENT_GRAPH_COLUMNS },
  { table: "AgentNode", columns: AGENT_NODE_COLUMNS },
  { table: "AgentGraphExecution", columns: GRAPH_EXECUTION_COLUMNS },
  { table: "AgentNodeExecution", columns: NODE_EXECUTION_COLUMNS },
  { table: "StoreListing", columns: STORE_LISTING_COLUMNS },
  { table: "StoreListing", columns: LISTING_ACTIVE_VERSION_COLUMNS, updateOnly: true },
  { table: "StoreListingVersion", columns: STORE_LISTING_VERSION_COLUMNS },
  { table: "StoreListingReview", columns: REVIEW_COLUMNS },
  ...CREDIT_WRITES,
  ...ORGANIZATION_WRITES,
];

export const UPDATER_WRITES: readonly TableWrite[] = [
  { table: "AgentGraphExecution", columns: GRAPH_EXECUTION_COLUMNS },
  { table: "AgentNodeExecution", columns: NODE_EXECUTION_COLUMNS },
  { table: "StoreListingReview", columns: REVIEW_COLUMNS },
  { table: "StoreListingVersion", columns: VERSION_UPDATE_COLUMNS, updateOnly: true },
  ...CREDIT_WRITES,
];
