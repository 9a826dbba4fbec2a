// Work that may fail without aborting the surrounding transaction: it runs under a savepoint,
// rolled back to on failure (the error is rethrown for the caller to judge).
import type { Tx } from "../db/prismaClient.js";

export async function underSavepoint(tx: Tx, work: () => Promise<unknown>): Promise<void> {
  await tx.$executeRaw`SAVEPOINT store_views`;
  try {
    await work();
    await tx.$executeRaw`RELEASE SAVEPOINT store_views`;
  } catch (error) {
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT store_views`;
    throw error;
  }
}

/** The last non-empty line of an error's message: PostgreSQL's own words, without context lines. */
export const errorSummary = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split("\n").filter(Boolean).pop() ?? "unknown error";
