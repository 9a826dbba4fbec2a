// Steps 2 and 3: new graph runs (what mv_agent_run_counts counts) and, for each run, node runs
// of the run's own graph. Run ids are made here, so node runs hang off them without re-reading
// "the newest N runs" (which goes wrong when anything else writes at the same time). Rows are
// generated and written in batches: memory stays flat however many runs are asked for.
import { randomUUID } from "node:crypto";
import { DEFAULT_BULK_ROWS, bulkInsert } from "../db/bulkInsert.js";
import { GRAPH_EXECUTION_COLUMNS, NODE_EXECUTION_COLUMNS } from "../db/storeColumns.js";
import type { Tx } from "../db/prismaClient.js";
import { AgentExecutionStatus } from "../generated/prisma/enums.js";
import type { Random } from "../shared/random.js";
import { graphKey, type BaseGraph } from "./loadBaseData.js";
import type { UpdateOptions } from "./options.js";

const RUN_STATUSES = [AgentExecutionStatus.COMPLETED, AgentExecutionStatus.FAILED, AgentExecutionStatus.RUNNING];
const WINDOW_MS = 7 * 24 * 3600 * 1000;
/** Runs planned per batch (each with up to nodesPerRun node runs): only one batch is held in memory
 *  while the previous one is being written. Statements carry DEFAULT_BULK_ROWS rows each: bigger ones
 *  are no faster here (the database's index and foreign-key work dominates), and Prisma's client keeps
 *  the arguments of its last 100 debug calls, so statement size bounds memory. */
export const RUNS_PER_BATCH = 5_000;

export interface ExecutionRow {
  id: string;
  agentGraphId: string;
  agentGraphVersion: number;
  userId: string;
  executionStatus: AgentExecutionStatus;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date;
  endedAt: Date | null;
  stats: { duration: number; blocks_executed: number };
}

export interface NodeExecutionRow {
  id: string;
  agentGraphExecutionId: string;
  agentNodeId: string;
  executionStatus: AgentExecutionStatus;
  addedTime: Date;
  queuedTime: Date;
  startedTime: Date;
  endedTime: Date | null;
}

export interface RunsWritten {
  graphsWithRuns: number;
  executions: number;
  nodeExecutions: number;
}

/** Picks the graphs that get runs: do this first, so only their nodes are loaded. */
export function pickGraphsForRuns(random: Random, graphs: BaseGraph[], count: number): BaseGraph[] {
  return random.sample(graphs, Math.min(count, graphs.length));
}

/** A run that started in the last 7 days; finished runs end after `duration` seconds, before now. */
export function planExecution(random: Random, graph: BaseGraph, userIds: string[], now: Date): ExecutionRow {
  const executionStatus = random.pick(RUN_STATUSES);
  const duration = random.int(100, 5000);
  const startedAt = new Date(now.getTime() - random.int(duration * 1000, WINDOW_MS));
  const endedAt = executionStatus === AgentExecutionStatus.RUNNING ? null : new Date(startedAt.getTime() + duration * 1000);
  const createdAt = new Date(startedAt.getTime() - random.int(0, 30_000)); // queued shortly before it started
  return {
    id: randomUUID(),
    agentGraphId: graph.id,
    agentGraphVersion: graph.version,
    userId: random.pick(userIds),
    executionStatus,
    createdAt,
    updatedAt: endedAt ?? startedAt,
    startedAt,
    endedAt,
    stats: { duration, blocks_executed: random.int(1, 10) },
  };
}

/** Up to `max` nodes of the run's graph, each with the run's status and times inside its window. */
export function planNodeExecutions(
  random: Random,
  run: ExecutionRow,
  graphNodeIds: string[],
  max: number,
  now: Date,
): NodeExecutionRow[] {
  const windowStart = run.startedAt.getTime();
  const windowEnd = (run.endedAt ?? now).getTime();
  return random.sample(graphNodeIds, Math.min(max, graphNodeIds.length)).map((agentNodeId) => {
    const [added, started, ended] = [0, 0, 0].map(() => random.int(windowStart, windowEnd)).sort((a, b) => a - b) as [
      number,
      number,
      number,
    ];
    return {
      id: randomUUID(),
      agentGraphExecutionId: run.id,
      agentNodeId,
      executionStatus: run.executionStatus,
      addedTime: new Date(added),
      queuedTime: new Date(added),
      startedTime: new Date(started),
      endedTime: run.endedAt ? new Date(ended) : null,
    };
  });
}

/** Called after each batch is written: graphs planned so far, and rows written so far. */
export type ExecutionsProgress = (graphsDone: number, rowsWritten: number) => void;

/** Writes one batch of planned rows through the bulk path (runs first: node runs refer to them). */
async function writeBatch(tx: Tx, runs: ExecutionRow[], nodeRuns: NodeExecutionRow[], rowsPerStatement: number): Promise<void> {
  await bulkInsert(tx, "AgentGraphExecution", GRAPH_EXECUTION_COLUMNS, runs, { rowsPerStatement });
  await bulkInsert(tx, "AgentNodeExecution", NODE_EXECUTION_COLUMNS, nodeRuns, { rowsPerStatement });
}

/**
 * Plans and writes the runs and their node runs, one batch at a time. The next batch is planned
 * while the database writes the previous one (one statement in flight at a time, all on `tx`, so
 * inside its transaction); at most two batches exist at once, whatever the total.
 */
export async function addExecutions(
  tx: Tx,
  random: Random,
  input: { graphs: BaseGraph[]; userIds: string[]; nodesByGraph: Map<string, string[]> },
  options: UpdateOptions["runs"],
  now: Date,
  progress: ExecutionsProgress = () => {},
  runsPerBatch = RUNS_PER_BATCH,
): Promise<RunsWritten> {
  const written: RunsWritten = { graphsWithRuns: input.graphs.length, executions: 0, nodeExecutions: 0 };
  const rowsPerStatement = DEFAULT_BULK_ROWS;
  let runs: ExecutionRow[] = [];
  let nodeRuns: NodeExecutionRow[] = [];
  let graphsDone = 0;
  let inFlight: Promise<void> | null = null;
  const flush = async () => {
    const [batchRuns, batchNodeRuns, graphsAtFlush] = [runs, nodeRuns, graphsDone];
    runs = [];
    nodeRuns = [];
    if (inFlight) await inFlight;
    if (batchRuns.length === 0 && batchNodeRuns.length === 0) return;
    inFlight = writeBatch(tx, batchRuns, batchNodeRuns, rowsPerStatement).then(() => {
      written.executions += batchRuns.length;
      written.nodeExecutions += batchNodeRuns.length;
      progress(graphsAtFlush, written.executions + written.nodeExecutions);
    });
    // Awaited at the next flush (or below); a failure meanwhile must not count as unhandled.
    inFlight.catch(() => {});
  };
  for (const graph of input.graphs) {
    const nodeIds = input.nodesByGraph.get(graphKey(graph)) ?? [];
    const count = random.int(options.min, options.max);
    for (let i = 0; i < count; i++) {
      const run = planExecution(random, graph, input.userIds, now);
      runs.push(run);
      for (const nodeRun of planNodeExecutions(random, run, nodeIds, options.nodesPerRun, now)) nodeRuns.push(nodeRun);
    }
    graphsDone++;
    if (runs.length >= runsPerBatch) await flush();
  }
  await flush();
  if (inFlight) await inFlight;
  return written;
}
