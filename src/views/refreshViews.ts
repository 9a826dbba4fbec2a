// Refreshes the views a run made stale, in order: the store's two with the platform's function, as its
// backend does; any other, or those two when the function is missing or fails, directly. Each attempt runs
// under a savepoint so a failure doesn't abort the transaction; a view left stale is the proof's to report.
import type { Tx } from "../connection/transaction.js";
import { ident, type ViewShape } from "./viewShape.js";

export type RefreshOutcome =
  /** No materialized view reads what the run wrote (a platform release before v0.6.16). */
  | { method: "none" }
  /** The store's views by the platform's function; any other directly. */
  | { method: "function"; direct: string[] }
  /** Each view directly; `reason`: why not with the function (when a store view was among them). */
  | { method: "direct"; direct: string[]; reason?: string }
  | { method: "failed"; reason: string };

const STORE_VIEWS = ["mv_agent_run_counts", "mv_review_stats"];
const STORE_FUNCTION = "refresh_store_materialized_views()";

export async function refreshViews(tx: Tx, views: readonly ViewShape[]): Promise<RefreshOutcome> {
  if (views.length === 0) return { method: "none" };
  let byFunction: Promise<string | undefined> | undefined; // tried once, at the first store view
  const direct: string[] = [];
  const failed: string[] = [];
  for (const view of views) {
    if (STORE_VIEWS.includes(view.name)) {
      byFunction ??= refreshStoreViews(tx);
      if (!(await byFunction)) continue;
    }
    const problem = await refreshDirectly(tx, view);
    if (problem) failed.push(`${view.name}: ${problem}`);
    else direct.push(view.name);
  }
  const reason = await byFunction;
  if (failed.length > 0) {
    const refused = `refreshing directly failed (${failed.join("; ")})`;
    return { method: "failed", reason: reason ? `${reason}; ${refused}` : refused };
  }
  if (byFunction && !reason) return { method: "function", direct };
  return { method: "direct", direct, ...(reason ? { reason } : {}) };
}

/** undefined when the platform's function refreshed the store's views; else why not. */
async function refreshStoreViews(tx: Tx): Promise<string | undefined> {
  try {
    const [fn] = await tx.$queryRaw<Array<{ exists: boolean }>>`
      SELECT to_regprocedure(${STORE_FUNCTION}) IS NOT NULL AS "exists"`;
    if (!fn?.exists) return `${STORE_FUNCTION} does not exist in this schema`;
    await underSavepoint(tx, () => tx.$executeRaw`SELECT refresh_store_materialized_views()`);
  } catch (error) {
    return `${STORE_FUNCTION} failed: ${errorSummary(error)}`;
  }
}

/** null when refreshed; else PostgreSQL's last word on why not. CONCURRENTLY (the platform's choice)
 *  needs a unique index and a populated view; when refused, plainly, as the platform's function does. */
async function refreshDirectly(tx: Tx, view: ViewShape): Promise<string | null> {
  const name = ident(view.name);
  let problem: string | null = null;
  for (const target of view.uniqueKey && view.populated ? [`CONCURRENTLY ${name}`, name] : [name]) {
    try {
      await underSavepoint(tx, () => tx.$executeRawUnsafe(`REFRESH MATERIALIZED VIEW ${target}`));
      return null;
    } catch (error) {
      problem = errorSummary(error);
    }
  }
  return problem;
}

export function describeRefresh(outcome: RefreshOutcome, views: readonly ViewShape[]): string {
  const store = views.filter((v) => STORE_VIEWS.includes(v.name)).map((v) => v.name);
  switch (outcome.method) {
    case "none":
      return "✓ Nothing to refresh: no materialized view reads the tables written";
    case "function": {
      const direct = outcome.direct.length > 0 ? `, ${and(outcome.direct)} directly` : "";
      return `✓ Refreshed ${and(store)} with ${STORE_FUNCTION}${direct}`;
    }
    case "direct":
      return outcome.reason
        ? `⚠ ${outcome.reason}; refreshed ${and(outcome.direct)} directly`
        : `✓ Refreshed ${and(outcome.direct)} directly`;
    case "failed": {
      const byHand = [
        ...(store.length > 0 ? [`SELECT ${STORE_FUNCTION};`] : []),
        ...views.filter((v) => !store.includes(v.name)).map((v) => `REFRESH MATERIALIZED VIEW ${ident(v.name)};`),
      ].join(" ");
      return `⚠ Could not refresh the materialized views (${outcome.reason}). Refresh them by hand: ${byHand}`;
    }
  }
}

const and = (names: string[]) => new Intl.ListFormat("en-GB", { type: "conjunction" }).format(names);

// On failure, rolls back to the savepoint (the transaction goes on) and rethrows for the caller to judge.
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
