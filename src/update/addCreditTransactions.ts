// Step 4: credit transactions that keep the platform's credit invariant (src/ledger/creditLedger.ts):
// each user's new transactions chain from the balance the platform would read, a spend never
// takes it below zero, and UserBalance (where the table exists) ends equal to the last running
// balance. Users are taken a chunk at a time, in id order (so concurrent writers lock in the same
// order): memory holds one chunk's rows however many users get transactions.
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/prismaClient.js";
import type { TargetShape } from "../db/targetShape.js";
import { CreditTransactionType } from "../generated/prisma/enums.js";
import { readUserLedgers, signedAmount, writeCreditLedger, type CreditRow } from "../ledger/creditLedger.js";
import { chunksOf } from "../shared/chunks.js";
import type { Random } from "../shared/random.js";
import type { UpdateOptions } from "./options.js";

/** Users whose transactions are planned and written together. */
const USERS_PER_CHUNK = 10_000;
const TYPES = [CreditTransactionType.USAGE, CreditTransactionType.TOP_UP, CreditTransactionType.GRANT];

export type { CreditRow } from "../ledger/creditLedger.js";

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
    if (type === CreditTransactionType.USAGE && balance <= 0) type = CreditTransactionType.TOP_UP;
    const magnitude = type === CreditTransactionType.USAGE ? random.int(1, 50) : type === CreditTransactionType.TOP_UP ? random.int(10, 500) : random.int(10, 100);
    const amount = signedAmount(type, magnitude, balance);
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
  shape: TargetShape,
  random: Random,
  userIds: string[],
  options: UpdateOptions["credits"],
  now: Date,
): Promise<number> {
  const users = random.sample(userIds, Math.min(options.users, userIds.length)).sort();
  let written = 0;
  for (const chunk of chunksOf(users, USERS_PER_CHUNK)) written += await addUsersTransactions(tx, shape, random, chunk, options, now);
  return written;
}

/** One chunk of users: lock and read their balances, chain their new transactions, write both. */
async function addUsersTransactions(
  tx: Tx,
  shape: TargetShape,
  random: Random,
  users: string[],
  options: UpdateOptions["credits"],
  now: Date,
): Promise<number> {
  const ledgers = await readUserLedgers(tx, shape, users, now);
  const rows: CreditRow[] = [];
  const finalBalances: Array<{ userId: string; balance: number; updatedAt: Date }> = [];
  for (const userId of users) {
    const ledger = ledgers.get(userId) ?? { balance: 0, lastAt: null };
    const firstAt = new Date(Math.max(now.getTime(), (ledger.lastAt?.getTime() ?? 0) + 1));
    const planned = planUserTransactions(random, userId, ledger.balance, random.int(options.min, options.max), firstAt);
    for (const row of planned.rows) rows.push(row);
    finalBalances.push({ userId, balance: planned.balance, updatedAt: now });
  }
  return (await writeCreditLedger(tx, shape, rows, finalBalances)).transactions;
}
