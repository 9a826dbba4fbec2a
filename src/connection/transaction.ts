// A run of the creator or the updater is one interactive transaction: it commits whole, or (on
// any error, an interrupt, or a dry run) rolls back whole.
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

/** Long enough for millions of rows in one transaction; maxWait makes a stuck pool fail, not hang. */
export const TRANSACTION_OPTIONS = { timeout: 60 * 60_000, maxWait: 60_000 } as const;

/** Thrown inside the transaction to roll a dry run back once its result is known. */
class Rollback<T> extends Error {
  constructor(readonly result: T) {
    super("dry run: rolled back");
  }
}

/** Runs `work` in one transaction; with `rollback`, undoes it and still returns its result. */
export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, { rollback = false } = {}): Promise<T> {
  try {
    return await db.$transaction(async (tx) => {
      const result = await work(tx);
      if (rollback) throw new Rollback(result);
      return result;
    }, TRANSACTION_OPTIONS);
  } catch (error) {
    if (error instanceof Rollback) return error.result as T;
    throw error;
  }
}
