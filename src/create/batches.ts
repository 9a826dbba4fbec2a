// The creator's data, a batch of users at a time, with each step's line (its time summed over the batches).
import { stepTimer, type Log, type TrackProgress } from "../shared/output.js";
import { takenOrganizationSlugs } from "../domain/organizations.js";
import { UniqueValues, type CreateContext } from "./context.js";
import { createCreditTransactions } from "./credits.js";
import { createRuns } from "./executions.js";
import { createBlocks, createGraphs, createNodes } from "./graphs.js";
import { noCounts, type CreatedCounts } from "./options.js";
import { createPeople } from "./people.js";
import { createReviews, createStoreListings } from "./store.js";

/**
 * Users are made a batch at a time (options.usersPerBatch), everything of theirs written before the
 * next batch is made: memory holds one batch, whatever the scale. All users (with their profiles and
 * organisations) come first, so a run, a version's review or a store review can be by a user of any
 * batch; every user's data comes from streams of its own (context.ts, Purpose), so the same seed
 * makes the same rows at any batch size. Each step's line sums its time over the batches.
 */
export async function createInBatches(ctx: CreateContext, log: Log, track: TrackProgress): Promise<CreatedCounts> {
  const total = ctx.options.users;
  const perBatch = ctx.options.usersPerBatch;
  const { timed, logStep } = stepTimer(log);
  const line = (name: string, text: string) => logStep(name, `✓ ${text}`);
  const c = noCounts();

  const orgSlugs = new UniqueValues(await takenOrganizationSlugs(ctx.tx, ctx.shape));
  let progress = track("users", total, "users");
  let organizations = 0;
  for (let from = 0; from < total; from += perBatch) {
    const to = Math.min(total, from + perBatch);
    const people = await createPeople(ctx, orgSlugs, from, to, timed);
    c.users += people.users;
    c.profiles += people.profiles;
    organizations += people.organizations;
    progress(to);
  }
  line("users", `${c.users} users`);
  line("profiles", `${c.profiles} profiles`);
  if (ctx.shape.hasOrganizations)
    line("organizations", `${organizations} personal organisations, each with its default team`);
  const blocks = await timed("blocks", () => createBlocks(ctx));
  c.blocks = blocks.length;
  line("blocks", `${c.blocks} agent blocks`);

  progress = track("graphs, runs, listings, credits", total, "users");
  for (let from = 0; from < total; from += perBatch) {
    const to = Math.min(total, from + perBatch);
    const { graphs, nodeRows } = await timed("graphs", () => createGraphs(ctx, blocks, from, to));
    c.graphVersions += graphs.length;
    c.graphs += graphs.filter((g) => g.version === 1).length;
    c.nodes += await timed("nodes", () => createNodes(ctx, nodeRows));
    const runs = await timed("runs", () => createRuns(ctx, graphs));
    c.executions += runs.executions;
    c.nodeExecutions += runs.nodeExecutions;
    const store = await timed("store", () => createStoreListings(ctx, graphs));
    c.listings += store.listings;
    c.approvedListings += store.approvedListings;
    c.versions += store.versions.length;
    for (const version of store.versions) c.versionsByStatus[version.status]++;
    c.reviews += await timed("reviews", () => createReviews(ctx, store.versions));
    const credits = await timed("credits", () => createCreditTransactions(ctx, blocks, from, to));
    c.creditTransactions += credits.transactions;
    c.userBalances += credits.balances;
    progress(to);
  }
  line("graphs", describeGraphs(c.graphs, c.graphVersions));
  line("nodes", `${c.nodes} agent nodes`);
  line("runs", `${c.executions} graph executions, ${c.nodeExecutions} node executions`);
  line("store", `${c.listings} store listings (${c.approvedListings} approved), ${c.versions} versions`);
  line("reviews", `${c.reviews} reviews`);
  line("credits", `${c.creditTransactions} credit transactions, ${c.userBalances} user balances`);
  return c;
}

/** "12 agent graphs", or with several versions per graph "12 agent graphs (30 versions)". */
export function describeGraphs(graphs: number, versions: number): string {
  return versions === graphs ? `${graphs} agent graphs` : `${graphs} agent graphs (${versions} versions)`;
}
