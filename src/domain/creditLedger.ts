// The platform's credit ledger (its credit.py at v0.6.44), for the creator and the updater.
// UserBalance is upserted only where the table exists: releases before Oct 2025 have none, and it
// was never back-filled (most real users have transactions and no row).
import type { Tx } from "../connection/transaction.js";
import { scalarText } from "../bulk/pgText.js";
import { CREDIT_TRANSACTIONS, USER_BALANCES } from "../schema/storeColumns.js";
import type { TargetShape } from "../schema/targetShape.js";
import { CreditTransactionType, Prisma } from "../generated/prisma/client.js";

export interface CreditRow {
  transactionKey: string;
  userId: string;
  type: CreditTransactionType;
  amount: number;
  runningBalance: number;
  isActive: true;
  createdAt: Date;
  metadata: Prisma.InputJsonObject;
}

/** Each user's final balance, for UserBalance. */
export type FinalBalances = Array<{ userId: string; balance: number; updatedAt: Date }>;

/** Books one user's transactions from `balance` as the platform does: a USAGE spends at most the balance, or
 *  becomes a TOP_UP when there is nothing to spend. `draw` gives the size (> 0) for the type it is booked as. */
export function chainTransactions(
  userId: string,
  balance: number,
  times: readonly Date[],
  newKey: () => string,
  pickType: (index: number) => CreditTransactionType,
  draw: (type: CreditTransactionType, i: number, at: Date) => { magnitude: number; metadata: CreditRow["metadata"] },
): { rows: CreditRow[]; balance: number } {
  const rows = times.map((createdAt, index): CreditRow => {
    let type = pickType(index);
    if (type === CreditTransactionType.USAGE && balance <= 0) type = CreditTransactionType.TOP_UP;
    const { magnitude, metadata } = draw(type, index, createdAt);
    const amount = type === CreditTransactionType.USAGE ? -Math.min(magnitude, balance) : magnitude;
    balance += amount;
    return {
      transactionKey: newKey(),
      userId,
      type,
      amount,
      runningBalance: balance,
      isActive: true,
      createdAt,
      metadata,
    };
  });
  return { rows, balance };
}

/** Locks the users' UserBalance rows, as the platform does before writing, and reads each balance by its rule:
 *  the UserBalance row's, else the newest active transaction's runningBalance not after `now`, else 0. Ties on
 *  createdAt go to the highest runningBalance (the platform names none). With it `lastAt`, the user's newest
 *  transaction time (any row), so new rows are dated after it. */
export async function readUserLedgers(
  tx: Tx,
  shape: TargetShape,
  userIds: string[],
  now: Date,
): Promise<Map<string, { balance: number; lastAt: Date | null }>> {
  const at = scalarText(now, "timestamp(3)"); // UTC wall-clock time, as timestamp(3) columns hold it
  const hasBalanceTable = shape.hasTable("UserBalance");
  // Prisma has no FOR UPDATE, hence raw SQL; id order keeps concurrent writers' locks in one order.
  if (hasBalanceTable)
    await tx.$queryRaw`
      SELECT 1 FROM "UserBalance" WHERE "userId" = ANY(${userIds}::text[]) ORDER BY "userId" FOR UPDATE`;
  const balanceRow = hasBalanceTable
    ? Prisma.sql`LEFT JOIN "UserBalance" b ON b."userId" = u.id`
    : Prisma.sql`LEFT JOIN (SELECT NULL::int AS balance) b ON true`;
  const rows = await tx.$queryRaw<Array<{ userId: string; balance: number; lastAt: Date | null }>>`
    SELECT u.id AS "userId", COALESCE(b.balance, latest."runningBalance", 0)::int AS balance,
           last."createdAt" AS "lastAt"
    FROM unnest(${userIds}::text[]) AS u(id)
    ${balanceRow}
    LEFT JOIN LATERAL (
      SELECT t."runningBalance" FROM "CreditTransaction" t
      WHERE t."userId" = u.id AND t."isActive" AND t."runningBalance" IS NOT NULL
        AND t."createdAt" <= ${at}::timestamp(3)
      ORDER BY t."createdAt" DESC, t."runningBalance" DESC LIMIT 1) latest ON true
    LEFT JOIN LATERAL (
      SELECT MAX(t."createdAt") AS "createdAt" FROM "CreditTransaction" t WHERE t."userId" = u.id) last ON true`;
  return new Map(rows.map((r) => [r.userId, { balance: r.balance, lastAt: r.lastAt }]));
}

/** Writes the transactions (or makes them, from a generator, as they are written), then (where the
 *  table exists) each user's final balance. */
export async function writeCreditLedger(
  tx: Tx,
  shape: TargetShape,
  transactions: Iterable<CreditRow>,
  finalBalances: FinalBalances,
): Promise<{ transactions: number; balances: number }> {
  const written = await shape.write(tx, CREDIT_TRANSACTIONS, transactions);
  // Upserted; their existing rows were locked by readUserLedgers.
  return { transactions: written, balances: await shape.write(tx, USER_BALANCES, finalBalances) };
}
