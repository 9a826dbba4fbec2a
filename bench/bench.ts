// npm run bench [-- --json] [-- --quick] [-- --pairs N]: measures, in one run on this machine, the
// updater's bulk write path against PostgreSQL's own COPY and against a literal one-row-per-call
// port, on the same tables with the same indexes; the updater's runs step on its COPY path against
// its INSERT ... unnest path, in alternating pairs; the creator at its largest base; and the
// creator at two sizes ten times apart (its peak RSS) against restoring its very rows with COPY.
// Builds its own databases (from a creator-made base, copied with CREATE DATABASE ... TEMPLATE)
// and drops them.
import { spawn } from "node:child_process";
import { createWriteStream, createReadStream, rmSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { createTestData } from "../src/create/creator.js";
import { parseDatabaseUrl } from "../src/target/target.js";
import { createPrismaClient } from "../src/connection/databaseConnection.js";
import { openPgSession } from "../src/connection/sqlSession.js";
import { applyMigrations } from "../src/migrate/applyMigrations.js";
import { readMigrationFiles } from "../src/schema/migrationFiles.js";
import { createRandom } from "../src/domain/random.js";
import { creatorAgainstRestore, finished, type CreatorRun } from "./creatorRestore.js";
import { GRAPH_EXECUTIONS, NODE_EXECUTIONS } from "../src/schema/storeColumns.js";

/** The runs' columns in this project's own schema, which has no organisations to book them to. */
const RUN_COLUMNS = GRAPH_EXECUTIONS.columns.filter((column) => !column.onlyWith);
import {
  planExecution,
  planNodeExecutions,
  type ExecutionRow,
  type NodeExecutionRow,
} from "../src/update/addExecutions.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const json = process.argv.includes("--json");
const quick = process.argv.includes("--quick");
const say = (line: string) => (json ? console.error(line) : console.log(line));

// Rows written per updater run ~ 3.75 x runs = 37.5 x graphs-with-runs = 750 x --scale.
const SIZES = quick ? { small: 67, large: 267, creatorScale: 50 } : { small: 333, large: 1333, creatorScale: 1000 };
/** The creator's own sizes (--scale, its default counts), ten times apart. */
const CREATOR_SCALES = quick ? [3, 30] : [30, 300];
// The creator's largest base here: 100,000 users, ~50,000 graphs (0-1 each), 1-2 runs per graph.
const CREATOR_ARGS = {
  minGraphsPerUser: 0,
  maxGraphsPerUser: 1,
  minExecutionsPerGraph: 1,
  maxExecutionsPerGraph: 2,
  maxTransactionsPerUser: 3,
};
const PER_ROW_SAMPLE = quick ? 500 : 3_000;
/** COPY/unnest pairs of the runs step (--pairs N). */
const PAIRS = Number(argValue("--pairs") ?? 3);
if (!Number.isInteger(PAIRS) || PAIRS < 1) throw new Error("--pairs: a whole number >= 1");

const created: string[] = [];
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
const urlOf = (name: string) => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
};
async function createDatabase(name: string, template?: string): Promise<string> {
  await admin.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
  created.push(name);
  // Each measurement starts with no dirty buffers left by the step before it: otherwise the
  // checkpoint that the creator's 1.2 M rows trigger lands on whichever run comes next (it made
  // the first updater run ~30% slower than the same run measured on its own).
  await admin.query("CHECKPOINT");
  return urlOf(name);
}
/** Also bench/creatorRestore.ts's. */
async function dropDatabase(name: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  created.splice(created.indexOf(name), 1);
}

