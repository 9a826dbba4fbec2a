// Child of bench.ts: the updater's runs step alone (graph runs and node runs, what addExecutions
// writes), on one bulk path, in a process of its own so each measurement starts from the same
// cold state and its peak RSS is its own. Picks the same graphs the updater would for the seed
// and scale, writes inside one transaction, commits, and prints one JSON line.
// Usage: DATABASE_URL=... node --import tsx bench/runsStep.ts <scale> <copy|unnest>
import { limitHeapGrowth } from "../src/cli/runCommand.js";
import { parseDatabaseUrl } from "../src/target/target.js";
import { createPrismaClient } from "../src/connection/databaseConnection.js";
import { UPDATER_WRITES } from "../src/schema/storeColumns.js";
import { readTargetShape } from "../src/schema/targetShape.js";
import { createRandom } from "../src/domain/random.js";
import { addExecutions, pickGraphsForRuns } from "../src/update/addExecutions.js";
import { loadBaseData } from "../src/update/loadBaseData.js";
import { parseUpdateOptions } from "../src/updateTestData.js";

const [scale, path] = process.argv.slice(2);
if (!scale || (path !== "copy" && path !== "unnest")) throw new Error("usage: runsStep.ts <scale> <copy|unnest>");
const url = process.env.DATABASE_URL;
if (!url) throw new Error("runsStep.ts: DATABASE_URL is not set");

limitHeapGrowth(); // as the commands do (src/cli/runCommand.ts): the peak RSS is then comparable
const options = parseUpdateOptions(["--seed", "7", "--scale", scale])!;
const db = createPrismaClient(parseDatabaseUrl(url));
try {
  const measured = await db.$transaction(
    async (tx) => {
      const shape = await readTargetShape(tx, UPDATER_WRITES);
      const base = await loadBaseData(tx, shape, options.limits);
      const random = createRandom(options.seed);
      const graphs = pickGraphsForRuns(random, base.graphs, options.runs.graphs);
      const started = performance.now();
      const written = await addExecutions(
        { tx, shape, random, now: new Date() },
        { graphs, runners: base.runners },
        options.runs,
        undefined,
        undefined,
        {
          copy: path === "copy",
        },
      );
      return { rows: written.executions + written.nodeExecutions, seconds: (performance.now() - started) / 1000 };
    },
    { timeout: 60 * 60_000, maxWait: 60_000 },
  );
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    JSON.stringify({ path, ...measured, rowsPerSec: Math.round(measured.rows / measured.seconds), peakRssMb }),
  );
} finally {
  await db.$disconnect();
}
