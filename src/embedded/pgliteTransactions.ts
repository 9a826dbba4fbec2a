// Tracks the embedded database's open transactions so an interrupted command can roll them back
// before closing PGlite: close() waits for the adapter's transaction lock (held from BEGIN to commit
// or rollback), and an interrupted command never gets that far.
import type { PrismaPGlite } from "pglite-prisma-adapter";

type Adapter = Awaited<ReturnType<PrismaPGlite["connect"]>>;
export type AdapterTransaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/** Raised by a statement or commit asked for after the interruption rolled the transaction back. */
export class InterruptedError extends Error {
  constructor() {
    super("interrupted: the transaction was rolled back");
  }
}

/** Lets the event loop run once. PGlite runs in this thread and answers through promises alone, so a
 *  write phase is one microtask chain: Node never polls for signals, and Ctrl-C waits for the commit. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class OpenTransactions {
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
    // Once only: the adapter's rollback() doesn't await PGlite's ROLLBACK; a second would reject unobserved.
    const rollBackOnce = async () => {
      if (ended) return;
      end();
      await rollback();
    };
    // Checked after the turn, just before PGlite queues it: no statement may follow the ROLLBACK (autocommitted).
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
