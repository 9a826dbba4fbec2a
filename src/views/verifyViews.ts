// After the refresh, in the same transaction (a definition may read now()): each view the run made
// stale is proven against its own definition (proveView.ts), sampled as the original prints it,
// compared with its copy from before the run, and checked against the rows it counts (viewChecks.ts).
import { changedRows, type ViewChange, type ViewsBefore } from "./viewChanges.js";
import type { Tx } from "../connection/transaction.js";
import { proveView, type ViewCheck } from "./proveView.js";
import {
  knownView,
  sampleRows,
  viewKey,
  type RatingChange,
  type RunChange,
  type TopRating,
  type TopRun,
} from "./knownViews.js";
import { readViewShape } from "./viewShape.js";

export type { ViewCheck, ViewDifference } from "./proveView.js";
export type { ViewChange } from "./viewChanges.js";
export type { RatingChange, RunChange, TopRating, TopRun } from "./knownViews.js";

export interface ViewReport<Top = unknown, Change = unknown> extends ViewCheck {
  /** The key column samples and checks read by (knownViews.ts); null when it has none. */
  column: string | null;
  top: Top[];
  /** Against its copy from before the run; null without one. */
  changes: ViewChange<Change> | null;
}

/** By name, in refresh order; the store's two typed with their samples. */
export type ViewReports = Record<string, ViewReport> & {
  mv_agent_run_counts?: ViewReport<TopRun, RunChange>;
  mv_review_stats?: ViewReport<TopRating, RatingChange>;
};

export interface ViewsReport {
  views: ViewReports;
  /** What the views say that the rows they count can't support; empty when all is well. */
  warnings: string[];
  /** Why there are no before/after figures (changes: null), when the views couldn't be copied. */
  changesUnavailable?: string;
}

export async function verifyViews(tx: Tx, before: ViewsBefore): Promise<ViewsReport> {
  const views: ViewReports = {};
  const warnings: string[] = [];
  for (const { name } of before.views) {
    const shape = await readViewShape(tx, name);
    const known = knownView(name);
    const column = viewKey(shape, known) ?? null;
    // An unpopulated view can't be read: no samples, no checks.
    const key = shape.populated && known ? column : null;
    const copy = before.copies?.[name];
    const proof = await proveView(tx, shape);
    const { top, largest } = key ? await sampleRows(tx, name, key, known!, copy?.table) : { top: [], largest: [] };
    const changes = copy ? await changedRows(tx, shape, copy, key ? known?.columns[0] : undefined, largest) : null;
    if (key && known?.check) warnings.push(...(await known.check(tx, name, key)));
    views[name] = { ...proof, column, top, changes };
  }
  return { views, warnings, ...(before.reason ? { changesUnavailable: before.reason } : {}) };
}

export const allMatch = (views: ViewReports) => Object.values(views).every((v) => v.matchesSource);

export const NOTHING_TO_PROVE =
  "No materialized view reads the tables written: nothing to refresh or prove (the store computes its numbers live)";

/** "3 views refreshed, all match their own definitions", or which don't. */
export function describeProof(views: ViewReports): string {
  const names = Object.keys(views);
  if (names.length === 0) return NOTHING_TO_PROVE;
  const wrong = names.filter((name) => !views[name]!.matchesSource);
  const refreshed = `${names.length} materialized view${names.length === 1 ? "" : "s"} refreshed (${names.join(", ")})`;
  return wrong.length === 0
    ? `${refreshed}, all match their own definitions run fresh`
    : `${refreshed}; ${wrong.join(", ")} do not match their own definitions`;
}

/** The verification step's line in either command's output. */
export const proofLine = (views: ViewReports) => `${allMatch(views) ? "✓" : "✗"} ${describeProof(views)}`;
