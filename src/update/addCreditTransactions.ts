// Step 6: credit transactions that keep the platform's credit invariant. UserBalance is the
// source of truth: each user's rows are locked, every new transaction's runningBalance chains
// from the current balance, a spend never takes it below zero, and UserBalance ends equal to
// the last running balance. Users are taken a chunk at a time, in id order (so concurrent writers
// lock in the same order): memory holds one chunk's rows however many users get transactions.
import { randomUUID } from "node:crypto";
import { bulkInsert } from "../db/bulkInsert.js";
import { CREDIT_TRANSACTION_COLUMNS, USER_BALANCE_COLUMNS } from "../db/storeColumns.js";
import type { Tx } from "../db/prismaClient.js";
import { CreditTransactionType } from "../generated/prisma/enums.js";
import { chunksOf } from "../shared/chunks.js";
import type { Random } from "../shared/random.js";
import type { UpdateOptions } from "./options.js";

/** Users whose transactions are planned and written together. */
const USERS_PER_CHUNK = 10_000;
const TYPES = [CreditTransactionType.USAGE, CreditTransactionType.TOP_UP, CreditTransactionType.GRANT];

export interface CreditRow {
  transactionKey: string;
  userId: string;
  type: CreditTransactionType;
  amount: number;
  runningBalance: number;
  isActive: true;
  createdAt: Date;
  metadata: { source: string; timestamp: string };
}

/** One user's new transactions, chained from `balance`. A spend is capped at what the user has;
 *  with nothing to spend the user tops up instead. Returns the rows and the final balance. */
export function planUserTransactions(
  random: Random,
  userId: string,
  balance: number,
  count: number,
  firstAt: Date,
): { rows: CreditRow[]; balance: number } {
  const rows: CreditRow[] = [];
  for (let i = 0; i < count; i++) {
    let type = random.pick(TYPES);
    let amount: number;
    if (type === CreditTransactionType.USAGE && balance > 0) amount = -Math.min(random.int(1, 50), balance);
    else {
      if (type === CreditTransactionType.USAGE) type = CreditTransactionType.TOP_UP;
      amount = type === CreditTransactionType.TOP_UP ? random.int(10, 500) : random.int(10, 100);
    }
    balance += amount;
    const createdAt = new Date(firstAt.getTime() + i); // strictly after the previous one
    rows.push({
      transactionKey: randomUUID(),
      userId,
      type,
      amount,
      runningBalance: balance,
      isActive: true,
      createdAt,
      metadata: { source: "test_updater", timestamp: createdAt.toISOString() },
    });
  }
  return { rows, balance };
}


export async function addCreditTransactions(
  tx: Tx,
  random: Random,
  userIds: string[],
  options: UpdateOptions["credits"],
  now: Date,
): Promise<number> {
  const users = random.sample(userIds, Math.min(options.users, userIds.length)).sort();
  let written = 0;
  for (const chunk of chunksOf(users, USERS_PER_CHUNK)) written += await addUsersTransactions(tx, random, chunk, options, now);
  return written;
}

/** One chunk of users: lock their balances, chain their new transactions, write both. */
async function addUsersTransactions(
  tx: Tx,
  random: Random,
  users: string[],
  options: UpdateOptions["credits"],
  now: Date,
): Promise<number> {
  const balances = await lockBalances(tx, users);
  const lastAt = await lastTransactionTimes(tx, users);
  const rows: CreditRow[] = [];
  const finalBalances: Array<[string, number]> = [];
  for (const userId of users) {
    const last = lastAt.get(userId)?.getTime() ?? 0;
    const firstAt = new Date(Math.max(now.getTime(), last + 1));
    const planned = planUserTransactions(random, userId, balances.get(userId) ?? 0, random.int(options.min, options.max), firstAt);
    for (const row of planned.rows) rows.push(row);
    finalBalances.push([userId, planned.balance]);
  }
  await bulkInsert(tx, "CreditTransaction", CREDIT_TRANSACTION_COLUMNS, rows);
  // One upsert statement for the chunk's users (their rows are already locked above).
  await bulkInsert(
    tx,
    "UserBalance",
    USER_BALANCE_COLUMNS,
    finalBalances.map(([userId, balance]) => ({ userId, balance, updatedAt: now })),
    { onConflict: { doUpdate: { key: "userId", set: ["balance", "updatedAt"] } } },
  );
  return rows.length;
}

/** Locks the users' balance rows for the rest of the transaction, as the platform does before
 *  it writes a transaction (Prisma has no FOR UPDATE, hence raw SQL). */
async function lockBalances(tx: Tx, userIds: string[]): Promise<Map<string, number>> {
  const rows = await tx.$queryRaw<Array<{ userId: string; balance: number }>>`
    SELECT "userId", "balance" FROM "UserBalance" WHERE "userId" = ANY(${userIds}::text[])
    ORDER BY "userId" FOR UPDATE`;
  return new Map(rows.map((r) => [r.userId, r.balance]));
}

async function lastTransactionTimes(tx: Tx, userIds: string[]): Promise<Map<string, Date>> {
  const groups = await tx.$queryRaw<Array<{ userId: string; last: Date | null }>>`
    SELECT "userId", MAX("createdAt") AS "last" FROM "CreditTransaction"
    WHERE "userId" = ANY(${userIds}::text[]) GROUP BY "userId"`;
  return new Map(groups.flatMap((g) => (g.last ? [[g.userId, g.last] as const] : [])));
}
