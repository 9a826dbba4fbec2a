// Agent blocks, and the agent graphs users build from them (nodes).
import { AGENT_BLOCKS, AGENT_GRAPHS, AGENT_NODES, type OrgBooking } from "../schema/storeColumns.js";
import type { Prisma } from "../generated/prisma/client.js";
import type { Timed } from "../shared/output.js";
import { DAY, HOUR, Purpose, between, increasingTimes, newId, type CreateContext, type UserKey } from "./context.js";
import { agentName, blockName } from "./content.js";

export interface CreatedBlock {
  id: string;
  name: string;
}

/** One version row of an agent graph (AgentGraph's key is id + version). */
export interface CreatedGraph {
  id: string;
  version: number;
  name: string;
  owner: UserKey;
  /** The version the store shows for this graph: the active one, else the highest. */
  shown: boolean;
  /** ms since the epoch */
  createdAt: number;
  nodeIds: string[];
}

/** Agent blocks with unique names and small JSON schemas (stored as text, as on the platform). */
export async function createBlocks(ctx: CreateContext): Promise<CreatedBlock[]> {
  const { random } = ctx;
  random.reseed(Purpose.blocks);
  const blocks = Array.from({ length: ctx.options.blocks }, () => {
    const name = ctx.taken.blockNames.claim(blockName(random));
    const input = random.faker.word.noun().toLowerCase();
    const output = random.pick(["result", "output", "text", "data", "response"]);
    return {
      id: newId(ctx),
      name,
      inputSchema: JSON.stringify({ type: "object", properties: { [input]: { type: "string" } }, required: [input] }),
      outputSchema: JSON.stringify({ type: "object", properties: { [output]: { type: "string" } } }),
    };
  });
  ctx.counts.blocks += await ctx.shape.write(ctx.tx, AGENT_BLOCKS, blocks);
  return blocks;
}

// Which of several versions is active: the newest, an older one (a rollback), or none (switched off).
const ACTIVE_CHOICES = ["newest", "older", "none"] as const;
const ACTIVE_WEIGHTS = [70, 20, 10];
const RENAME_PROBABILITY = 0.3;

/** Graphs of the batch's users, made after signing up, with 1..maxVersionsPerGraph versions (a
 *  single-version graph is always active), booked to the owner's personal organisation; then their nodes. */
export async function createGraphs(
  ctx: CreateContext,
  blocks: CreatedBlock[],
  users: UserKey[],
  timed: Timed,
): Promise<CreatedGraph[]> {
  const graphs: CreatedGraph[] = [];
  const nodeRows: Prisma.AgentNodeCreateManyInput[] = [];
  const { counts, shape, tx, random, now, options } = ctx;
  counts.graphVersions += await timed("graphs", () => shape.write(tx, AGENT_GRAPHS, graphRows()));
  counts.graphs += graphs.filter((g) => g.version === 1).length;
  counts.nodes += await timed("nodes", () => shape.write(tx, AGENT_NODES, nodeRows));
  return graphs;

  /** Made as COPY takes them (bulkInsert.ts, copyRows): the planning overlaps the server's work on the rows before. */
  function* graphRows(): Generator<Prisma.AgentGraphCreateManyInput & OrgBooking> {
    for (const owner of users) {
      random.reseed(Purpose.graphs, owner.index);
      const count = random.int(options.minGraphsPerUser, options.maxGraphsPerUser);
      for (let i = 0; i < count; i++) {
        const id = newId(ctx);
        let name = agentName(random);
        const firstAt = between(random, owner.createdAt + HOUR, now - 30 * DAY);
        const versions = options.maxVersionsPerGraph > 1 ? random.int(1, options.maxVersionsPerGraph) : 1;
        const times = [firstAt, ...increasingTimes(random, firstAt + 1, now - 30 * DAY, versions - 1)];
        const choice = versions === 1 ? "newest" : random.weighted(ACTIVE_CHOICES, ACTIVE_WEIGHTS);
        let active: number | null = versions;
        if (choice === "older") active = random.int(1, versions - 1);
        if (choice === "none") active = null;
        const shown = active ?? versions;
        for (let version = 1; version <= versions; version++) {
          if (version > 1 && random.chance(RENAME_PROBABILITY)) name = agentName(random);
          const createdAt = times[version - 1]!;
          const graph: CreatedGraph = { id, version, name, owner, shown: version === shown, createdAt, nodeIds: [] };
          graphs.push(graph);
          yield {
            id,
            version,
            name,
            description: random.faker.lorem.sentences(2),
            isActive: version === active,
            userId: owner.id,
            createdAt: new Date(createdAt),
            updatedAt: new Date(createdAt),
            ...owner.booking,
          };
          const nodes = random.int(options.minNodesPerGraph, options.maxNodesPerGraph);
          for (let n = 0; n < nodes; n++) {
            graph.nodeIds.push(newId(ctx));
            nodeRows.push({
              id: graph.nodeIds[n]!,
              agentBlockId: random.pick(blocks).id,
              agentGraphId: id,
              agentGraphVersion: version,
              constantInput: {},
              metadata: { position: { x: n * 400 + random.int(-50, 50), y: random.int(-200, 200) } },
            });
          }
        }
      }
    }
  }
}
