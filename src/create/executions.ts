// Runs of the graphs (AgentGraphExecution) and the node runs inside them (AgentNodeExecution).
import { AgentExecutionStatus, type Prisma } from "../generated/prisma/client.js";
import { bulkInsert } from "../db/bulkInsert.js";
import { GRAPH_EXECUTION_COLUMNS, NODE_EXECUTION_COLUMNS, type OrgBooking } from "../db/storeColumns.js";
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
/** Half of a graph's runs are its owner's; the rest any user's. */
const RUN_BY_OWNER_PROBABILITY = 0.5;

/** Graphs whose runs are planned and written together: memory holds one chunk's rows at a time. */
const GRAPHS_PER_CHUNK = 2_000;

export interface CreatedRuns {
  executions: number;
  nodeExecutions: number;
}

export async function createRuns(ctx: CreateContext, graphs: CreatedGraph[], users: CreatedUser[]): Promise<CreatedRuns> {
  const done: CreatedRuns = { executions: 0, nodeExecutions: 0 };
  const progress = ctx.track("runs", graphs.length, "graphs");
  for (let start = 0; start < graphs.length; start += GRAPHS_PER_CHUNK) {
    const chunk = graphs.slice(start, start + GRAPHS_PER_CHUNK);
    const runs = chunk.flatMap((graph) => planRuns(ctx, graph, users));
    done.executions += await bulkInsert(ctx.tx, "AgentGraphExecution", ctx.shape.columns("AgentGraphExecution", GRAPH_EXECUTION_COLUMNS), runs.map((r) => r.row));
    const nodeRows = runs.flatMap((run) => planNodeRuns(ctx, run.execution));
    done.nodeExecutions += await bulkInsert(ctx.tx, "AgentNodeExecution", ctx.shape.columns("AgentNodeExecution", NODE_EXECUTION_COLUMNS), nodeRows);
    progress(start + chunk.length);
  }
  return done;
}

interface PlannedRun {
  execution: CreatedExecution;
  row: Prisma.AgentGraphExecutionCreateManyInput & OrgBooking;
}

/** A graph's finished runs, started after the graph was made and its runner signed up, ended at least 45 minutes ago. */
function planRuns(ctx: CreateContext, graph: CreatedGraph, users: CreatedUser[]): PlannedRun[] {
  const { random, now, options } = ctx;
  const count = random.int(options.minExecutionsPerGraph, options.maxExecutionsPerGraph);
  return Array.from({ length: count }, () => {
    const status = random.weighted(FINAL_STATUSES, FINAL_STATUS_WEIGHTS);
    // A failed or stopped run ends at one of its nodes; the nodes after it never run.
    const ranNodes = status === AgentExecutionStatus.COMPLETED ? graph.nodeIds.length : random.int(1, graph.nodeIds.length);
    const runner = random.chance(RUN_BY_OWNER_PROBABILITY) ? undefined : random.pick(users);
    const userId = runner?.id ?? graph.userId;
    const startedAt = between(random, Math.max(graph.createdAt, runner?.createdAt ?? 0) + MINUTE, now - HOUR);
    const endedAt = startedAt + random.int(SECOND, 15 * MINUTE);
    const createdAt = startedAt - random.int(0, 2 * SECOND);
    const execution: CreatedExecution = { id: ctx.newId(), status, startedAt, endedAt, nodeIds: graph.nodeIds.slice(0, ranNodes) };
    const row: PlannedRun["row"] = {
      id: execution.id,
      agentGraphId: graph.id,
      agentGraphVersion: graph.version,
      userId,
      executionStatus: status,
      createdAt: new Date(createdAt),
      updatedAt: new Date(endedAt),
      startedAt: new Date(startedAt),
      endedAt: new Date(endedAt),
      stats: {
        walltime: (endedAt - startedAt) / 1000,
        node_count: ranNodes,
        node_error_count: status === AgentExecutionStatus.FAILED ? 1 : 0,
        cost: random.int(0, 50),
      },
      ...ctx.organizations.get(userId), // a run is booked to its runner's personal organisation
    };
    return { execution, row };
  });
}

/** Node runs in consecutive slices of the run's window, so all lie within it; the last carries the run's status. */
function planNodeRuns(ctx: CreateContext, execution: CreatedExecution): Prisma.AgentNodeExecutionCreateManyInput[] {
  const { random } = ctx;
  const n = execution.nodeIds.length;
  const cuts = increasingTimes(random, execution.startedAt, execution.endedAt, n - 1).map((t) => Math.min(t, execution.endedAt));
  const bounds = [execution.startedAt, ...cuts, execution.endedAt];
  return execution.nodeIds.map((nodeId, i) => {
    const sliceStart = bounds[i]!;
    const sliceEnd = bounds[i + 1]!;
    const startedTime = sliceStart + random.int(0, Math.min(50, sliceEnd - sliceStart));
    const last = i === n - 1;
    return {
      id: ctx.newId(),
      agentGraphExecutionId: execution.id,
      agentNodeId: nodeId,
      executionStatus: last ? execution.status : AgentExecutionStatus.COMPLETED,
      addedTime: new Date(sliceStart),
      queuedTime: new Date(sliceStart),
      startedTime: new Date(startedTime),
      endedTime: new Date(sliceEnd),
      stats: { walltime: (sliceEnd - startedTime) / 1000 },
    };
  });
}
