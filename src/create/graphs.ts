// Agent blocks, and the agent graphs users build from them (nodes).
import { AGENT_BLOCK_COLUMNS, AGENT_GRAPH_COLUMNS, AGENT_NODE_COLUMNS, type OrgBooking } from "../db/storeColumns.js";
import type { Prisma } from "../generated/prisma/client.js";
import { DAY, HOUR, between, increasingTimes, insertRows, type CreateContext } from "./context.js";
import { agentName, blockName } from "./content.js";
import type { CreatedUser } from "./people.js";

export interface CreatedBlock {
  id: string;
  name: string;
}

/** One version row of an agent graph (AgentGraph's key is id + version). */
export interface CreatedGraph {
  id: string;
  version: number;
  name: string;
  userId: string;
  isActive: boolean;
  /** The version the store shows for this graph: the active one, else the highest. */
  shown: boolean;
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
  await insertRows(ctx, "AgentBlock", AGENT_BLOCK_COLUMNS, rows);
  return rows.map((row) => ({ id: row.id!, name: row.name }));
}

// Which of several versions is active: the newest, an older one (a rollback), or none (switched off).
const ACTIVE_CHOICES = ["newest", "older", "none"] as const;
const ACTIVE_WEIGHTS = [70, 20, 10];
const RENAME_PROBABILITY = 0.3;

/** Graphs per user, made after signing up, with 1..maxVersionsPerGraph versions; a single-version graph is always active. */
export async function createGraphs(ctx: CreateContext, users: CreatedUser[]): Promise<CreatedGraph[]> {
  const { random, now, options } = ctx;
  const graphs: CreatedGraph[] = [];
  const rows: Array<Prisma.AgentGraphCreateManyInput & OrgBooking> = [];
  for (const user of users) {
    const booking = ctx.organizations.get(user.id); // the owner's personal organisation
    const count = random.int(options.minGraphsPerUser, options.maxGraphsPerUser);
    for (let i = 0; i < count; i++) {
      const id = ctx.newId();
      let name = agentName(random);
      const firstAt = between(random, user.createdAt + HOUR, now - 30 * DAY);
      const versions = options.maxVersionsPerGraph > 1 ? random.int(1, options.maxVersionsPerGraph) : 1;
      const times = [firstAt, ...increasingTimes(random, firstAt + 1, now - 30 * DAY, versions - 1)];
      const active = versions === 1 ? versions : activeVersion(ctx, versions);
      const shown = active ?? versions;
      for (let version = 1; version <= versions; version++) {
        if (version > 1 && random.chance(RENAME_PROBABILITY)) name = agentName(random);
        const createdAt = times[version - 1]!;
        const graph: CreatedGraph = { id, version, name, userId: user.id, isActive: version === active, shown: version === shown, createdAt, nodeIds: [] };
        graphs.push(graph);
        rows.push({
          id,
          version,
          name,
          description: random.faker.lorem.sentences(2),
          isActive: graph.isActive,
          userId: user.id,
          createdAt: new Date(createdAt),
          updatedAt: new Date(createdAt),
          ...booking,
        });
      }
    }
  }
  await insertRows(ctx, "AgentGraph", AGENT_GRAPH_COLUMNS, rows);
  return graphs;
}

/** The active version of a graph with `versions` (> 1) versions, or null when none is. */
function activeVersion(ctx: CreateContext, versions: number): number | null {
  const choice = ctx.random.weighted(ACTIVE_CHOICES, ACTIVE_WEIGHTS);
  if (choice === "newest") return versions;
  if (choice === "older") return ctx.random.int(1, versions - 1);
  return null;
}

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
  return insertRows(ctx, "AgentNode", AGENT_NODE_COLUMNS, rows);
}
