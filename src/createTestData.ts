// `npm run create`: fills the database with store test data, as the platform's creator does.
import { flag, integer, kebab, parseCommandLine, type CommandLine, type CommandSpec } from "./cli/options.js";
import { outputFor } from "./cli/output.js";
import { isEntryPoint, runCommand } from "./cli/runCommand.js";
import { withCommandDatabase } from "./cli/openDatabase.js";
import { createTestData, describeCreated } from "./create/creator.js";
import { CREATE_COUNTS, type CreateOptions } from "./create/options.js";
import { EXIT } from "./shared/errors.js";
import { MAX_SEED } from "./domain/random.js";
import { allMatch } from "./views/verifyViews.js";

const { users, ...counts } = CREATE_COUNTS;
/** --blocks, --min-graphs-per-user, ...: the creator's counts, as it declares them. */
const countOptions = Object.fromEntries(
  Object.entries(counts).map(([name, spec]) => [kebab(name), integer(spec.help, spec.min, spec.max, spec.default)]),
);

export const createCommand = {
  usage: "npm run create [-- options]",
  summary:
    "Fills DATABASE_URL with store test data (users, profiles, agent blocks, graphs, nodes, executions,\n" +
    "store listings with versions and reviews, credit transactions) in one transaction, then refreshes\n" +
    "the store's materialized views.",
  options: {
    seed: integer("seed for every random choice (default: a random seed, printed)", 0, MAX_SEED),
    scale: integer(
      "multiply the design's user count (and so graphs, runs, listings) by K; 1 is the design",
      1,
      10_000,
      1,
    ),
    users: integer(`${users.help} (default ${users.default} x --scale)`, users.min, users.max),
    ...countOptions,
    force: flag("add a new batch even though the database already has users"),
    "dry-run": flag("do everything inside a transaction, report, then roll back"),
  },
  epilogue: [
    "One store listing per graph. A listing has an approved version exactly when hasApprovedVersion is",
    "true; credit transactions keep the platform's running balance, and users without transactions",
    "(--max-transactions-per-user 0) have no UserBalance row.",
    "",
    "Exit codes: 0 created; 1 failure (nothing is written), the database already has users, or views that don't",
    "match their own definitions after the refresh (the data is kept); 2 bad usage.",
    "Environment: DATABASE_URL (postgresql://..., add ?schema=platform for a platform database); unset, the",
    "embedded database in .data/pglite (or PGLITE_DATA_DIR).",
  ],
} satisfies CommandSpec;

/** The creator's options, validated; `null` when --help was printed. */
export function parseCreateCommandLine(argv: string[]): CommandLine<Partial<CreateOptions>> | null {
  const parsed = parseCommandLine(createCommand, argv);
  if (!parsed) return null;
  const { scale, ...options } = parsed.options;
  return { options: { ...options, users: options.users ?? users.default * scale }, common: parsed.common };
}

export async function main({ options, common }: CommandLine<Partial<CreateOptions>>): Promise<number> {
  const { say, log, track } = outputFor(false);
  return withCommandDatabase(common, { say, needsStore: true }, async ({ db }) => {
    const report = await createTestData(db, options, (line) => log(`  ${line}`), track);
    say(describeCreated(report));
    return allMatch(report.views.views) ? EXIT.ok : EXIT.failure;
  });
}

if (isEntryPoint(import.meta.url)) await runCommand("create", parseCreateCommandLine, main);
