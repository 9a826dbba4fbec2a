// `npm test`'s runner: `node --import tsx --test ARGS` as one run, whose test files share the
// templates they make (support/templates.ts); when it ends, however it ends, they are dropped.
// First it drops those of earlier runs on this machine that were killed before they could.
// With --checks (npm test), `npm run typecheck` and `npm run lint` run beside the tests: each one's
// output is printed (on stderr) when it ends, and if one fails the run fails (once the tests have
// ended: stopped half-way, they would leave their databases behind).
import { spawn } from "node:child_process";
import { dropAbandonedRuns, dropRunTemplates, RUN_ENV, runOf } from "./support/templates.js";

const run = runOf(process.pid);
const abandoned = await dropAbandonedRuns();
if (abandoned.length > 0) console.error(`test/run.ts: dropped the templates of killed runs ${abandoned.join(", ")}`);

/**
 * The files that take longest, started first: node --test starts the files in the order given, a
 * few at a time, and one of these started last would make the run's tail. Only an order: the
 * other files follow in theirs.
 */
const SLOWEST_FIRST = [
  "embeddedSignals",
  "start",
  "createTestData",
  "safety",
  "updateTestData",
  "lockWait",
  "migrationTransactions",
  "platformStates",
  "cliReports",
  "timeZones",
];
const rank = (arg: string) => {
  const i = SLOWEST_FIRST.findIndex((name) => arg.endsWith(`/${name}.test.ts`));
  return i === -1 ? SLOWEST_FIRST.length : i;
};
// The test files take the others' places in order; the rest of the command line stays as it is.
const withChecks = process.argv.includes("--checks");
const args = process.argv.slice(2).filter((arg) => arg !== "--checks");
const files = args.filter((arg) => arg.endsWith(".test.ts")).sort((a, b) => rank(a) - rank(b));
const ordered = args.map((arg) => (arg.endsWith(".test.ts") ? files.shift()! : arg));

const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), "--test", ...ordered], {
  stdio: "inherit",
  env: { ...process.env, [RUN_ENV]: run },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
const tests = new Promise<number | null>((done) => child.on("close", done));

/** `npm run -s SCRIPT`, its output kept to print when it ends: whether it passed. */
function check(script: string): Promise<boolean> {
  const npm = spawn("npm", ["run", "-s", script], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  npm.stdout.on("data", (d) => (output += d));
  npm.stderr.on("data", (d) => (output += d));
  return new Promise((done) =>
    npm.on("close", (code) => {
      process.stderr.write(`npm run ${script}: ${code === 0 ? "passed" : `FAILED (exit ${code})`}\n${output}`);
      done(code === 0);
    }),
  );
}
const checks = withChecks ? await Promise.all(["typecheck", "lint"].map(check)) : [];
const code = await tests;
try {
  await dropRunTemplates(run);
} catch (error) {
  // No server to drop anything on (PostgreSQL unreachable): the run made no template there.
  await dropRunTemplates(run, { postgres: false });
  if (!/ECONNREFUSED|timeout|ENOTFOUND|EHOSTUNREACH/i.test(String(error)))
    console.error(`test/run.ts: could not drop this run's templates: ${String(error)}`);
}
process.exit(checks.every(Boolean) ? (code ?? 1) : 1);