const results: Record<string, number> = {};
try {
  const prefix = `atd_bench_${process.pid}`;
  // 1. The base: a migrated database filled by the creator at its largest scale here.
  const baseName = `${prefix}_base`;
  const baseUrl = await createDatabase(baseName);
  const target = parseDatabaseUrl(baseUrl);
  const sql = await openPgSession(target);
  await applyMigrations(sql, target.schema, await readMigrationFiles());
  await sql.close();
  say(
    `creator: --scale ${SIZES.creatorScale} (${100 * SIZES.creatorScale} users, 0-1 graphs each, 1-2 runs per graph)...`,
  );
  const db = createPrismaClient(target);
  const creator = await createTestData(db, { seed: 1, users: 100 * SIZES.creatorScale, ...CREATOR_ARGS });
  await db.$disconnect();
  const c = creator.counts;
  const creatorRows =
    c.users +
    c.profiles +
    c.blocks +
    c.graphs +
    c.nodes +
    c.executions +
    c.nodeExecutions +
    c.listings +
    c.versions +
    c.reviews +
    c.creditTransactions +
    c.userBalances;
  results.creatorUsers = c.users;
  results.creatorGraphs = c.graphs;
  results.creatorRows = creatorRows;
  results.creatorSeconds = round(creator.seconds);
  results.creatorRowsPerSec = Math.round(creatorRows / creator.seconds);
  say(
    `  ${c.users} users, ${c.graphs} graphs, ${creatorRows} rows in ${creator.seconds.toFixed(1)}s (${results.creatorRowsPerSec} rows/s)`,
  );

  // 2. The creator at two sizes, each against a COPY restore of its own rows.
  const creatorRuns: CreatorRun[] = [];
  for (const scale of CREATOR_SCALES) {
    const run = await creatorAgainstRestore({ createDatabase, dropDatabase, finished }, prefix, scale);
    creatorRuns.push(run);
    say(
      `creator --scale ${scale}: ${run.rows} rows in ${run.seconds.join(" s and ")} s (mean ${run.rowsPerSec} rows/s), peak RSS ${run.peakRssMb} MB; COPY restore of its rows ${run.restoreSeconds}s (${run.restoreRowsPerSec} rows/s): ratio ${run.ratioToRestore}`,
    );
  }

  // 3. The updater at two sizes, each on its own copy of the base, as a child process (peak RSS).
  const small = await runUpdater(await createDatabase(`${prefix}_small`, baseName), SIZES.small);
  // COPY runs just before and just after the large updater run, and the two are averaged: on a
  // shared machine, load that comes and goes would otherwise skew the ratio one way or the other.
  // Before it, the run count is the design's expectation: 5-15 runs (10 on average) on each of
  // 20 x scale graphs, as far as the base has graphs; within a fraction of a percent of the run's.
  const expectedRuns = 10 * Math.min(20 * SIZES.large, c.graphs);
  const copyBefore = await copyBaseline(await createDatabase(`${prefix}_copy1`, baseName), expectedRuns);
  // The per-row port, bound by round trips, swings with the machine's load more than anything else
  // here (README, Performance): it too is measured either side of the large run.
  const perRowBefore = await perRowBaseline(urlOf(`${prefix}_small`), PER_ROW_SAMPLE);
  const large = await runUpdater(await createDatabase(`${prefix}_large`, baseName), SIZES.large);
  for (const [name, run] of [
    ["Small", small],
    ["Large", large],
  ] as const) {
    say(
      `updater --scale ${run.scale}: ${run.rows} rows in ${run.seconds}s (${run.rowsPerSec} rows/s), whole run ${run.wallSeconds}s, peak RSS ${run.peakRssMb} MB`,
    );
    results[`updaterRows${name}`] = run.rows;
    results[`updaterRowsPerSec${name}`] = run.rowsPerSec;
    results[`peakRssMb${name}`] = run.peakRssMb;
  }

  // 4. COPY of pre-generated rows (as many as the large run wrote) into other copies of the base.
  const copyAfter = await copyBaseline(await createDatabase(`${prefix}_copy2`, baseName), large.executions);
  const perRowAfter = await perRowBaseline(urlOf(`${prefix}_small`), PER_ROW_SAMPLE);
  const copy = {
    rows: copyAfter.rows,
    seconds: round((copyBefore.seconds + copyAfter.seconds) / 2),
    rowsPerSec: Math.round((copyBefore.rowsPerSec + copyAfter.rowsPerSec) / 2),
  };
  say(
    `COPY: ${copyBefore.rows} rows before the large run (${copyBefore.rowsPerSec} rows/s), ${copyAfter.rows} after it (${copyAfter.rowsPerSec} rows/s): mean ${copy.rowsPerSec} rows/s`,
  );

  // 5. The runs step on each bulk path, side by side: COPY then INSERT ... unnest, PAIRS times,
  // each on a fresh copy of the base (dropped after it). Alternating pairs in one run keep load
  // that comes and goes on a shared machine from favouring either path; the ratio is per pair.
  say(`runs step, COPY against INSERT ... unnest (--scale ${SIZES.large}, ${PAIRS} pairs)...`);
  const pairs: Array<{ copy: StepRun; unnest: StepRun; ratio: number }> = [];
  for (let i = 0; i < PAIRS; i++) {
    const measure = async (path: "copy" | "unnest") => {
      const name = `${prefix}_pair${i}_${path}`;
      const run = await runsStep(await createDatabase(name, baseName), SIZES.large, path);
      await dropDatabase(name);
      return run;
    };
    const copyRun = await measure("copy");
    const unnestRun = await measure("unnest");
    pairs.push({ copy: copyRun, unnest: unnestRun, ratio: round(copyRun.rowsPerSec / unnestRun.rowsPerSec) });
    say(
      `  pair ${i + 1}: COPY ${copyRun.rowsPerSec} rows/s (peak RSS ${copyRun.peakRssMb} MB), unnest ${unnestRun.rowsPerSec} rows/s (peak RSS ${unnestRun.peakRssMb} MB): COPY/unnest ${pairs[i]!.ratio}`,
    );
  }
  const copyVsUnnest = {
    scale: SIZES.large,
    rows: pairs[0]!.copy.rows,
    pairs: pairs.map((p) => ({
      copyRowsPerSec: p.copy.rowsPerSec,
      unnestRowsPerSec: p.unnest.rowsPerSec,
      ratio: p.ratio,
      copyPeakRssMb: p.copy.peakRssMb,
      unnestPeakRssMb: p.unnest.peakRssMb,
    })),
    medianRatio: median(pairs.map((p) => p.ratio)),
  };

  // 6. A literal port: one row per call (tx.agentGraphExecution.create, tx.agentNodeExecution.create),
  // measured just before and just after the large updater run, and averaged.
  const perRow = {
    rows: perRowAfter.rows,
    rowsPerSec: Math.round((perRowBefore.rowsPerSec + perRowAfter.rowsPerSec) / 2),
  };
  say(
    `one row per call: ${perRowBefore.rows} rows before the large run (${perRowBefore.rowsPerSec} rows/s), ${perRowAfter.rows} after it (${perRowAfter.rowsPerSec} rows/s): mean ${perRow.rowsPerSec} rows/s`,
  );

  const summary = {
    updaterRowsPerSec: large.rowsPerSec,
    copyRowsPerSec: copy.rowsPerSec,
    perRowRowsPerSec: perRow.rowsPerSec,
    ratioToCopy: round(large.rowsPerSec / copy.rowsPerSec),
    ratioToPerRow: round(large.rowsPerSec / perRow.rowsPerSec),
    peakRssMbSmall: small.peakRssMb,
    peakRssMbLarge: large.peakRssMb,
    refreshSeconds: large.refreshSeconds,
    copyVsUnnest,
    creator: creatorRuns,
    details: {
      ...results,
      updaterRowsPerSecSmall: small.rowsPerSec,
      largeToSmallRate: round(large.rowsPerSec / small.rowsPerSec),
      copyRows: copy.rows,
      copyRowsPerSecBefore: copyBefore.rowsPerSec,
      copyRowsPerSecAfter: copyAfter.rowsPerSec,
      perRowRows: perRow.rows,
      perRowRowsPerSecBefore: perRowBefore.rowsPerSec,
      perRowRowsPerSecAfter: perRowAfter.rowsPerSec,
    },
  };
  if (json) console.log(JSON.stringify(summary, null, 2));
  else {
    console.log("");
    console.log(
      `updater (large, ${large.rows} rows): ${summary.updaterRowsPerSec} rows/s; small (${small.rows} rows): ${small.rowsPerSec} rows/s (large/small ${summary.details.largeToSmallRate})`,
    );
    console.log(`COPY: ${summary.copyRowsPerSec} rows/s   one row per call: ${summary.perRowRowsPerSec} rows/s`);
    console.log(`ratio updater/COPY: ${summary.ratioToCopy}   updater/per-row: ${summary.ratioToPerRow}`);
    console.log(
      `runs step COPY/unnest rows/s, per pair: ${copyVsUnnest.pairs.map((p) => `${p.copyRowsPerSec}/${p.unnestRowsPerSec} = ${p.ratio}`).join(", ")}; median ratio ${copyVsUnnest.medianRatio}`,
    );
    console.log(
      `peak RSS: small ${summary.peakRssMbSmall} MB, large ${summary.peakRssMbLarge} MB   view refresh (large): ${summary.refreshSeconds}s`,
    );
    console.log(
      `creator: ${results.creatorUsers} users, ${results.creatorGraphs} graphs, ${results.creatorRows} rows in ${results.creatorSeconds}s (${results.creatorRowsPerSec} rows/s)`,
    );
    for (const r of creatorRuns) {
      console.log(
        `creator --scale ${r.scale}: ${r.rowsPerSec} rows/s, COPY restore ${r.restoreRowsPerSec} rows/s, ratio ${r.ratioToRestore}; peak RSS ${r.peakRssMb} MB`,
      );
    }
  }
} finally {
  for (const name of created.reverse())
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  await admin.end();
}

