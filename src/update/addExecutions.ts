// Step 1: new graph runs (what mv_agent_run_counts counts) in batches of graphs (bounded memory), each with
// node runs of its graph hung off ids made here (re-reading "the newest N runs" is wrong under other writers).
import { GRAPH_EXECUTIONS, NODE_EXECUTIONS, type OrgBooking } from "../schema/storeColumns.js";
import { AgentExecutionStatus } from "../generated/prisma/enums.js";
import { chunksOf } from "../bulk/bulkInsert.js";
import type { Random } from "../domain/random.js";
import { timeOrderedId } from "../domain/timeOrderedId.js";
import { graphKey, loadGraphNodes, type BaseData, type BaseGraph } from "./loadBaseData.js";
import type { UpdateRun } from "./updateRun.js";

export type ExecutionRow = ReturnType<typeof planExecution>;
export type NodeExecutionRow = ReturnType<typeof planNodeExecutions>[number];
export type RunsWritten = Awaited<ReturnType<typeof addExecutions>>;

const RUN_STATUSES = [AgentExecutionStatus.COMPLETED, AgentExecutionStatus.FAILED, AgentExecutionStatus.RUNNING];
const WINDOW_MS = 7 * 24 * 3600 * 1000;
const MAX_QUEUED_MS = 30_000;
/** About 5,000 runs per batch at the design's ranges; chosen by measurement (README, Performance). */
const GRAPHS_PER_BATCH = 500;

/** Do this first, so only these graphs' nodes are loaded. */
export function pickGraphsForRuns(random: Random, graphs: BaseGraph[], count: number): BaseGraph[] {
  return random.sample(graphs, Math.min(count, graphs.length));
}

/** `organizations`: on the tenancy platform, where each runner's runs are booked. */
export function planExecution(
  random: Random,
  graph: BaseGraph,
  userIds: string[],
  now: Date,
  organizations?: Map<string, OrgBooking>,
) {
  const executionStatus = random.pick(RUN_STATUSES);
  const duration = random.int(100, 5000);
  const startedAt = new Date(now.getTime() - random.int(duration * 1000, WINDOW_MS));
  const endedAt =
    executionStatus === AgentExecutionStatus.RUNNING ? null : new Date(startedAt.getTime() + duration * 1000);
  const createdAt = new Date(startedAt.getTime() - random.int(0, MAX_QUEUED_MS)); // queued shortly before it started
  const userId = random.pick(userIds);
  return {
    id: timeOrderedId(),
    agentGraphId: graph.id,
    agentGraphVersion: graph.version,
    userId,
    executionStatus,
    createdAt,
    updatedAt: endedAt ?? startedAt,
    startedAt,
    endedAt,
    stats: { duration, blocks_executed: random.int(1, 10) },
    ...organizations?.get(userId),
  };
}

/** Up to `max` nodes of the run's graph, each with the run's status and times inside its window. */
export function planNodeExecutions(random: Random, run: ExecutionRow, graphNodeIds: string[], max: number, now: Date) {
  const windowStart = run.startedAt.getTime();
  const windowEnd = (run.endedAt ?? now).getTime();
  return random.sample(graphNodeIds, Math.min(max, graphNodeIds.length)).map((agentNodeId) => {
    const [added, started, ended] = [0, 0, 0].map(() => random.int(windowStart, windowEnd)).sort((a, b) => a - b);
    return {
      id: timeOrderedId(),
      agentGraphExecutionId: run.id,
      agentNodeId,
      executionStatus: run.executionStatus,
      addedTime: new Date(added!),
      queuedTime: new Date(added!),
      startedTime: new Date(started!),
      endedTime: run.endedAt ? new Date(ended!) : null,
    };
  });
}

/** Batches go one after another: planning one while the last was written gained nothing and
 *  held two batches (README, Performance). */
export async function addExecutions(
  { tx, shape, random, now }: UpdateRun,
  input: { graphs: BaseGraph[]; runners: BaseData["runners"] },
  options: { min: number; max: number; nodesPerRun: number },
  progress: (graphsDone: number, rowsWritten: number) => void = () => {},
  graphsPerBatch = GRAPHS_PER_BATCH,
  /** Which bulk path writes (the bench compares them; the updater takes the default). */
  bulk: { copy?: boolean } = {},
) {
  const written = { graphsWithRuns: input.graphs.length, executions: 0, nodeExecutions: 0 };
  let graphsDone = 0;
  for (const graphs of chunksOf(input.graphs, graphsPerBatch)) {
    const nodesByGraph = await loadGraphNodes(tx, graphs);
    const runs: ExecutionRow[] = [];
    const nodeRuns: NodeExecutionRow[] = [];
    for (const graph of graphs) {
      const nodeIds = nodesByGraph.get(graphKey(graph)) ?? [];
      const count = random.int(options.min, options.max);
      for (let i = 0; i < count; i++) {
        const run = planExecution(random, graph, input.runners.userIds, now, input.runners.organizations);
        runs.push(run);
        nodeRuns.push(...planNodeExecutions(random, run, nodeIds, options.nodesPerRun, now));
      }
    }
    // Runs first: node runs refer to them.
    await shape.write(tx, GRAPH_EXECUTIONS, runs, bulk);
    await shape.write(tx, NODE_EXECUTIONS, nodeRuns, bulk);
    written.executions += runs.length;
    written.nodeExecutions += nodeRuns.length;
    graphsDone += graphs.length;
    progress(graphsDone, written.executions + written.nodeExecutions);
  }
  return written;
}
