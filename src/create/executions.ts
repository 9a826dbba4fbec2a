// Runs of the graphs (AgentGraphExecution) and the node runs inside them (AgentNodeExecution), made
// as they are written: the rows of a batch never sit in memory all at once.
import { AgentExecutionStatus, type Prisma } from "../generated/prisma/client.js";
import { GRAPH_EXECUTIONS, NODE_EXECUTIONS, type OrgBooking } from "../schema/storeColumns.js";
import { HOUR, MINUTE, Purpose, SECOND, between, increasingTimes, newId, type CreateContext } from "./context.js";
import type { CreatedGraph } from "./graphs.js";

interface CreatedExecution {
  id: string;
  graph: CreatedGraph;
  status: AgentExecutionStatus;
  /** ms since the epoch */
  startedAt: number;
  endedAt: number;
  /** The graph's first nodes ran: all of them unless the run failed or was stopped. */
  ranNodes: number;
}

const FINAL_STATUSES = [AgentExecutionStatus.COMPLETED, AgentExecutionStatus.FAILED, AgentExecutionStatus.TERMINATED];
const FINAL_STATUS_WEIGHTS = [85, 10, 5];
/** Half of a graph's runs are its owner's; the rest any user's. */
const RUN_BY_OWNER_PROBABILITY = 0.5;

/** The runs of a batch's graphs (in their owners' order), then their node runs. */
export async function createRuns(ctx: CreateContext, graphs: CreatedGraph[]): Promise<void> {
  const { counts, shape, tx, random, now, options } = ctx;
  const runs: CreatedExecution[] = [];
  counts.executions += await shape.write(tx, GRAPH_EXECUTIONS, runRows());
  counts.nodeExecutions += await shape.write(tx, NODE_EXECUTIONS, nodeRunRows());

  /** Each graph's finished runs, started after the graph was made and its runner signed up, ended at
   *  least 45 minutes ago, booked to the runner's personal organisation; each run is kept in `runs`. */
  function* runRows(): Generator<Prisma.AgentGraphExecutionCreateManyInput & OrgBooking> {
    let owner = -1;
    for (const graph of graphs) {
      if (graph.owner.index !== owner) random.reseed(Purpose.runs, (owner = graph.owner.index));
      const count = random.int(options.minExecutionsPerGraph, options.maxExecutionsPerGraph);
      for (let i = 0; i < count; i++) {
        const status = random.weighted(FINAL_STATUSES, FINAL_STATUS_WEIGHTS);
        // A failed or stopped run ends at one of its nodes; the nodes after it never run.
        const ranNodes =
          status === AgentExecutionStatus.COMPLETED ? graph.nodeIds.length : random.int(1, graph.nodeIds.length);
        const runner = random.chance(RUN_BY_OWNER_PROBABILITY)
          ? graph.owner
          : ctx.user(random.int(0, options.users - 1));
        const startedAt = between(random, Math.max(graph.createdAt, runner.createdAt) + MINUTE, now - HOUR);
        const endedAt = startedAt + random.int(SECOND, 15 * MINUTE);
        const createdAt = startedAt - random.int(0, 2 * SECOND);
        const run: CreatedExecution = { id: newId(ctx), graph, status, startedAt, endedAt, ranNodes };
        runs.push(run);
        yield {
          id: run.id,
          agentGraphId: graph.id,
          agentGraphVersion: graph.version,
          userId: runner.id,
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
          ...runner.booking,
        };
      }
    }
  }

  /** Node runs in consecutive slices of the run's window, so all lie within it; the last carries the run's status. */
  function* nodeRunRows(): Generator<Prisma.AgentNodeExecutionCreateManyInput> {
    let owner = -1;
    for (const run of runs) {
      if (run.graph.owner.index !== owner) random.reseed(Purpose.nodeRuns, (owner = run.graph.owner.index));
      const n = run.ranNodes;
      const cuts = increasingTimes(random, run.startedAt, run.endedAt, n - 1).map((t) => Math.min(t, run.endedAt));
      const bounds = [run.startedAt, ...cuts, run.endedAt];
      for (let i = 0; i < n; i++) {
        const sliceStart = bounds[i]!;
        const sliceEnd = bounds[i + 1]!;
        const startedTime = sliceStart + random.int(0, Math.min(50, sliceEnd - sliceStart));
        yield {
          id: newId(ctx),
          agentGraphExecutionId: run.id,
          agentNodeId: run.graph.nodeIds[i]!,
          executionStatus: i === n - 1 ? run.status : AgentExecutionStatus.COMPLETED,
          addedTime: new Date(sliceStart),
          queuedTime: new Date(sliceStart),
          startedTime: new Date(startedTime),
          endedTime: new Date(sliceEnd),
          stats: { walltime: (sliceEnd - startedTime) / 1000 },
        };
      }
    }
  }
}
