// After the refresh, in the same transaction (a definition may read now()): each view the run made stale is
// proven against its own definition (proveView.ts) and compared with its copy from before the run (viewChanges.ts);
// one known by name is also sampled as the original prints it and checked against the rows it counts (viewChecks.ts).
import { changedRows, copyTable, type ViewChange, type ViewsBefore } from "./viewChanges.js";
import type { Tx } from "../connection/transaction.js";
import { proveView, type ViewCheck } from "./proveView.js";
import { checkReviewStats, checkRunCounts } from "./viewChecks.js";
import { ident, readViewShape, type ViewShape } from "./viewShape.js";

interface KnownView {
  /** Names the key column had in the platform's releases: used when the view has no unique index. */
  keys: readonly string[];
  /** Columns the readers need, the largest moves ordered by them in turn; the first is the count summed. */
  columns: readonly string[];
  samples?: {
    /** The key's name in a sample. */
    id: string;
    /** Columns in a sample's order, named in camelCase (and `${name}Before`); the first orders the top rows. */
    shown: readonly string[];
    /** The shown column that is a rating: 0 for a row without reviews (as the original prints it), null for no row. */
    rating?: string;
    /** The row's name and slug: scalar subqueries over a text id expression (built from checked names). */
    name: (id: string) => string;
    slug: (id: string) => string;
  };
  check?: (tx: Tx, view: string, key: string) => Promise<string[]>;
}

// An agent is named by its graph's name (the active version's, else the highest version's) and the
// slug of its listing, a live one first; a listing by its slug and its graph's name.
const graphName = (id: string) =>
  `(SELECT g."name" FROM "AgentGraph" g WHERE g."id" = ${id}
    ORDER BY g."isActive" DESC, g."version" DESC LIMIT 1)`;
const listing = (column: string, id: string) =>
  `(SELECT sl.${ident(column)} FROM "StoreListing" sl WHERE sl."id" = ${id})`;

const KNOWN_VIEWS: Record<string, KnownView> = {
  // "agentGraphId" at v0.6.44, graph_id since 2026.
  mv_agent_run_counts: {
    keys: ["agentGraphId", "graph_id"],
    columns: ["run_count"],
    samples: {
      id: "graphId",
      shown: ["run_count"],
      name: graphName,
      slug: (id) =>
        `(SELECT sl."slug" FROM "StoreListing" sl WHERE sl."agentGraphId" = ${id}
          ORDER BY sl."isDeleted", sl."createdAt" DESC LIMIT 1)`,
    },
    check: checkRunCounts,
  },
  mv_review_stats: {
    keys: ["storeListingId"],
    columns: ["review_count", "avg_rating"],
    samples: {
      id: "storeListingId",
      shown: ["avg_rating", "review_count"],
      rating: "avg_rating",
      name: (id) => graphName(listing("agentGraphId", id)),
      slug: (id) => listing("slug", id),
    },
    check: checkReviewStats,
  },
  // Since 2026-01-29: block suggestions from node runs of the last 14 days.
  mv_suggested_blocks: { keys: ["block_id"], columns: ["execution_count"] },
};

/** The view's key column: its single-column unique index's, else a known name; undefined when it
 *  has neither, or lacks a column its readers need. */
function viewKey(shape: ViewShape, known: KnownView | undefined): string | undefined {
  const key =
    shape.uniqueKey && shape.key.length === 1 ? shape.key[0] : known?.keys.find((c) => shape.columns.includes(c));
  return key && (known?.columns ?? []).every((c) => shape.columns.includes(c)) ? key : undefined;
}

const SAMPLE_SIZE = 5;

/** A sample: the row's values now and (`...Before`) before the run, null without a row then or a copy. */
type Sample<Id extends string, V> = Record<Id, string> & { name: string | null; slug: string | null } & V & Before<V>;
type Before<V> = { [K in keyof V & string as `${K}Before`]: V[K] | null };
export type TopRating = Sample<"storeListingId", { avgRating: number; reviewCount: number }>;
/** The largest changes: null on a side without a row. */
export type RunChange = Sample<"graphId", { runCount: number | null }>;
export type RatingChange = Sample<"storeListingId", { avgRating: number | null; reviewCount: number | null }>;

