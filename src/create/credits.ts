// New users' credit transactions and balances, chained from 0 (no history) by the platform's rules (creditLedger.ts).
import { CreditTransactionType } from "../generated/prisma/client.js";
import { chainTransactions, writeCreditLedger, type CreditRow, type FinalBalances } from "../domain/creditLedger.js";
import { MINUTE, Purpose, increasingTimes, newId, type CreateContext, type UserKey } from "./context.js";
import type { CreatedBlock } from "./graphs.js";

const LATER_TYPES = [CreditTransactionType.USAGE, CreditTransactionType.TOP_UP, CreditTransactionType.GRANT];
const LATER_WEIGHTS = [65, 20, 15];
const GRANTS = [100, 250, 500, 1000];

/** 1..maxTransactionsPerUser transactions for each of the batch's users, the first adding credit,
 *  made as they are written; each user's final balance goes to `balances` (with 0, none). */
export function* planCreditLedger(
  ctx: CreateContext,
  blocks: CreatedBlock[],
  users: UserKey[],
  balances: FinalBalances,
): Generator<CreditRow> {
  const { random, now } = ctx;
  const max = ctx.options.maxTransactionsPerUser;
  if (max === 0) return;
  for (const user of users) {
    random.reseed(Purpose.credits, user.index);
    const count = random.int(1, max);
    const times = increasingTimes(random, user.createdAt + MINUTE, now - MINUTE, count).map((t) => new Date(t));
    const pickType = (i: number) =>
      i === 0
        ? random.pick([CreditTransactionType.GRANT, CreditTransactionType.TOP_UP])
        : random.weighted(LATER_TYPES, LATER_WEIGHTS);
    const draw = (type: CreditTransactionType, i: number) => {
      if (type === CreditTransactionType.USAGE) {
        const block = random.pick(blocks);
        const metadata = { reason: `Ran ${block.name}`, block_id: block.id, block: block.name };
        return { magnitude: random.int(1, 300), metadata };
      }
      if (type === CreditTransactionType.TOP_UP)
        return { magnitude: random.int(5, 100) * 100, metadata: { reason: "Top up" } };
      const reason = i === 0 ? "Welcome credits" : "Promotional grant";
      return { magnitude: random.pick(GRANTS), metadata: { reason } };
    };
    const chain = chainTransactions(user.id, 0, times, () => newId(ctx), pickType, draw);
    yield* chain.rows;
    balances.push({ userId: user.id, balance: chain.balance, updatedAt: times[times.length - 1]! });
  }
}

export async function createCredits(ctx: CreateContext, blocks: CreatedBlock[], users: UserKey[]): Promise<void> {
  const balances: FinalBalances = [];
  const written = await writeCreditLedger(ctx.tx, ctx.shape, planCreditLedger(ctx, blocks, users, balances), balances);
  ctx.counts.creditTransactions += written.transactions;
  ctx.counts.userBalances += written.balances;
}
