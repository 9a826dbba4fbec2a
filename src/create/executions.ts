// Runs of the graphs (AgentGraphExecution) and the node runs inside them (AgentNodeExecution).
import { AgentExecutionStatus, type Prisma } from "../generated/prisma/client.js";
import { bulkInsert } from "../db/bulkInsert.js";
import { GRAPH_EXECUTION_COLUMNS, NODE_EXECUTION_COLUMNS } from "../db/storeColumns.js";
import { HOUR, MINUTE, SECOND, between, increasingTimes, type CreateContext } from "./context.js";

import type { CreatedGraph } from "./graphs.js";
import type { CreatedUser } from "./people.js";

export interface CreatedExecution {
  id: string;
  status: AgentExecutionStatus;
  /** ms since the epoch */
  startedAt: number;
  endedAt: number;
  /** The graph's nodes that ran, in order: all of them unless the run failed or was stopped. */
  nodeIds: string[];
}

const FINAL_STATUSES = [AgentExecutionStatus.COMPLETED, AgentExecutionStatus.FAILED, AgentExecutionStatus.TERMINATED];
const FINAL_STATUS_WEIGHTS = [85, 10, 5];

/**
 * minExecutionsPerGraph..maxExecutionsPerGraph finished runs per graph, by its owner or (half
 * the time) by any user, started after the graph was made and the user signed up, and ended at
 * least 45 minutes ago.
 */
export async function createExecutions(
  ctx: CreateContext,
  graphs: CreatedGraph[],
  users: CreatedUser[],
): Promise<CreatedExecution[]> {
  const { random, now, options } = ctx;
  const executions: CreatedExecution[] = [];
  const rows: Prisma.AgentGraphExecutionCreateManyInput[] = [];
  for (const graph of graphs) {
    const count = random.int(options.minExecutionsPerGraph, options.maxExecutionsPerGraph);
    for (let i = 0; i < count; i++) {
      const status = random.weighted(FINAL_STATUSES, FINAL_STATUS_WEIGHTS);
      // A failed or stopped run ends at one of its nodes; the nodes after it never run.
      const ranNodes = status === AgentExecutionStatus.COMPLETED ? graph.nodeIds.length : random.int(1, graph.nodeIds.length);
      const runner = random.chance(0.5) ? undefined : random.pick(users);
      const userId = runner?.id ?? graph.userId;
      // After the graph was made and after the user running it signed up.
      const startedAt = between(random, Math.max(graph.createdAt, runner?.createdAt ?? 0) + MINUTE, now - HOUR);
      const endedAt = startedAt + random.int(SECOND, 15 * MINUTE);
      const createdAt = startedAt - random.int(0, 2 * SECOND);
      const execution: CreatedExecution = { id: ctx.newId(), status, startedAt, endedAt, nodeIds: graph.nodeIds.slice(0, ranNodes) };
      executions.push(execution);
      rows.push({
        id: execution.id,
        agentGraphId: graph.id,
        agentGraphVersion: graph.version,
        userId,
        executionStatus: status,
        createdAt: new Date(createdAt),
        updatedAt: new Date(endedAt),
        startedAt: new Date(startedAt),
        endedAt: new Date(endedAt),
        isDeleted: false,
        stats: {
          walltime: (endedAt - startedAt) / 1000,
          node_count: ranNodes,
          node_error_count: status === AgentExecutionStatus.FAILED ? 1 : 0,
          cost: random.int(0, 50),
        },
      });
    }
  }
  await bulkInsert(ctx.tx, "AgentGraphExecution", GRAPH_EXECUTION_COLUMNS, rows, { onProgress: ctx.track("AgentGraphExecution", rows.length) });
  return executions;
}

/**
 * One node execution per node that ran, one after another: the run's window is cut into
 * consecutive slices, so every node time lies within the run's startedAt..endedAt. The last
 * node of a failed or stopped run carries the run's status.
 */
export async function createNodeExecutions(ctx: CreateContext, executions: CreatedExecution[]): Promise<number> {
  const { random } = ctx;
  const rows: Prisma.AgentNodeExecutionCreateManyInput[] = [];
  for (const execution of executions) {
    const n = execution.nodeIds.length;
    const cuts = increasingTimes(random, execution.startedAt, execution.endedAt, n - 1).map((t) => Math.min(t, execution.endedAt));
    const bounds = [execution.startedAt, ...cuts, execution.endedAt];
    execution.nodeIds.forEach((nodeId, i) => {
      const sliceStart = bounds[i]!;
      const sliceEnd = bounds[i + 1]!;
      const startedTime = sliceStart + random.int(0, Math.min(50, sliceEnd - sliceStart));
      const last = i === n - 1;
      rows.push({
        id: ctx.newId(),
        agentGraphExecutionId: execution.id,
        agentNodeId: nodeId,
        executionStatus: last ? execution.status : AgentExecutionStatus.COMPLETED,
        addedTime: new Date(sliceStart),
        queuedTime: new Date(sliceStart),
        startedTime: new Date(startedTime),
        endedTime: new Date(sliceEnd),
        stats: { walltime: (sliceEnd - startedTime) / 1000 },
      });
    });
  }
  return bulkInsert(ctx.tx, "AgentNodeExecution", NODE_EXECUTION_COLUMNS, rows, { onProgress: ctx.track("AgentNodeExecution", rows.length) });
}
