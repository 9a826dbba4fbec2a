// The platform's credit ledger, shared by every writer of credit transactions (the creator and
// the updater). A user's balance is read exactly as the platform reads it (its credit.py at
// v0.6.44): the UserBalance row's balance when the row exists; else the runningBalance of the
// newest active transaction that has one and isn't dated in the future; else 0. New
// transactions chain from there (runningBalance = previous + amount, a spend never below 0),
// and UserBalance is upserted to the last running balance where the table exists (platform
// releases before Oct 2025 have none, and UserBalance was never back-filled: most real users
// have transactions and no row).
import { bulkInsert } from "../db/bulkInsert.js";
import type { Tx } from "../db/transaction.js";
import { scalarText } from "../db/pgText.js";
import { CREDIT_TRANSACTION_COLUMNS, USER_BALANCE_COLUMNS } from "../db/storeColumns.js";
import type { TargetShape } from "../db/targetShape.js";
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

export interface UserLedger {
  /** The balance new transactions chain from. */
  balance: number;
  /** The user's newest transaction time (any row), so new rows are dated after it. */
  lastAt: Date | null;
}

/** A drawn transaction's size (> 0) and metadata, for the type it is booked as. */
export interface DrawnTransaction {
  magnitude: number;
  metadata: Prisma.InputJsonObject;
}

/**
 * One user's transactions at `times`, booked one by one from `balance` as the platform books
 * them: TOP_UP and GRANT add; a USAGE spends, never more than the balance, and becomes a TOP_UP
 * when there is nothing to spend; each row's runningBalance is the balance after it.
 * `pickType(i)` draws the i-th transaction's kind, `draw` its size and metadata.
 */
export function chainTransactions(
  userId: string,
  balance: number,
  times: readonly Date[],
  newKey: () => string,
  pickType: (index: number) => CreditTransactionType,
  draw: (type: CreditTransactionType, index: number, createdAt: Date) => DrawnTransaction,
): { rows: CreditRow[]; balance: number } {
  const rows: CreditRow[] = [];
  times.forEach((createdAt, index) => {
    let type = pickType(index);
    if (type === CreditTransactionType.USAGE && balance <= 0) type = CreditTransactionType.TOP_UP;
    const { magnitude, metadata } = draw(type, index, createdAt);
    const amount = type === CreditTransactionType.USAGE ? -Math.min(magnitude, balance) : magnitude;
    balance += amount;
    rows.push({ transactionKey: newKey(), userId, type, amount, runningBalance: balance, isActive: true, createdAt, metadata });
  });
  return { rows, balance };
}

/**
 * Locks the users' UserBalance rows (as the platform does before it writes a transaction) and
 * reads each user's starting balance by the platform's rule. `now` bounds "not in the future".
 * Ties on createdAt go to the highest runningBalance (the platform names no tie-break).
 */
export async function readUserLedgers(tx: Tx, shape: TargetShape, userIds: string[], now: Date): Promise<Map<string, UserLedger>> {
  const at = scalarText(now, "timestamp(3)"); // UTC wall-clock time, as timestamp(3) columns hold it
  const hasBalanceTable = shape.hasTable("UserBalance");
  // Prisma has no FOR UPDATE, hence raw SQL; id order keeps concurrent writers' locks in one order.
  if (hasBalanceTable) await tx.$queryRaw`SELECT 1 FROM "UserBalance" WHERE "userId" = ANY(${userIds}::text[]) ORDER BY "userId" FOR UPDATE`;
  const balanceRow = hasBalanceTable
    ? Prisma.sql`LEFT JOIN "UserBalance" b ON b."userId" = u.id`
    : Prisma.sql`LEFT JOIN (SELECT NULL::int AS balance) b ON true`;
  const rows = await tx.$queryRaw<Array<{ userId: string; balance: number; lastAt: Date | null }>>`
    SELECT u.id AS "userId", COALESCE(b.balance, latest."runningBalance", 0)::int AS balance, last."createdAt" AS "lastAt"
    FROM unnest(${userIds}::text[]) AS u(id)
    ${balanceRow}
    LEFT JOIN LATERAL (
      SELECT t."runningBalance" FROM "CreditTransaction" t
      WHERE t."userId" = u.id AND t."isActive" AND t."runningBalance" IS NOT NULL AND t."createdAt" <= ${at}::timestamp(3)
      ORDER BY t."createdAt" DESC, t."runningBalance" DESC LIMIT 1) latest ON true
    LEFT JOIN LATERAL (SELECT MAX(t."createdAt") AS "createdAt" FROM "CreditTransaction" t WHERE t."userId" = u.id) last ON true`;
  return new Map(rows.map((r) => [r.userId, { balance: r.balance, lastAt: r.lastAt }]));
}

/** Writes the transactions, then (where the table exists) each user's final balance. */
export async function writeCreditLedger(
  tx: Tx,
  shape: TargetShape,
  transactions: readonly CreditRow[],
  finalBalances: ReadonlyArray<{ userId: string; balance: number; updatedAt: Date }>,
  onProgress?: (rowsWritten: number) => void,
): Promise<{ transactions: number; balances: number }> {
  const written = await bulkInsert(tx, "CreditTransaction", shape.columns("CreditTransaction", CREDIT_TRANSACTION_COLUMNS), transactions, {
    onProgress,
  });
  if (!shape.hasTable("UserBalance")) return { transactions: written, balances: 0 };
  // One upsert statement per chunk of users (their existing rows were locked when read).
  const balances = await bulkInsert(tx, "UserBalance", shape.columns("UserBalance", USER_BALANCE_COLUMNS), finalBalances, {
    onConflict: { doUpdate: { key: "userId", set: ["balance", "updatedAt"] } },
  });
  return { transactions: written, balances };
}
