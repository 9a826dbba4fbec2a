// The embedded database's open interactive transactions, kept so that an interrupted command can
// roll them back before it closes PGlite. PGlite's close() waits for the transaction in progress
// to end (the adapter holds PGlite's transaction lock from BEGIN until Prisma commits or rolls
// back), and the command's own code never gets that far once it is interrupted.
import type { PrismaPGlite } from "pglite-prisma-adapter";

type Adapter = Awaited<ReturnType<PrismaPGlite["connect"]>>;
export type AdapterTransaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/** Raised by a statement or commit asked for after the interruption rolled the transaction back. */
export class InterruptedError extends Error {
  constructor() {
    super("interrupted: the transaction was rolled back");
  }
}

/**
 * Lets the event loop run once. PGlite runs each statement in this thread and answers through
 * promises alone, so a whole write phase is one chain of microtasks: Node never polls for
 * signals meanwhile, and a Ctrl-C would wait until the transaction had committed. One turn per
 * statement (statements carry thousands of rows) lets the signal handler in between them.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class OpenTransactions {
  /** Each open transaction, with the function that rolls it back once. */
  readonly #open = new Map<AdapterTransaction, () => Promise<void>>();
  #abandoned = false;

  /** Throws once rollBackAll() has begun: nothing may start or run after it. */
  refuseIfAbandoned(): void {
    if (this.#abandoned) throw new InterruptedError();
  }

  /** Wraps `tx` (in place) so rollBackAll() can end it and no statement runs after that. */
  track<T extends AdapterTransaction>(tx: T): T {
    const queryRaw = tx.queryRaw.bind(tx);
    const executeRaw = tx.executeRaw.bind(tx);
    const commit = tx.commit.bind(tx);
    const rollback = tx.rollback.bind(tx);
    let ended = false;
    const end = () => {
      ended = true;
      this.#open.delete(tx);
    };
    // Once only: the adapter's rollback() starts PGlite's ROLLBACK without awaiting it, and a
    // second one would reject unobserved on the closed transaction.
    const rollBackOnce = async () => {
      if (ended) return;
      end();
      await rollback();
    };
    // The check comes after the turn and right before the statement is queued in PGlite, so no
    // statement can slip in after the ROLLBACK and run outside any transaction (autocommitted).
    tx.queryRaw = async (query) => {
      await nextTurn();
      this.refuseIfAbandoned();
      return queryRaw(query);
    };
    tx.executeRaw = async (query) => {
      await nextTurn();
      this.refuseIfAbandoned();
      return executeRaw(query);
    };
    tx.commit = async () => {
      if (this.#abandoned) {
        await rollBackOnce();
        throw new InterruptedError();
      }
      end();
      return commit();
    };
    tx.rollback = rollBackOnce;
    this.#open.set(tx, rollBackOnce);
    return tx;
  }

  /** Refuses every later statement, then rolls back each open transaction and waits for it. */
  async rollBackAll(): Promise<void> {
    this.#abandoned = true;
    await Promise.all([...this.#open.values()].map((rollBack) => rollBack()));
  }
}
