// Tracks the embedded database's open transactions so an interrupted command can roll them back before closing
// PGlite: close() waits for the adapter's transaction lock (BEGIN to commit or rollback), which such a command keeps.
import type { PrismaPGlite } from "pglite-prisma-adapter";

type Adapter = Awaited<ReturnType<PrismaPGlite["connect"]>>;
type AdapterTransaction = Awaited<ReturnType<Adapter["startTransaction"]>>;
type SqlQuery = Parameters<AdapterTransaction["queryRaw"]>[0];

/** Raised by a statement or commit asked for after the interruption rolled the transaction back. */
const interrupted = () => new Error("interrupted: the transaction was rolled back");

/** Lets the event loop run once. PGlite runs in this thread and answers through promises alone, so a
 *  write phase is one microtask chain: Node never polls for signals, and Ctrl-C waits for the commit. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class OpenTransactions {
  /** Each transaction while open (until commit or rollback), with the rollback that ends it once. */
  readonly #open = new Map<AdapterTransaction, () => Promise<void>>();
  #abandoned = false;

  /** Throws once rollBackAll() has begun: nothing may start or run after it. */
  refuseIfAbandoned(): void {
    if (this.#abandoned) throw interrupted();
  }

  /** Wraps `tx` (in place) so rollBackAll() can end it and no statement runs after that. */
  track<T extends AdapterTransaction>(tx: T): T {
    const commit = tx.commit.bind(tx);
    const rollback = tx.rollback.bind(tx);
    // Once only: the adapter's rollback() doesn't await PGlite's ROLLBACK; a second would reject unobserved.
    const rollBackOnce = async () => {
      if (this.#open.delete(tx)) await rollback();
    };
    // Checked after the turn, just before PGlite queues it: no statement may follow the ROLLBACK (autocommitted).
    const guarded =
      <R>(run: (query: SqlQuery) => Promise<R>) =>
      async (query: SqlQuery) => {
        await nextTurn();
        this.refuseIfAbandoned();
        return run(query);
      };
    tx.queryRaw = guarded(tx.queryRaw.bind(tx));
    tx.executeRaw = guarded(tx.executeRaw.bind(tx));
    tx.commit = async () => {
      if (this.#abandoned) {
        await rollBackOnce();
        throw interrupted();
      }
      this.#open.delete(tx);
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
