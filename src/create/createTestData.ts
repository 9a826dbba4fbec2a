// The creator: fills a database with store test data the way the platform's test_data_creator.py
// does, minus its flaws (see store.ts and credits.ts), in one transaction, reproducibly by seed.
import { randomUUID } from "node:crypto";
import { CommandError } from "../shared/errors.js";
import { analyzeTables } from "../db/analyzeTables.js";
import { CREATOR_WRITES } from "../db/storeColumns.js";
import { STORE_TABLES } from "../db/storeTables.js";
import { readTargetShape } from "../db/targetShape.js";
import { inTransaction, type Db, type Tx } from "../db/transaction.js";
import { noProgress, silent, type Log, type TrackProgress } from "../shared/output.js";
import { stepTimer } from "../shared/timedStep.js";
import { createRandom } from "../shared/random.js";
import { describeRefresh, refreshViews } from "../views/refreshViews.js";
import { viewsReading } from "../views/dependentViews.js";
import { proofLine, verifyViews, type ViewsReport } from "../views/verifyViews.js";
import { UniqueValues, type CreateContext } from "./context.js";
import { createCreditTransactions } from "./credits.js";
import { createRuns } from "./executions.js";
import { createBlocks, createGraphs, createNodes } from "./graphs.js";
import { resolveCreateOptions, type CreateOptions, type CreateReport, type CreatedCounts } from "./options.js";
import { createPersonalOrganizations, createProfiles, createUsers } from "./people.js";
import { createReviews, createStoreListings } from "./store.js";

export { DEFAULT_CREATE_OPTIONS, type CreateOptions, type CreateReport, type CreatedCounts } from "./options.js";

/** The database already has users and --force was not given. */
export class DatabaseNotEmptyError extends CommandError {}

/** Creates the test data in one transaction (a failure or a dry run leaves nothing), then refreshes
 *  and proves every materialized view reading what it wrote. */
