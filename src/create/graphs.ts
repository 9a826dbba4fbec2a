// Agent blocks, and the agent graphs users build from them (nodes).
import { bulkInsert } from "../db/bulkInsert.js";
import { AGENT_GRAPH_COLUMNS, AGENT_NODE_COLUMNS } from "../db/storeColumns.js";
import type { Prisma } from "../generated/prisma/client.js";
import { DAY, HOUR, between, insertInChunks, type CreateContext } from "./context.js";
import { agentName, blockName } from "./content.js";
import type { CreatedUser } from "./people.js";

export interface CreatedBlock {
  id: string;
  name: string;
}

export interface CreatedGraph {
  id: string;
  version: number;
  name: string;
  userId: string;
  /** ms since the epoch */
  createdAt: number;
  /** Filled in by createNodes, in the graph's order. */
  nodeIds: string[];
}

/** Agent blocks with unique names and small JSON schemas (stored as text, as on the platform). */
export async function createBlocks(ctx: CreateContext): Promise<CreatedBlock[]> {
  const { random } = ctx;
  const rows: Prisma.AgentBlockCreateManyInput[] = [];
  for (let i = 0; i < ctx.options.blocks; i++) {
    const name = ctx.taken.blockNames.claim(blockName(random));
    const input = random.faker.word.noun().toLowerCase();
    const output = random.pick(["result", "output", "text", "data", "response"]);
    rows.push({
      id: ctx.newId(),
      name,
      inputSchema: JSON.stringify({ type: "object", properties: { [input]: { type: "string" } }, required: [input] }),
      outputSchema: JSON.stringify({ type: "object", properties: { [output]: { type: "string" } } }),
    });
  }
  await insertInChunks(rows, (data) => ctx.tx.agentBlock.createMany({ data }));
  return rows.map((row) => ({ id: row.id!, name: row.name }));
}

/** minGraphsPerUser..maxGraphsPerUser active graphs (version 1) per user, made after signing up. */
export async function createGraphs(ctx: CreateContext, users: CreatedUser[]): Promise<CreatedGraph[]> {
  const { random, now, options } = ctx;
  const graphs: CreatedGraph[] = [];
  const rows: Prisma.AgentGraphCreateManyInput[] = [];
  for (const user of users) {
    const count = random.int(options.minGraphsPerUser, options.maxGraphsPerUser);
    for (let i = 0; i < count; i++) {
      const graph: CreatedGraph = {
        id: ctx.newId(),
        version: 1,
        name: agentName(random),
        userId: user.id,
        createdAt: between(random, user.createdAt + HOUR, now - 30 * DAY),
        nodeIds: [],
      };
      graphs.push(graph);
      rows.push({
        id: graph.id,
        version: graph.version,
        name: graph.name,
        description: random.faker.lorem.sentences(2),
        isActive: true,
        userId: user.id,
        createdAt: new Date(graph.createdAt),
        updatedAt: new Date(graph.createdAt),
      });
    }
  }
  await bulkInsert(ctx.tx, "AgentGraph", AGENT_GRAPH_COLUMNS, rows, { onProgress: ctx.track("AgentGraph", rows.length) });
  return graphs;
}

/** minNodesPerGraph..maxNodesPerGraph nodes per graph, each running a random block, laid out left to right. */
export async function createNodes(ctx: CreateContext, graphs: CreatedGraph[], blocks: CreatedBlock[]): Promise<number> {
  const { random, options } = ctx;
  const rows: Prisma.AgentNodeCreateManyInput[] = [];
  for (const graph of graphs) {
    const count = random.int(options.minNodesPerGraph, options.maxNodesPerGraph);
    for (let i = 0; i < count; i++) {
      const id = ctx.newId();
      graph.nodeIds.push(id);
      rows.push({
        id,
        agentBlockId: random.pick(blocks).id,
        agentGraphId: graph.id,
        agentGraphVersion: graph.version,
        constantInput: {},
        metadata: { position: { x: i * 400 + random.int(-50, 50), y: random.int(-200, 200) } },
      });
    }
  }
  return bulkInsert(ctx.tx, "AgentNode", AGENT_NODE_COLUMNS, rows, { onProgress: ctx.track("AgentNode", rows.length) });
}
