// The creator: fills a database with store test data the way the platform's test_data_creator.py
// does, minus its flaws (see store.ts and credits.ts), in one transaction, reproducibly by seed.
import { randomBytes } from "node:crypto";
import { CommandError } from "../shared/errors.js";
import { analyzeTables, dropForeignKeys } from "../bulk/analyzeTables.js";
import { CREATOR_WRITES } from "../schema/storeColumns.js";
import { STORE_TABLES } from "../schema/storeSchemas.js";
import { readTargetShape, type TargetShape } from "../schema/targetShape.js";
import { inTransaction, type Db, type Tx } from "../connection/transaction.js";
import { takenOrganizationSlugs } from "../domain/organizations.js";
import { noProgress, silent, stepTimer, type Log, type TrackProgress } from "../shared/output.js";
import { createRandom, NO_MASK, type IdMask } from "../domain/random.js";
import { describeRefresh, refreshViews } from "../views/refreshViews.js";
import { viewsReading } from "../views/dependentViews.js";
import { describeProof, proofLine, verifyViews, type ViewsReport } from "../views/verifyViews.js";
import { createInBatches, describeGraphs } from "./batches.js";
import { UniqueValues, userKeys, type CreateContext } from "./context.js";
import { noCounts, resolveCreateOptions, type CreateOptions, type CreateReport } from "./options.js";

export { DEFAULT_CREATE_OPTIONS, type CreateOptions, type CreateReport } from "./options.js";

const RUN_TABLES = ["AgentGraphExecution", "AgentNodeExecution"];
const WRITTEN_TABLES = CREATOR_WRITES.map((w) => w.table);
const ANALYZED = (n: number) => `✓ planner statistics of ${n} tables updated (ANALYZE)`;

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

  const counts = noCounts();
  const views = await inTransaction(
    db,
    async (tx): Promise<ViewsReport> => {
      const shape = await readTargetShape(tx, CREATOR_WRITES);
      const existingUsers = await step(
        "check",
        () => refuseUnlessEmpty(tx, resolved.force),
        (n) =>
          n === 0 ? "✓ database has no users yet" : `✓ database has ${n} users: adding a separate batch (--force)`,
      );
      log(`seed ${random.seed} (replay with --seed ${random.seed})`);
      const idMask = idMaskFor(existingUsers > 0);
      const ctx: CreateContext = {
        tx,
        shape,
        options: resolved,
        random,
        idMask,
        now,
        user: userKeys(random.seed, idMask, now),
        taken: await loadTakenValues(tx, shape),
        counts,
      };
      // The runs are most of the rows: into empty tables their keys are checked once, at the end.
      const runKeys = existingUsers === 0 ? await dropForeignKeys(tx, RUN_TABLES) : null;
      await createInBatches(ctx, log, track);
      if (runKeys)
        await step("keys", runKeys.addBack, (n) => `✓ ${n} foreign keys of the runs checked over all their rows`);
      const tables = STORE_TABLES.filter((table) => shape.hasTable(table));
      await step("analyze", () => analyzeTables(tx, tables), ANALYZED);
      const stale = await viewsReading(tx, WRITTEN_TABLES);
      await step(
        "refresh",
        () => refreshViews(tx, stale),
        (r) => describeRefresh(r, stale),
      );
      return await step(
        "verify",
        () => verifyViews(tx, { views: stale }),
        (v) => proofLine(v.views),
      );
    },
    { rollback: resolved.dryRun },
  );

  return {
    seed: random.seed,
    now: new Date(now),
    counts,
    views,
    dryRun: resolved.dryRun,
    seconds: (performance.now() - started) / 1000,
  };
}

async function refuseUnlessEmpty(tx: Tx, force: boolean): Promise<number> {
  const users = await tx.user.count();
  if (users > 0 && !force)
    throw new DatabaseNotEmptyError(
      `the database already has ${users} users; refusing to add test data on top of them ` +
        "(use --force to add a separate batch anyway)",
    );
  return users;
}

/** Values already in the unique columns the creator fills (a platform database has its own blocks). */
async function loadTakenValues(tx: Tx, shape: TargetShape): Promise<CreateContext["taken"]> {
  return {
    emails: new UniqueValues((await tx.user.findMany({ select: { email: true } })).map((u) => u.email)),
    usernames: new UniqueValues((await tx.profile.findMany({ select: { username: true } })).map((p) => p.username)),
    blockNames: new UniqueValues((await tx.agentBlock.findMany({ select: { name: true } })).map((b) => b.name)),
    orgSlugs: new UniqueValues(await takenOrganizationSlugs(tx, shape)),
  };
}

function idMaskFor(databaseHasRows: boolean): IdMask {
  if (!databaseHasRows) return NO_MASK;
  const words = randomBytes(16);
  return [words.readUInt32LE(0), words.readUInt32LE(4), words.readUInt32LE(8), words.readUInt32LE(12)];
}

/** The creator's summary of a run (npm run create and npm start print it). */
export function describeCreated({ counts, seconds, seed, views, dryRun }: CreateReport): string {
  const s = counts.versionsByStatus;
  return [
    ...views.warnings.map((w) => `⚠ ${w}`),
    `${dryRun ? "Dry run: created, then rolled back (the database is unchanged)," : "Created test data"} ` +
      `in ${seconds.toFixed(2)}s (seed ${seed}):`,
    `  ${counts.users} users, ${describeGraphs(counts.graphs, counts.graphVersions)}, ${counts.executions} executions,`,
    `  ${counts.listings} listings (${counts.approvedListings} approved) with ${counts.versions} versions ` +
      `(${s.APPROVED} approved, ${s.PENDING} pending, ${s.REJECTED} rejected, ${s.DRAFT} drafts),`,
    `  ${counts.reviews} reviews, ${counts.creditTransactions} credit transactions.`,
    describeProof(views.views),
  ].join("\n");
}
