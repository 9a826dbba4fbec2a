// What a view says, checked against the rows it counts, independently of its definition: the proof
// (proveView.ts) can't catch a definition that is itself wrong, and the platform has shipped one
// (the 2026 mv_agent_run_counts counts a run once per version row of its graph).
import type { Tx } from "../connection/transaction.js";
import { ident } from "./viewShape.js";

const short = (id: string) => `${id.slice(0, 8)}…`;

/** A graph's run_count can't exceed its runs (every AgentGraphExecution row with its id, any user,
 *  version, status or isDeleted). For the spec's two shapes, an aggregate of what the view means
 *  catches over-counts under that bound: "agentGraphId" (v0.6.44) counts every run, graph_id (2026)
 *  the runs by anyone but the graph's owner, each once. */
export async function checkRunCounts(tx: Tx, view: string, key: string): Promise<string[]> {
  const expected =
    key === "agentGraphId" ? "COALESCE(r.total, 0)" : key === "graph_id" ? "COALESCE(r.by_others, 0)" : "NULL::bigint";
  type Counts = Record<"rows" | "over" | "off" | "n" | "total" | "by_others" | "versions", number>;
  const [row] = await tx.$queryRawUnsafe<Array<Counts & { id: string | null; expected: number | null }>>(
    `WITH v AS MATERIALIZED (SELECT v.${ident(key)}::text AS id, v."run_count"::numeric AS n FROM ${ident(view)} v),
     runs AS (
       SELECT e."agentGraphId" AS id, COUNT(*) AS total,
              COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM "AgentGraph" g
                                             WHERE g."id" = e."agentGraphId" AND g."userId" <> e."userId")) AS by_others
       FROM "AgentGraphExecution" e WHERE e."agentGraphId" IN (SELECT id FROM v) GROUP BY 1),
     c AS (SELECT v.id, v.n, COALESCE(r.total, 0) AS total, COALESCE(r.by_others, 0) AS by_others,
                  (SELECT COUNT(*) FROM "AgentGraph" g WHERE g."id" = v.id) AS versions, ${expected} AS expected
           FROM v LEFT JOIN runs r USING (id))
     SELECT (SELECT COUNT(*) FROM c)::int AS rows, (SELECT COUNT(*) FROM c WHERE n > total)::int AS over,
            (SELECT COUNT(*) FROM c WHERE n <> expected)::int AS off, x.id, x.n::float8 AS n, x.total::int AS total,
            x.by_others::int AS by_others, x.versions::int AS versions, x.expected::int AS expected
     FROM (SELECT 1) one LEFT JOIN LATERAL (
       SELECT * FROM c WHERE n > total OR n <> expected ORDER BY n > total DESC, n - total DESC, id LIMIT 1) x ON true`,
  );
  if (!row?.id) return [];
  const found = [
    `${row.over} of ${row.rows} graphs have a run_count above all their runs ` +
      "(AgentGraphExecution rows, any user, version or status)",
  ];
  if (row.off > 0) {
    const others = key === "graph_id" ? "their runs by users other than the owner, each counted once" : undefined;
    found.push(`${row.off} differ from ${others ?? "their number of runs"}`);
  }
  const perVersionRow = row.expected !== null && row.n === row.expected * row.versions;
  const cause =
    row.versions > 1
      ? `it has ${row.versions} version rows; the view joins AgentGraph by id alone` +
        (perVersionRow ? ", counting each run once per version row" : "")
      : row.n > row.total
        ? "the definition counts some runs more than once"
        : `the definition counts other runs than the ${key} shape the spec describes`;
  return [
    `${view}: ${found.join(", ")}; e.g. graph ${short(row.id)} has run_count ${row.n} and ${row.total} runs ` +
      `(${row.by_others} by other users than its owner): ${cause}`,
  ];
}

