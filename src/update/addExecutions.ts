// Steps 2 and 3: new graph runs (what mv_agent_run_counts counts) and, for each run, node runs
// of the run's own graph. Run ids are made here, so node runs hang off them without re-reading
// "the newest N runs" (which goes wrong when anything else writes at the same time). Rows are
// generated and written in batches: memory stays flat however many runs are asked for.
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/prismaClient.js";
import { AgentExecutionStatus } from "../generated/prisma/enums.js";
import type { Random } from "../shared/random.js";
import { graphKey, type BaseGraph } from "./loadBaseData.js";
import type { UpdateOptions } from "./options.js";

const RUN_STATUSES = [AgentExecutionStatus.COMPLETED, AgentExecutionStatus.FAILED, AgentExecutionStatus.RUNNING];
const WINDOW_MS = 7 * 24 * 3600 * 1000;
const BATCH_SIZE = 2_000;

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

/** Plans and writes the runs and their node runs, one batch at a time. */
export async function addExecutions(
  tx: Tx,
  random: Random,
  input: { graphs: BaseGraph[]; userIds: string[]; nodesByGraph: Map<string, string[]> },
  options: UpdateOptions["runs"],
  now: Date,
): Promise<RunsWritten> {
  const written: RunsWritten = { graphsWithRuns: input.graphs.length, executions: 0, nodeExecutions: 0 };
  let runs: ExecutionRow[] = [];
  let nodeRuns: NodeExecutionRow[] = [];
  const flush = async () => {
    if (runs.length > 0) await tx.agentGraphExecution.createMany({ data: runs });
    if (nodeRuns.length > 0) await tx.agentNodeExecution.createMany({ data: nodeRuns });
    written.executions += runs.length;
    written.nodeExecutions += nodeRuns.length;
    runs = [];
    nodeRuns = [];
  };
  for (const graph of input.graphs) {
    const nodeIds = input.nodesByGraph.get(graphKey(graph)) ?? [];
    const count = random.int(options.min, options.max);
    for (let i = 0; i < count; i++) {
      const run = planExecution(random, graph, input.userIds, now);
      runs.push(run);
      nodeRuns.push(...planNodeExecutions(random, run, nodeIds, options.nodesPerRun, now));
      if (runs.length >= BATCH_SIZE) await flush();
    }
  }
  await flush();
  return written;
}