function argValue(flag: string): string | undefined {
  const at = process.argv.indexOf(flag);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

interface UpdaterRun {
  scale: number;
  rows: number;
  executions: number;
  seconds: number;
  rowsPerSec: number;
  wallSeconds: number;
  peakRssMb: number;
  refreshSeconds: number;
}

/** Runs `npm run update -- --scale K --json` as a child under /usr/bin/time (its peak RSS). */
async function runUpdater(url: string, scale: number): Promise<UpdaterRun> {
  const started = performance.now();
  const child = spawn(
    "/usr/bin/time",
    [
      "-f",
      "BENCH_MAXRSS_KB %M",
      process.execPath,
      "--import",
      "tsx",
      "src/updateTestData.ts",
      "--json",
      "--seed",
      "7",
      "--scale",
      String(scale),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url },
    },
  );
  const { stdout, stderr } = await finished(child, "updater");
  const doc = JSON.parse(stdout);
  const rss = /BENCH_MAXRSS_KB (\d+)/.exec(stderr);
  const rows = doc.created.agentGraphExecutions + doc.created.agentNodeExecutions;
  const seconds = doc.seconds.executions as number;
  return {
    scale,
    rows,
    executions: doc.created.agentGraphExecutions,
    seconds,
    rowsPerSec: Math.round(rows / seconds),
    wallSeconds: round((performance.now() - started) / 1000),
    peakRssMb: rss ? Math.round(Number(rss[1]) / 1024) : NaN,
    refreshSeconds: doc.seconds.refresh,
  };
}