export interface ViewReport<Top = unknown, Change = unknown> extends ViewCheck {
  /** The key column samples and checks read by (KNOWN_VIEWS); null when it has none. */
  column: string | null;
  top: Top[];
  /** Against its copy from before the run; null without one. */
  changes: ViewChange<Change> | null;
}

/** By name, in refresh order; the store's two typed with their samples. */
export type ViewReports = Record<string, ViewReport> & {
  mv_agent_run_counts?: ViewReport<Sample<"graphId", { runCount: number }>, RunChange>;
  mv_review_stats?: ViewReport<TopRating, RatingChange>;
};

export type ViewsReport = Awaited<ReturnType<typeof verifyViews>>;

/** `warnings`: what the views say that the rows they count can't support, empty when all is well;
 *  `changesUnavailable`: why changes are null, when the views couldn't be copied. */
export async function verifyViews(tx: Tx, before: ViewsBefore) {
  const views: ViewReports = {};
  const warnings: string[] = [];
  for (const old of before.views) {
    const { name } = old;
    const shape = await readViewShape(tx, name);
    const known = Object.hasOwn(KNOWN_VIEWS, name) ? KNOWN_VIEWS[name] : undefined;
    const column = viewKey(shape, known) ?? null;
    // An unpopulated view can't be read: no samples, no checks.
    const key = shape.populated && known ? column : null;
    const copy = before.copied ? copyTable(name) : undefined;
    const proof = await proveView(tx, shape);
    const { top, largest } = key ? await sampleRows(tx, name, key, known!, copy) : { top: [], largest: [] };
    const changes = copy ? await changedRows(tx, shape, old, largest, key ? known?.columns[0] : undefined) : null;
    if (key && known?.check) warnings.push(...(await known.check(tx, name, key)));
    views[name] = { ...proof, column, top, changes };
  }
  return { views, warnings, ...(before.reason ? { changesUnavailable: before.reason } : {}) };
}

/** The view's top rows, with their values in its copy `before` (if any), and the rows that moved most since. */
async function sampleRows(tx: Tx, view: string, key: string, known: KnownView, before: string | undefined) {
  const { samples, columns } = known;
  if (!samples) return { top: [], largest: [] };
  const k = ident(key);
  const id = `COALESCE(v.${k}, b.${k})::text`;
  const value = (column: string, side: string) =>
    column === samples.rating
      ? `CASE WHEN ${side}.${k} IS NULL THEN NULL ELSE COALESCE(${side}.${ident(column)}, 0)::float8 END`
      : `${side}.${ident(column)}::int`;
  const camel = (column: string) => column.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase());
  const now = samples.shown.map((c) => `${value(c, "v")} AS ${ident(camel(c))}`);
  const then = samples.shown.map((c) => `${value(c, "b")} AS ${ident(`${camel(c)}Before`)}`);
  const named = [`${samples.name(id)} AS "name"`, `${samples.slug(id)} AS "slug"`];
  const sides = (side: string) => columns.map((c) => `${side}.${ident(c)}`).join(", ");
  const moved = columns.map((c) => `abs(COALESCE(v.${ident(c)}, 0) - COALESCE(b.${ident(c)}, 0)) DESC`).join(", ");
  // Without a copy, an empty one: its values read as null.
  const copy = before ? `pg_temp.${ident(before)}` : `(SELECT * FROM ${ident(view)} WHERE false)`;
  const rows = (select: string[], join: string, rest: string) =>
    tx.$queryRawUnsafe<unknown[]>(
      `SELECT ${id} AS ${ident(samples.id)}, ${select.join(", ")}
       FROM ${ident(view)} v ${join} JOIN ${copy} b ON b.${k} = v.${k} ${rest} LIMIT $1`,
      SAMPLE_SIZE,
    );
  const byTop = `ORDER BY v.${ident(samples.shown[0]!)} DESC NULLS LAST, v.${k}`;
  const byMove = `WHERE (${sides("v")}) IS DISTINCT FROM (${sides("b")}) ORDER BY ${moved}, 1`;
  return {
    top: await rows([...now, ...named, ...then], "LEFT", byTop),
    largest: before ? await rows([...named, ...then, ...now], "FULL", byMove) : [],
  };
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

export const proofLine = (views: ViewReports) => `${allMatch(views) ? "✓" : "✗"} ${describeProof(views)}`;
