// Before step 1: the creator's rows the new data hangs off, in id order so the same seed on the
// same database picks the same rows.
import { CommandError } from "../shared/errors.js";
import type { Tx } from "../db/transaction.js";
import type { SubmissionStatus } from "../generated/prisma/enums.js";
import type { UpdateOptions } from "./options.js";

export interface BaseGraph {
  id: string;
  version: number;
}
export interface BaseVersion {
  id: string;
  submissionStatus: SubmissionStatus;
  isFeatured: boolean;
}
export interface BaseListing {
  id: string;
  Versions: BaseVersion[];
}
export interface BaseData {
  userIds: string[];
  graphs: BaseGraph[];
  listings: BaseListing[];
}

export async function loadBaseData(tx: Tx, limits: UpdateOptions["limits"]): Promise<BaseData> {
  const [users, graphs, listings] = await Promise.all([
    tx.user.findMany({ select: { id: true }, orderBy: { id: "asc" }, take: limits.users }),
    tx.agentGraph.findMany({
      where: { isActive: true },
      select: { id: true, version: true },
      orderBy: [{ id: "asc" }, { version: "asc" }],
      take: limits.graphs,
    }),
    tx.storeListing.findMany({
      where: { hasApprovedVersion: true, isDeleted: false },
      select: {
        id: true,
        Versions: {
          select: { id: true, submissionStatus: true, isFeatured: true },
          orderBy: { version: "asc" },
        },
      },
      orderBy: { id: "asc" },
      take: limits.listings,
    }),
  ]);
  if (users.length === 0 || graphs.length === 0 || listings.length === 0) {
    throw new CommandError(
      `not enough base data (${users.length} users, ${graphs.length} active graphs, ` +
        `${listings.length} listings with an approved version): run the creator first (npm run create)`,
    );
  }
  return { userIds: users.map((u) => u.id), graphs, listings };
}

/** The nodes of the given graphs, grouped by graph (id + version). */
export async function loadGraphNodes(tx: Tx, graphs: BaseGraph[]): Promise<Map<string, string[]>> {
  const nodes = await tx.agentNode.findMany({
    where: { agentGraphId: { in: [...new Set(graphs.map((g) => g.id))] } },
    select: { id: true, agentGraphId: true, agentGraphVersion: true },
    // The graph index's order: without planner statistics, "ORDER BY id" alone may walk the whole table.
    orderBy: [{ agentGraphId: "asc" }, { agentGraphVersion: "asc" }, { id: "asc" }],
  });
  const byGraph = new Map<string, string[]>(graphs.map((g) => [graphKey(g), []]));
  for (const node of nodes) {
    byGraph.get(graphKey({ id: node.agentGraphId, version: node.agentGraphVersion }))?.push(node.id);
  }
  return byGraph;
}

export const graphKey = (graph: BaseGraph): string => `${graph.id}@${graph.version}`;
