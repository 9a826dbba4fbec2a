// The updater's output, as text or one JSON document.
import {
  allMatch,
  describeProof,
  NOTHING_TO_PROVE,
  type RatingChange,
  type RunChange,
  type TopRating,
  type ViewReport,
  type ViewsReport,
} from "../views/verifyViews.js";

/** What the text prints of the updater's report (updateTestData.ts); the JSON prints all of it. */
type Report = ViewsReport & { seed: number; dryRun: boolean };

/** The whole report; why there are no before/after figures (when so) goes under views, after them. */
export function reportAsJson({ changesUnavailable, ...report }: Report): string {
  const views = changesUnavailable ? { ...report.views, changesUnavailable } : report.views;
  return JSON.stringify({ ...report, views }, null, 2);
}

export function reportAsText(report: Report): string[] {
  const { views, changesUnavailable } = report;
  const { mv_agent_run_counts: runs, mv_review_stats: reviews } = views;
  const names = Object.keys(views);
  const top = <T>(title: string, rows: T[] | undefined, line: (row: T) => string) =>
    rows ? ["", title, ...rows.map((row) => `  - ${line(row)}`)] : [];
  const lines = [
    ...(names.length === 0 ? [NOTHING_TO_PROVE] : names.map((name) => `✓ ${name} has ${views[name]!.rows} entries`)),
    ...top("Top 5 agents by run count:", runs?.top, (r) => {
      const delta = runs?.changes ? ` (${runDelta(r.runCountBefore, r.runCount)})` : "";
      return `${agent(r.graphId, r.name, r.slug)}: ${r.runCount} runs${delta}`;
    }),
    ...top("Top 5 store listings by rating:", reviews?.top, (r) => {
      const delta = reviews?.changes ? ` (${ratingDelta(r)})` : "";
      const rating = `${stars(r.avgRating)} (${reviewsText(r.reviewCount)})`;
      return `${listing(r.storeListingId, r.name, r.slug)}: ${rating}${delta}`;
    }),
  ];
  if (names.length > 0) {
    lines.push(
      "",
      "What changed in the views (as they stood before this run → now, by key):",
      ...(changesUnavailable
        ? [`  not available: ${changesUnavailable}`]
        : names.flatMap((name) => changeLines(name, views[name]!.changes, CHANGE_LINES[name] ?? (() => "")))),
      "",
      "Views against their own definitions (read from the catalog), run fresh:",
      ...names.flatMap((name) => comparison(name, views[name]!)),
    );
  }
  if (report.warnings.length > 0) lines.push("", ...report.warnings.map((w) => `⚠ ${w}`));
  lines.push("", "=".repeat(60));
  if (report.dryRun) lines.push("Dry run: everything above was rolled back; the database is unchanged.");
  else if (allMatch(report.views)) lines.push(`Test data update completed: ${describeProof(report.views)}.`);
  else lines.push("Test data written, but the views do not match their own definitions (see above).");
  lines.push(`Seed ${report.seed} (pass --seed ${report.seed} to repeat this run on the same data).`);
  return lines;
}

const quoted = (name: string | null) => (name === null ? "" : ` ${JSON.stringify(name)}`);
const agent = (id: string, name: string | null, slug: string | null) =>
  `Agent ${id.slice(0, 8)}...${quoted(name)}${slug === null ? "" : ` (listing ${slug})`}`;
const listing = (id: string, name: string | null, slug: string | null) =>
  `Listing ${id.slice(0, 8)}...${slug === null ? "" : ` ${slug}`}${name === null ? "" : `, agent${quoted(name)}`}`;
const stars = (rating: number) => `${rating.toFixed(2)} ⭐`;
const reviewsText = (n: number) => `${n} review${n === 1 ? "" : "s"}`;
const signed = (n: number) => (n < 0 ? `${n}` : `+${n}`);

function runDelta(before: number | null, after: number): string {
  if (before === null) return `new, +${after}`;
  return after === before ? "unchanged" : signed(after - before);
}

function ratingDelta(r: TopRating): string {
  if (r.avgRatingBefore === null || r.reviewCountBefore === null) return "new";
  if (r.avgRatingBefore === r.avgRating && r.reviewCountBefore === r.reviewCount) return "unchanged";
  const reviews = signed(r.reviewCount - r.reviewCountBefore);
  return `${r.avgRatingBefore.toFixed(2)} → ${r.avgRating.toFixed(2)}, ${reviews} reviews`;
}

const CHANGE_LINES: Record<string, (entry: unknown) => string> = {
  mv_agent_run_counts: (c) => runChangeLine(c as RunChange),
  mv_review_stats: (c) => ratingChangeLine(c as RatingChange),
};

function changeLines(name: string, change: ViewReport["changes"], line: (entry: unknown) => string): string[] {
  if (!change) return [`  ${name}: no copy from before the run`];
  const before = change.populatedBefore ? `${change.rowsBefore}` : "0 (not populated)";
  const c = change.counted;
  const total = c ? `; ${c.column} in all ${c.before} → ${c.after} (${signed(c.after - c.before)})` : "";
  return [
    `  ${name}: ${before} → ${change.rowsAfter} rows; ${change.added} added, ${change.removed} removed, ` +
      `${change.changed} changed${total}`,
    ...change.largest.map((entry) => `    - ${line(entry)}`),
  ];
}

function runChangeLine(c: RunChange): string {
  const side = (n: number | null) => (n === null ? "none" : `${n}`);
  const delta = signed((c.runCount ?? 0) - (c.runCountBefore ?? 0));
  return `${agent(c.graphId, c.name, c.slug)}: ${side(c.runCountBefore)} → ${side(c.runCount)} runs (${delta})`;
}

function ratingChangeLine(c: RatingChange): string {
  const side = (rating: number | null, count: number | null) =>
    rating === null || count === null ? "none" : `${stars(rating)} (${reviewsText(count)})`;
  const before = side(c.avgRatingBefore, c.reviewCountBefore);
  return `${listing(c.storeListingId, c.name, c.slug)}: ${before} → ${side(c.avgRating, c.reviewCount)}`;
}

function comparison(name: string, check: ViewReport): string[] {
  if (!check.populated)
    return [`  ✗ ${name}: not populated (never refreshed); its definition gives ${check.sourceRows} rows`];
  if (check.matchesSource) return [`  ✓ ${name}: all ${check.rows} rows match`];
  return [
    `  ✗ ${name}: ${check.differenceCount} rows differ by ${check.keyColumns.join(", ")} (key: view | definition)`,
    ...check.differences.map((d) => `      ${d.key}: ${d.inView ?? "missing"} | ${d.inSource ?? "missing"}`),
  ];
}