/** A listing's review_count can't exceed the reviews on all its versions (any status, deleted or
 *  not); its avg_rating lies in 1..5, NULL only without reviews. A score outside 1..5 is the
 *  data's problem, not the view's: the finding says which. */
export async function checkReviewStats(tx: Tx, view: string, key: string): Promise<string[]> {
  type Counts = Record<"rows" | "over" | "out_of_range" | "from_data" | "o_n" | "o_total" | "r_n" | "r_bad", number>;
  type Values = Record<"o_id" | "r_id" | "r_a", string | null> & { r_worst: number | null };
  const [row] = await tx.$queryRawUnsafe<Array<Counts & Values>>(
    `WITH v AS MATERIALIZED (
       SELECT v.${ident(key)}::text AS id, v."review_count"::numeric AS n, v."avg_rating"::numeric AS a
       FROM ${ident(view)} v),
     r AS (
       SELECT slv."storeListingId" AS id, COUNT(*) AS total,
              COUNT(*) FILTER (WHERE r."score" NOT BETWEEN 1 AND 5) AS bad,
              MAX(r."score") FILTER (WHERE r."score" NOT BETWEEN 1 AND 5) AS worst
       FROM "StoreListingReview" r JOIN "StoreListingVersion" slv ON slv."id" = r."storeListingVersionId"
       WHERE slv."storeListingId" IN (SELECT id FROM v) GROUP BY 1),
     c AS (SELECT v.*, COALESCE(r.total, 0) AS total, COALESCE(r.bad, 0) AS bad, r.worst,
                  (v.a < 1 OR v.a > 5 OR (v.a IS NULL AND v.n > 0)) AS out_of_range
           FROM v LEFT JOIN r USING (id))
     SELECT (SELECT COUNT(*) FROM c)::int AS rows, (SELECT COUNT(*) FROM c WHERE n > total)::int AS over,
            (SELECT COUNT(*) FROM c WHERE out_of_range)::int AS out_of_range,
            (SELECT COUNT(*) FROM c WHERE out_of_range AND bad > 0)::int AS from_data,
            o.id AS o_id, o.n::float8 AS o_n, o.total::int AS o_total,
            x.id AS r_id, x.n::float8 AS r_n, x.a::text AS r_a, x.bad::int AS r_bad, x.worst::int AS r_worst
     FROM (SELECT 1) one
     LEFT JOIN LATERAL (SELECT * FROM c WHERE n > total ORDER BY n - total DESC, id LIMIT 1) o ON true
     LEFT JOIN LATERAL (SELECT * FROM c WHERE out_of_range ORDER BY bad = 0 DESC, id LIMIT 1) x ON true`,
  );
  const found: string[] = [];
  if (row?.o_id) {
    found.push(
      `${view}: ${row.over} of ${row.rows} listings have a review_count above all their reviews ` +
        "(StoreListingReview rows on any of their versions, any status, deleted or not); " +
        `e.g. listing ${short(row.o_id)} has review_count ${row.o_n} and ${row.o_total} reviews: ` +
        "the definition counts some reviews more than once",
    );
  }
  if (row?.r_id) {
    const rating =
      row.r_a === null
        ? `avg_rating NULL with ${row.r_n} reviews`
        : `avg_rating ${Number(row.r_a).toFixed(2)} over ${row.r_n} reviews`;
    const outside = "scored outside 1..5";
    const cause =
      row.r_bad > 0
        ? `it has ${row.r_bad} reviews ${outside} (e.g. ${row.r_worst}): a problem of the data, not of the view`
        : "its reviews are all scored 1..5: the definition computes it wrongly";
    const fromData =
      row.from_data > 0 ? ` (${row.from_data} of them with reviews ${outside}: a problem of the data)` : "";
    found.push(
      `${view}: ${row.out_of_range} of ${row.rows} listings have an avg_rating outside 1..5${fromData}; ` +
        `e.g. listing ${short(row.r_id)} has ${rating}: ${cause}`,
    );
  }
  return found;
}
