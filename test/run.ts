// `npm test`'s runner: node's test runner over the files given, as one run whose test files share the
// templates they make (support/templates.ts); when it ends, however it ends, they are dropped.
// First it drops those of earlier runs on this machine that were killed before they could, and
// the databases of test processes killed before they dropped them.
import { relative, resolve } from "node:path";
import { finished } from "node:stream/promises";
import { run as nodeTestRun } from "node:test";
import { spec, tap } from "node:test/reporters";
import { REPOSITORY_ENV, ROOT } from "./support/repository.js";
import { dropAbandoned, dropRunTemplates, RUN_ENV, runOf } from "./support/templates.js";

const run = runOf(process.pid);
const abandoned = await dropAbandoned();
if (abandoned.runs.length > 0)
  console.error(`test/run.ts: dropped the templates of killed runs ${abandoned.runs.join(", ")}`);
if (abandoned.databases.length > 0)
  console.error(`test/run.ts: dropped the databases of killed tests ${abandoned.databases.join(", ")}`);

/**
 * The files that take longest, started first (node --test would start them in file name order, a
 * few at a time: one of these started last makes the run's tail). Only an order: the other files
 * follow in theirs.
 */
const SLOWEST_FIRST = [
  "start",
  "embeddedSignals",
  "createTestData",
  "updateTestData",
  "safety",
  "lockWait",
  "migrationTransactions",
  "timeZones",
  "platformStates",
  "cliReports",
];
const rank = (file: string) => {
  const i = SLOWEST_FIRST.findIndex((name) => file.endsWith(`/${name}.test.ts`));
  return i === -1 ? SLOWEST_FIRST.length : i;
};

/** node --test's own options this runner takes: --test-concurrency=N, --test-name-pattern=P. */
const argv = process.argv.slice(2);
let concurrency = 1;
const testNamePatterns: string[] = [];
const files: string[] = [];
for (let i = 0; i < argv.length; i++) {
  const [name, inline] = argv[i]!.split(/=(.*)/s) as [string, string | undefined];
  const value = () => inline ?? argv[++i] ?? "";
  if (name === "--test-concurrency") concurrency = Number(value());
  else if (name === "--test-name-pattern") testNamePatterns.push(value());
  else if (name.startsWith("-")) throw new Error(`test/run.ts: unknown option ${name}`);
  else files.push(resolve(name));
}
files.sort((a, b) => rank(a) - rank(b));

// The test files' processes inherit the run, and where the repository is: they run the files'
// compiled copies (support/compiledTree.ts, built here once for the run), without tsx. Node's test
// runner starts them with this process's Node options: tsx's loader taken out, the tests' V8 flags added.
process.env[RUN_ENV] = run;
process.env[REPOSITORY_ENV] = ROOT;
const { compiledScript, TEST_NODE_FLAGS } = await import("./support/compiledTree.js");
const tsxLoader = process.execArgv.findIndex((arg, i) => arg === "--import" && process.execArgv[i + 1] === "tsx");
if (tsxLoader !== -1) process.execArgv.splice(tsxLoader, 2);
process.execArgv.push(...TEST_NODE_FLAGS);
let failed = false;
const stream = nodeTestRun({
  files: files.map((file) => compiledScript(relative(ROOT, file))),
  concurrency,
  ...(testNamePatterns.length > 0 ? { testNamePatterns } : {}),
});
stream.on("test:fail", () => (failed = true));
// Ctrl-C reaches the test files' processes too (one process group): once they have ended, the
// templates are dropped all the same.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => (failed = true));
stream.compose(process.stdout.isTTY ? new spec() : tap).pipe(process.stdout);
const tests = finished(stream);

await tests;
try {
  await dropRunTemplates(run);
} catch (error) {
  // No server to drop anything on (PostgreSQL unreachable): the run made no template there.
  await dropRunTemplates(run, { postgres: false });
  if (!/ECONNREFUSED|timeout|ENOTFOUND|EHOSTUNREACH/i.test(String(error)))
    console.error(`test/run.ts: could not drop this run's templates: ${String(error)}`);
}
process.exit(failed ? 1 : 0);
