// The creator's data, a batch of users at a time, with each step's line (its time summed over the batches).
import { stepTimer, type Log, type TrackProgress } from "../shared/output.js";
import type { CreateContext, UserKey } from "./context.js";
import { createCredits } from "./credits.js";
import { createRuns } from "./executions.js";
import { createBlocks, createGraphs } from "./graphs.js";
import { createPeople } from "./people.js";
import { createReviews, createStoreListings } from "./store.js";

/** Users a batch at a time (options.usersPerBatch), each batch written before the next: memory holds one batch.
 *  All users come first, so a run or a review can be by a user of any batch; each user's data comes from its own
 *  streams (context.ts, Purpose), so the same seed makes the same rows at any batch size. */
export async function createInBatches(ctx: CreateContext, log: Log, track: TrackProgress): Promise<void> {
  const total = ctx.options.users;
  const { timed, logStep } = stepTimer(log);
  const line = (name: string, text: string) => logStep(name, `✓ ${text}`);
  const c = ctx.counts;

  for (const users of inBatches(ctx, track("users", total, "users"))) await createPeople(ctx, users, timed);
  line("users", `${c.users} users`);
  line("profiles", `${c.profiles} profiles`);
  if (ctx.shape.hasOrganizations)
    line("organizations", `${c.users} personal organisations, each with its default team`);
  const blocks = await timed("blocks", () => createBlocks(ctx));
  line("blocks", `${c.blocks} agent blocks`);

  for (const users of inBatches(ctx, track("graphs, runs, listings, credits", total, "users"))) {
    const graphs = await createGraphs(ctx, blocks, users, timed);
    await timed("runs", () => createRuns(ctx, graphs));
    const versions = await timed("store", () => createStoreListings(ctx, graphs));
    await timed("reviews", () => createReviews(ctx, versions));
    await timed("credits", () => createCredits(ctx, blocks, users));
  }
  line("graphs", describeGraphs(c.graphs, c.graphVersions));
  line("nodes", `${c.nodes} agent nodes`);
  line("runs", `${c.executions} graph executions, ${c.nodeExecutions} node executions`);
  line("store", `${c.listings} store listings (${c.approvedListings} approved), ${c.versions} versions`);
  line("reviews", `${c.reviews} reviews`);
  line("credits", `${c.creditTransactions} credit transactions, ${c.userBalances} user balances`);
}

/** The run's users a batch at a time; `progress` is told of a batch when the caller asks for the next. */
function* inBatches(ctx: CreateContext, progress: (done: number) => void): Generator<UserKey[]> {
  const { users, usersPerBatch } = ctx.options;
  for (let from = 0; from < users; from += usersPerBatch) {
    const to = Math.min(users, from + usersPerBatch);
    yield Array.from({ length: to - from }, (_, i) => ctx.user(from + i));
    progress(to);
  }
}

export function describeGraphs(graphs: number, versions: number): string {
  return versions === graphs ? `${graphs} agent graphs` : `${graphs} agent graphs (${versions} versions)`;
}