interface StepRun {
  rows: number;
  seconds: number;
  rowsPerSec: number;
  peakRssMb: number;
}

/** The updater's runs step alone on one bulk path, in a child process (bench/runsStep.ts). */
async function runsStep(url: string, scale: number, path: "copy" | "unnest"): Promise<StepRun> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/runsStep.ts", String(scale), path], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
  });
  return JSON.parse((await finished(child, `runs step (${path})`)).stdout) as StepRun;
}

/** Plans `executions` runs (and their node runs) over the base's graphs, the updater's way. */
async function planRows(
  client: pg.Client,
  executions: number,
  onRun: (run: ExecutionRow, nodes: NodeExecutionRow[]) => void,
): Promise<void> {
  const graphs = (
    await client.query<{ id: string; version: number }>(
      `SELECT id, version FROM "AgentGraph" WHERE "isActive" ORDER BY id, version`,
    )
  ).rows;
  const userIds = (await client.query<{ id: string }>(`SELECT id FROM "User" ORDER BY id`)).rows.map((r) => r.id);
  const nodes = (
    await client.query<{ id: string; g: string; v: number }>(
      `SELECT id, "agentGraphId" AS g, "agentGraphVersion" AS v FROM "AgentNode"`,
    )
  ).rows;
  const byGraph = new Map<string, string[]>();
  for (const n of nodes) {
    const key = `${n.g}@${n.v}`;
    const list = byGraph.get(key);
    if (list) list.push(n.id);
    else byGraph.set(key, [n.id]);
  }
  const random = createRandom(99);
  const now = new Date();
  for (let i = 0; i < executions; i++) {
    const graph = graphs[i % graphs.length]!;
    const run = planExecution(random, graph, userIds, now);
    onRun(run, planNodeExecutions(random, run, byGraph.get(`${graph.id}@${graph.version}`) ?? [], 3, now));
  }
}

