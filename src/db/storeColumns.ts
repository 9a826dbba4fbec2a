// The columns the bulk path writes, per table: one list each, shared by the creator, the updater
// and the bench. Typed against Prisma's create inputs so a renamed or retyped field fails to compile.
// A column left out keeps its database default; a value left undefined is written as NULL.
import type { Prisma } from "../generated/prisma/client.js";
import type { BulkColumn } from "./bulkInsert.js";

const EXECUTION_STATUS = { enum: "AgentExecutionStatus" } as const;

export const AGENT_NODE_COLUMNS: ReadonlyArray<BulkColumn<Prisma.AgentNodeCreateManyInput>> = [
  { name: "id", pgType: "text" },
  { name: "agentBlockId", pgType: "text" },
  { name: "agentGraphId", pgType: "text" },
  { name: "agentGraphVersion", pgType: "integer" },
  { name: "constantInput", pgType: "jsonb" },
  { name: "metadata", pgType: "jsonb" },
];

export const GRAPH_EXECUTION_COLUMNS: ReadonlyArray<BulkColumn<Prisma.AgentGraphExecutionCreateManyInput>> = [
  { name: "id", pgType: "text" },
  { name: "agentGraphId", pgType: "text" },
  { name: "agentGraphVersion", pgType: "integer" },
  { name: "userId", pgType: "text" },
  { name: "executionStatus", pgType: EXECUTION_STATUS },
  { name: "createdAt", pgType: "timestamp(3)" },
  { name: "updatedAt", pgType: "timestamp(3)" },
  { name: "startedAt", pgType: "timestamp(3)" },
  { name: "endedAt", pgType: "timestamp(3)" },
  { name: "stats", pgType: "jsonb" },
];

export const NODE_EXECUTION_COLUMNS: ReadonlyArray<BulkColumn<Prisma.AgentNodeExecutionCreateManyInput>> = [
  { name: "id", pgType: "text" },
  { name: "agentGraphExecutionId", pgType: "text" },
  { name: "agentNodeId", pgType: "text" },
  { name: "executionStatus", pgType: EXECUTION_STATUS },
  { name: "addedTime", pgType: "timestamp(3)" },
  { name: "queuedTime", pgType: "timestamp(3)" },
  { name: "startedTime", pgType: "timestamp(3)" },
  { name: "endedTime", pgType: "timestamp(3)" },
  { name: "stats", pgType: "jsonb" },
];

export const REVIEW_COLUMNS: ReadonlyArray<BulkColumn<Prisma.StoreListingReviewCreateManyInput>> = [
  { name: "id", pgType: "text" },
  { name: "storeListingVersionId", pgType: "text" },
  { name: "reviewByUserId", pgType: "text" },
  { name: "score", pgType: "integer" },
  { name: "comments", pgType: "text" },
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
  { name: "metadata", pgType: "jsonb" },
];

export const USER_BALANCE_COLUMNS: ReadonlyArray<BulkColumn<Prisma.UserBalanceCreateManyInput>> = [
  { name: "userId", pgType: "text" },
  { name: "balance", pgType: "integer" },
  { name: "updatedAt", pgType: "timestamp(3)" },
];

export const USER_COLUMNS: ReadonlyArray<BulkColumn<Prisma.UserCreateManyInput>> = [
  { name: "id", pgType: "text" },
  { name: "email", pgType: "text" },
  { name: "name", pgType: "text" },
  { name: "createdAt", pgType: "timestamp(3)" },
  { name: "updatedAt", pgType: "timestamp(3)" },
  { name: "metadata", pgType: "jsonb" },
  { name: "integrations", pgType: "text" },
];

export const PROFILE_COLUMNS: ReadonlyArray<BulkColumn<Prisma.ProfileCreateManyInput>> = [
  { name: "id", pgType: "text" },
  { name: "userId", pgType: "text" },
  { name: "name", pgType: "text" },
  { name: "username", pgType: "text" },
  { name: "description", pgType: "text" },
  { name: "links", pgType: "text[]" },
  { name: "avatarUrl", pgType: "text" },
  { name: "createdAt", pgType: "timestamp(3)" },
  { name: "updatedAt", pgType: "timestamp(3)" },
];

export const AGENT_GRAPH_COLUMNS: ReadonlyArray<BulkColumn<Prisma.AgentGraphCreateManyInput>> = [
  { name: "id", pgType: "text" },
  { name: "version", pgType: "integer" },
  { name: "name", pgType: "text" },
  { name: "description", pgType: "text" },
  { name: "isActive", pgType: "boolean" },
  { name: "userId", pgType: "text" },
  { name: "createdAt", pgType: "timestamp(3)" },
  { name: "updatedAt", pgType: "timestamp(3)" },
];

export const STORE_LISTING_COLUMNS: ReadonlyArray<BulkColumn<Prisma.StoreListingCreateManyInput>> = [
  { name: "id", pgType: "text" },
  { name: "slug", pgType: "text" },
  { name: "agentGraphId", pgType: "text" },
  { name: "owningUserId", pgType: "text" },
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
  { name: "isAvailable", pgType: "boolean" },
  { name: "isDeleted", pgType: "boolean" },
  { name: "submissionStatus", pgType: { enum: "SubmissionStatus" } },
  { name: "submittedAt", pgType: "timestamp(3)" },
  { name: "reviewerId", pgType: "text" },
  { name: "reviewedAt", pgType: "timestamp(3)" },
  { name: "createdAt", pgType: "timestamp(3)" },
  { name: "updatedAt", pgType: "timestamp(3)" },
];
