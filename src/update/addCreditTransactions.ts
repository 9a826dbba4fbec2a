// Step 4: credit transactions that keep the platform's credit invariant (see src/domain/creditLedger.ts).
// Users go a chunk at a time (bounded memory), in id order so concurrent writers lock in the same order.
import { CreditTransactionType } from "../generated/prisma/enums.js";
import {
  chainTransactions,
  readUserLedgers,
  writeCreditLedger,
  type CreditRow,
  type FinalBalances,
} from "../domain/creditLedger.js";
import { chunksOf } from "../bulk/bulkInsert.js";
import type { Random } from "../domain/random.js";
import { timeOrderedId } from "../domain/timeOrderedId.js";
import type { UpdateRun } from "./updateRun.js";

const USERS_PER_CHUNK = 10_000;
const TYPES = [CreditTransactionType.USAGE, CreditTransactionType.TOP_UP, CreditTransactionType.GRANT];
/** The design's amounts, but a grant is positive here (the design's are negative; README, Differences). */
const MAGNITUDES: Record<CreditTransactionType, [number, number]> = {
  USAGE: [1, 50],
  TOP_UP: [10, 500],
  GRANT: [10, 100],
  REFUND: [10, 100],
  CARD_CHECK: [1, 1],
};

/** One user's new transactions chained from `balance`, 1 ms apart from `firstAt` (after the user's last). */
export function planUserTransactions(random: Random, userId: string, balance: number, count: number, firstAt: Date) {
  const times = Array.from({ length: count }, (_, i) => new Date(firstAt.getTime() + i));
  return chainTransactions(
    userId,
    balance,
    times,
    () => timeOrderedId(),
    () => random.pick(TYPES),
    (type, _, createdAt) => ({
      magnitude: random.int(...MAGNITUDES[type]),
      metadata: { source: "test_updater", timestamp: createdAt.toISOString() },
    }),
  );
}

export async function addCreditTransactions(
  { tx, shape, random, now }: UpdateRun,
  userIds: string[],
  options: { users: number; min: number; max: number },
): Promise<number> {
  const users = random.sample(userIds, Math.min(options.users, userIds.length)).sort();
  let written = 0;
  for (const chunk of chunksOf(users, USERS_PER_CHUNK)) {
    const ledgers = await readUserLedgers(tx, shape, chunk, now);
    const rows: CreditRow[] = [];
    const finalBalances: FinalBalances = [];
    for (const userId of chunk) {
      const ledger = ledgers.get(userId) ?? { balance: 0, lastAt: null };
      const firstAt = new Date(Math.max(now.getTime(), (ledger.lastAt?.getTime() ?? 0) + 1));
      const count = random.int(options.min, options.max);
      const planned = planUserTransactions(random, userId, ledger.balance, count, firstAt);
      for (const row of planned.rows) rows.push(row);
      finalBalances.push({ userId, balance: planned.balance, updatedAt: now });
    }
    written += (await writeCreditLedger(tx, shape, rows, finalBalances)).transactions;
  }
  return written;
}
