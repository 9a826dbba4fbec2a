// Credit transactions and balances of the new users, chained from 0 (a new user has no history)
// by the platform's rules (see src/ledger/creditLedger.ts).
import { CreditTransactionType } from "../generated/prisma/client.js";
import { chainTransactions, writeCreditLedger, type CreditRow, type DrawnTransaction } from "../ledger/creditLedger.js";
import type { Random } from "../shared/random.js";
import { MINUTE, increasingTimes, type CreateContext } from "./context.js";
import type { CreatedBlock } from "./graphs.js";
import type { CreatedUser } from "./people.js";

export interface CreditLedger {
  transactions: CreditRow[];
  balances: Array<{ userId: string; balance: number; updatedAt: Date }>;
}

const LATER_TYPES = [CreditTransactionType.USAGE, CreditTransactionType.TOP_UP, CreditTransactionType.GRANT];
const LATER_WEIGHTS = [65, 20, 15];
const GRANTS = [100, 250, 500, 1000];

/** Plans 1..maxTransactionsPerUser transactions per user, the first adding credit; with 0, no UserBalance rows. */
export function planCreditLedger(
  random: Random,
  newId: () => string,
  users: CreatedUser[],
  blocks: CreatedBlock[],
  maxTransactionsPerUser: number,
  now: number,
): CreditLedger {
  const ledger: CreditLedger = { transactions: [], balances: [] };
  if (maxTransactionsPerUser === 0) return ledger;
  for (const user of users) {
    const times = increasingTimes(random, user.createdAt + MINUTE, now - MINUTE, random.int(1, maxTransactionsPerUser)).map((t) => new Date(t));
    const pickType = (i: number) =>
      i === 0 ? random.pick([CreditTransactionType.GRANT, CreditTransactionType.TOP_UP]) : random.weighted(LATER_TYPES, LATER_WEIGHTS);
    const draw = (type: CreditTransactionType, i: number): DrawnTransaction => {
      if (type === CreditTransactionType.USAGE) {
        const block = random.pick(blocks);
        return { magnitude: random.int(1, 300), metadata: { reason: `Ran ${block.name}`, block_id: block.id, block: block.name } };
      }
      if (type === CreditTransactionType.TOP_UP) return { magnitude: random.int(5, 100) * 100, metadata: { reason: "Top up" } };
      return { magnitude: random.pick(GRANTS), metadata: { reason: i === 0 ? "Welcome credits" : "Promotional grant" } };
    };
    const chain = chainTransactions(user.id, 0, times, newId, pickType, draw);
    ledger.transactions.push(...chain.rows);
    ledger.balances.push({ userId: user.id, balance: chain.balance, updatedAt: times[times.length - 1]! });
  }
  return ledger;
}

export async function createCreditTransactions(
  ctx: CreateContext,
  users: CreatedUser[],
  blocks: CreatedBlock[],
): Promise<{ transactions: number; balances: number }> {
  const ledger = planCreditLedger(ctx.random, ctx.newId, users, blocks, ctx.options.maxTransactionsPerUser, ctx.now);
  return writeCreditLedger(ctx.tx, ctx.shape, ledger.transactions, ledger.balances, ctx.track("CreditTransaction", ledger.transactions.length));
}