function copyLine<Row>(row: Row, columns: ReadonlyArray<{ name: string }>): string {
  return (
    columns
      .map(({ name }) => {
        const v = (row as Record<string, unknown>)[name];
        if (v === null || v === undefined) return "\\N";
        if (v instanceof Date) return v.toISOString().slice(0, 23);
        if (typeof v === "object") return JSON.stringify(v).replace(/\\/g, "\\\\");
        return String(v).replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n");
      })
      .join("\t") + "\n"
  );
}

/** Pre-generates the rows into files, then times COPY FROM STDIN of both in one transaction. */
async function copyBaseline(
  url: string,
  executions: number,
): Promise<{ rows: number; seconds: number; rowsPerSec: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const runsFile = join(tmpdir(), `atd_bench_${process.pid}_runs.tsv`);
  const nodesFile = join(tmpdir(), `atd_bench_${process.pid}_nodes.tsv`);
  try {
    const runsOut = createWriteStream(runsFile);
    const nodesOut = createWriteStream(nodesFile);
    let rows = 0;
    let runBuf = "";
    let nodeBuf = "";
    await planRows(client, executions, (run, nodeRuns) => {
      runBuf += copyLine(run, RUN_COLUMNS);
      for (const n of nodeRuns) nodeBuf += copyLine(n, NODE_EXECUTIONS.columns);
      rows += 1 + nodeRuns.length;
      if (nodeBuf.length > 1 << 20) {
        runsOut.write(runBuf);
        nodesOut.write(nodeBuf);
        runBuf = nodeBuf = "";
      }
    });
    runsOut.end(runBuf);
    nodesOut.end(nodeBuf);
    await Promise.all([once(runsOut, "finish"), once(nodesOut, "finish")]);
    const cols = (columns: ReadonlyArray<{ name: string }>) => columns.map((c) => `"${c.name}"`).join(", ");
    const started = performance.now();
    await client.query("BEGIN");
    await pipeline(
      createReadStream(runsFile),
      client.query(copyFrom(`COPY "AgentGraphExecution" (${cols(RUN_COLUMNS)}) FROM STDIN`)),
    );
    await pipeline(
      createReadStream(nodesFile),
      client.query(copyFrom(`COPY "AgentNodeExecution" (${cols(NODE_EXECUTIONS.columns)}) FROM STDIN`)),
    );
    await client.query("COMMIT");
    const seconds = (performance.now() - started) / 1000;
    return { rows, seconds: round(seconds), rowsPerSec: Math.round(rows / seconds) };
  } finally {
    rmSync(runsFile, { force: true });
    rmSync(nodesFile, { force: true });
    await client.end();
  }
}

/** The literal port: one create() call per row, runs and their node runs, in one transaction. */
async function perRowBaseline(
  url: string,
  sampleRuns: number,
): Promise<{ rows: number; seconds: number; rowsPerSec: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const planned: Array<[ExecutionRow, NodeExecutionRow[]]> = [];
  await planRows(client, sampleRuns, (run, nodes) => planned.push([run, nodes]));
  await client.end();
  const db = createPrismaClient(parseDatabaseUrl(url));
  let rows = 0;
  const started = performance.now();
  await db.$transaction(
    async (tx) => {
      for (const [run, nodes] of planned) {
        await tx.agentGraphExecution.create({ data: run });
        rows++;
        for (const node of nodes) {
          await tx.agentNodeExecution.create({ data: node });
          rows++;
        }
      }
    },
    { timeout: 30 * 60_000 },
  );
  const seconds = (performance.now() - started) / 1000;
  await db.$disconnect();
  return { rows, seconds: round(seconds), rowsPerSec: Math.round(rows / seconds) };
}
