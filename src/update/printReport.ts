// The updater's output: the verification as the original prints it (view sizes, top 5 by runs
// and by rating), plus the comparison with the source tables; or one JSON document.
import type { UpdateReport } from "./runUpdate.js";
import type { ViewCheck } from "../views/verifyViews.js";

export function viewsMatch(report: UpdateReport): boolean {
  return report.views.mv_agent_run_counts.matchesSource && report.views.mv_review_stats.matchesSource;
}

export function reportAsJson(report: UpdateReport): string {
  const { views } = report;
  const view = ({ rows, matchesSource, differenceCount, differences }: ViewCheck) => ({
    rows,
    matchesSource,
    differenceCount,
    differences,
  });
  return JSON.stringify(
    {
      seed: report.seed,
      dryRun: report.dryRun,
      base: report.base,
      created: report.created,
      updated: report.updated,
      refresh: report.refresh,
      views: {
        mv_agent_run_counts: { ...view(views.mv_agent_run_counts), column: views.runCountColumn, top: views.mv_agent_run_counts.top },
        mv_review_stats: { ...view(views.mv_review_stats), top: views.mv_review_stats.top },
      },
      seconds: report.seconds,
    },
    null,
    2,
  );
}

export function reportAsText(report: UpdateReport): string[] {
  const { mv_agent_run_counts: runs, mv_review_stats: reviews } = report.views;
  const lines = [
    `✓ mv_agent_run_counts has ${runs.rows} entries`,
    `✓ mv_review_stats has ${reviews.rows} entries`,
    "",
    "Top 5 agents by run count:",
    ...runs.top.map((r) => `  - Agent ${r.graphId.slice(0, 8)}...: ${r.runCount} runs`),
    "",
    "Top 5 store listings by rating:",
    ...reviews.top.map((r) => `  - Listing ${r.storeListingId.slice(0, 8)}...: ${r.avgRating.toFixed(2)} ⭐ (${r.reviewCount} reviews)`),
    "",
    "Views against a fresh aggregate of their source tables:",
    ...comparison("mv_agent_run_counts", runs),
    ...comparison("mv_review_stats", reviews),
    "",
    "=".repeat(60),
  ];
  if (report.dryRun) lines.push("Dry run: everything above was rolled back; the database is unchanged.");
  else if (viewsMatch(report)) lines.push("Test data update completed: the views reflect the updated data.");
  else lines.push("Test data written, but the views do not match their source tables (see above).");
  lines.push(`Seed ${report.seed} (pass --seed ${report.seed} to repeat this run on the same data).`);
  return lines;
}

function comparison(name: string, check: ViewCheck): string[] {
  if (check.matchesSource) return [`  ✓ ${name}: all ${check.rows} rows match`];
  return [
    `  ✗ ${name}: ${check.differenceCount} rows differ (key: view | source)`,
    ...check.differences.map((d) => `      ${d.key}: ${d.inView ?? "missing"} | ${d.inSource ?? "missing"}`),
  ];
}