export async function createTestData(
  db: Db,
  options: Partial<CreateOptions> = {},
  log: Log = silent,
  track: TrackProgress = noProgress,
): Promise<CreateReport> {
  const resolved = resolveCreateOptions(options);
  const random = createRandom(resolved.seed);
  const now = (resolved.now ?? new Date()).getTime();
  const started = performance.now();
  const { step } = stepTimer(log);

  const { counts, views } = await inTransaction(db, async (tx): Promise<{ counts: CreatedCounts; views: ViewsReport }> => {
    const shape = await readTargetShape(tx, CREATOR_WRITES);
    const existingUsers = await step(
      "check",
      () => refuseUnlessEmpty(tx, resolved.force),
      (n) => (n === 0 ? "✓ database has no users yet" : `✓ database has ${n} users: adding a separate batch (--force)`),
    );
    log(`seed ${random.seed} (replay with --seed ${random.seed})`);
    const ctx: CreateContext = {
      tx,
      shape,
      options: resolved,
      random,
      newId: idSource(random.seed, existingUsers > 0),
      track,
      now,
      taken: await loadTakenValues(tx),
      organizations: new Map(),
    };
    const users = await step("users", () => createUsers(ctx), (u) => `✓ ${u.length} users`);
    const profiles = await step("profiles", () => createProfiles(ctx, users), (p) => `✓ ${p.length} profiles`);
    if (shape.hasOrganizations) {
      await step("organizations", () => createPersonalOrganizations(ctx, profiles), (n) => `✓ ${n} personal organisations, each with its default team`);
    }
    const blocks = await step("blocks", () => createBlocks(ctx), (b) => `✓ ${b.length} agent blocks`);
    const graphs = await step("graphs", () => createGraphs(ctx, users), (g) => `✓ ${describeGraphs(new Set(g.map((v) => v.id)).size, g.length)}`);
    const nodes = await step("nodes", () => createNodes(ctx, graphs, blocks), (n) => `✓ ${n} agent nodes`);
    const runs = await step("runs", () => createRuns(ctx, graphs, users), (r) => `✓ ${r.executions} graph executions, ${r.nodeExecutions} node executions`);
    const store = await step(
      "store",
      () => createStoreListings(ctx, graphs, users),
      (s) => `✓ ${s.listings} store listings (${s.approvedListings} approved), ${s.versions.length} versions`,
    );
    const reviews = await step("reviews", () => createReviews(ctx, store.versions, users), (n) => `✓ ${n} reviews`);
    const credits = await step(
      "credits",
      () => createCreditTransactions(ctx, users, blocks),
      (c) => `✓ ${c.transactions} credit transactions, ${c.balances} user balances`,
    );
    await step("analyze", () => analyzeTables(tx, STORE_TABLES.filter((table) => shape.hasTable(table))), (n) => `✓ planner statistics of ${n} tables updated (ANALYZE)`);
    const stale = await viewsReading(tx, CREATOR_WRITES.map((w) => w.table));
    await step("refresh", () => refreshViews(tx, stale), (r) => describeRefresh(r, stale));
    const views = await step("verify", () => verifyViews(tx, { views: stale }), (v: ViewsReport) => proofLine(v.views));

    const versionsByStatus = { DRAFT: 0, PENDING: 0, APPROVED: 0, REJECTED: 0 };
    for (const version of store.versions) versionsByStatus[version.status]++;
    const counts = {
      users: users.length,
      profiles: profiles.length,
      blocks: blocks.length,
      graphs: new Set(graphs.map((g) => g.id)).size,
      graphVersions: graphs.length,
      nodes,
      executions: runs.executions,
      nodeExecutions: runs.nodeExecutions,
      listings: store.listings,
      approvedListings: store.approvedListings,
      versions: store.versions.length,
      versionsByStatus,
      reviews,
      creditTransactions: credits.transactions,
      userBalances: credits.balances,
    };
    return { counts, views };
  }, { rollback: resolved.dryRun });

  return { seed: random.seed, now: new Date(now), counts, views, dryRun: resolved.dryRun, seconds: (performance.now() - started) / 1000 };
}

/** "12 agent graphs", or with several versions per graph "12 agent graphs (30 versions)". */
export function describeGraphs(graphs: number, versions: number): string {
  return versions === graphs ? `${graphs} agent graphs` : `${graphs} agent graphs (${versions} versions)`;
}

async function refuseUnlessEmpty(tx: Tx, force: boolean): Promise<number> {
  const users = await tx.user.count();
  if (users > 0 && !force) {
    throw new DatabaseNotEmptyError(
      `the database already has ${users} users; refusing to add test data on top of them ` +
        "(use --force to add a separate batch anyway)",
    );
  }
  return users;
}

/** Values already in the unique columns the creator fills (a platform database has its own blocks). */
async function loadTakenValues(tx: Tx): Promise<CreateContext["taken"]> {
  const [users, profiles, blocks] = [
    await tx.user.findMany({ select: { email: true } }),
    await tx.profile.findMany({ select: { username: true } }),
    await tx.agentBlock.findMany({ select: { name: true } }),
  ];
  return {
    emails: new UniqueValues(users.map((u) => u.email)),
    usernames: new UniqueValues(profiles.map((p) => p.username)),
    blockNames: new UniqueValues(blocks.map((b) => b.name)),
  };
}

/** Any fixed odd constant would do: the 32-bit golden ratio spreads neighbouring seeds far apart. */
const ID_STREAM_SALT = 0x9e37_79b9;

/** Ids have their own seeded stream, so they don't shift the data; random under --force (the batch there may share the seed). */
function idSource(seed: number, databaseHasRows: boolean): () => string {
  if (databaseHasRows) return () => randomUUID();
  const ids = createRandom((seed ^ ID_STREAM_SALT) >>> 0);
  return () => ids.faker.string.uuid();
}
