// Every command's command line, parsed in-process: one declaration per command (its own options
// merged with the common ones), read once; bad values are one-line usage errors; --help lists the
// common options; and the one identifier rule, which also guards DATABASE_URL's ?schema= name.
// No database and no child process: safety.test.ts proves the exit code 2 end to end, once.
import assert from "node:assert/strict";
import { describe, test, type TestContext } from "node:test";
import {
  helpText,
  parseCommandLine,
  type CommandSpec,
  type CommonOptions,
  type OptionSpecs,
} from "../../src/cli/options.js";
import { commandArgs } from "../../src/cli/runCommand.js";
import { DEFAULT_CREATE_OPTIONS } from "../../src/create/creator.js";
import { createCommand, parseCreateCommandLine } from "../../src/createTestData.js";
import { DatabaseUrlError, parseDatabaseUrl } from "../../src/target/target.js";
import { isPlainIdentifier, quoteIdentifier } from "../../src/shared/identifier.js";
import { resolveDatabaseTarget } from "../../src/target/target.js";
import { migrateCommand } from "../../src/migrateDatabase.js";
import { resetCommand } from "../../src/resetDatabase.js";
import { UsageError } from "../../src/shared/errors.js";
import { startCommand } from "../../src/start.js";
import { parseUpdateOptions, updateCommand } from "../../src/updateTestData.js";

interface Command {
  name: string;
  spec: CommandSpec<OptionSpecs>;
  parse: (argv: string[]) => { common: CommonOptions } | null;
}

const COMMANDS: Command[] = [
  { name: "create", spec: createCommand, parse: parseCreateCommandLine },
  { name: "update", spec: updateCommand, parse: (argv) => parseUpdateOptions(argv) },
  { name: "start", spec: startCommand, parse: (argv) => parseUpdateOptions(argv, startCommand) },
  { name: "db:migrate", spec: migrateCommand, parse: (argv) => parseCommandLine(migrateCommand, argv) },
  { name: "db:reset", spec: resetCommand, parse: (argv) => parseCommandLine(resetCommand, argv) },
];

const integerOptions = (spec: CommandSpec<OptionSpecs>) =>
  Object.entries(spec.options).flatMap(([name, option]) => (option.type === "integer" ? [{ name, ...option }] : []));

/** Asserts `argv` is refused with a one-line UsageError whose message matches `message`. */
function refused(command: Command, argv: string[], message: RegExp | string): void {
  assert.throws(
    () => command.parse(argv),
    (error: unknown) => {
      assert.ok(error instanceof UsageError, `${command.name} ${JSON.stringify(argv)}: ${String(error)}`);
      assert.ok(!error.message.includes("\n"), `one line: ${error.message}`);
      if (typeof message === "string") assert.equal(error.message, message);
      else assert.match(error.message, message);
      return true;
    },
    `${command.name} ${JSON.stringify(argv)}`,
  );
}

const NO_COMMON: CommonOptions = { dataDir: undefined, envFile: undefined, allowRemote: false, verbose: false };

describe("every command's options parse", () => {
  test("each declared option is accepted with a valid value, in both spellings", () => {
    for (const command of COMMANDS) {
      for (const option of integerOptions(command.spec)) {
        // The default (when there is one) keeps --min-x/--max-x pairs in order.
        const value = String(option.default ?? option.min);
        assert.ok(command.parse([`--${option.name}`, value]), `${command.name} --${option.name} ${value}`);
        assert.ok(command.parse([`--${option.name}=${value}`]), `${command.name} --${option.name}=${value}`);
      }
      for (const [name, option] of Object.entries(command.spec.options)) {
        if (option.type === "flag") assert.ok(command.parse([`--${name}`]), `${command.name} --${name}`);
      }
    }
  });

  test("the creator's values reach its options", () => {
    const parsed = parseCreateCommandLine([
      "--seed",
      "7",
      "--users",
      "12",
      "--force",
      "--min-graphs-per-user=0",
      "--blocks",
      "3",
    ])!;
    assert.equal(parsed.options.seed, 7);
    assert.equal(parsed.options.users, 12);
    assert.equal(parsed.options.force, true);
    assert.equal(parsed.options.minGraphsPerUser, 0);
    assert.equal(parsed.options.blocks, 3);
    assert.equal(parseCreateCommandLine(["--scale", "2"])!.options.users, DEFAULT_CREATE_OPTIONS.users * 2);
    assert.equal(parseCreateCommandLine([])!.options.force, false);
  });

  test("the updater's values reach its options, for npm run update and npm start alike", () => {
    for (const parse of [
      (argv: string[]) => parseUpdateOptions(argv),
      (argv: string[]) => parseUpdateOptions(argv, startCommand),
    ]) {
      const o = parse(["--seed", "7", "--dry-run", "--json", "--users", "3", "--max-runs", "6", "--scale", "2"])!;
      assert.equal(o.seed, 7);
      assert.equal(o.dryRun, true);
      assert.equal(o.json, true);
      assert.equal(o.limits.users, 3, "given explicitly, it wins over --scale");
      assert.equal(o.limits.graphs, 100, "the design's 50 x --scale 2");
      assert.equal(o.runs.max, 6);
    }
  });

  test("a range pair out of order is refused", () => {
    refused(
      COMMANDS[0]!,
      ["--min-graphs-per-user", "5", "--max-graphs-per-user", "2"],
      "--min-graphs-per-user (5) must not exceed --max-graphs-per-user (2)",
    );
    refused(COMMANDS[1]!, ["--min-runs", "9", "--max-runs", "2"], "--min-runs (9) must not exceed --max-runs (2)");
  });
});

describe("bad values: a one-line UsageError naming the option", () => {
  const BAD_VALUES = ["", "-1", "1.5", "abc", "1e3", "99999999999999999999", "0x10", "-5"];

  test("every number option of every command, as `--name value` and `--name=value`", () => {
    let checked = 0;
    for (const command of COMMANDS) {
      for (const option of integerOptions(command.spec)) {
        for (const value of BAD_VALUES) {
          for (const argv of [[`--${option.name}`, value], [`--${option.name}=${value}`]]) {
            refused(command, argv, new RegExp(`^--${option.name} must be `));
            checked++;
          }
        }
      }
    }
    assert.ok(checked > 400, `${checked} checked`);
  });

  test("a value that starts with - reaches validation as a value", () => {
    refused(COMMANDS[1]!, ["--users", "-1"], '--users must be a whole number from 1 to 10000000 (got "-1")');
    refused(COMMANDS[2]!, ["--seed", "-5"], '--seed must be a whole number from 0 to 4294967295 (got "-5")');
    refused(COMMANDS[0]!, ["--users", "-1"], '--users must be a whole number from 1 to 1000000 (got "-1")');
    refused(
      COMMANDS[0]!,
      ["--users", "99999999999999999999"],
      "--users must be from 1 to 1000000 (got 99999999999999999999)",
    );
  });

  test("unknown options, prototype names included, and stray arguments", () => {
    for (const command of COMMANDS) {
      // "--data-dir DIR" as one word: a key of the old COMMON_FLAGS table, which `in` let through.
      for (const raw of [
        "--bogus",
        "--toString",
        "--__proto__",
        "--constructor",
        "--hasOwnProperty",
        "-x",
        "--data-dir DIR",
      ]) {
        refused(command, [raw], `Unknown option '${raw}' (see --help)`);
      }
      refused(command, ["-ab"], "Unknown option '-a' (see --help)");
      for (const word of ["extra", "toString", "valueOf"]) {
        refused(
          command,
          [word],
          `Unexpected argument '${word}'. This command does not take positional arguments (see --help)`,
        );
      }
    }
    refused(COMMANDS[3]!, ["--users", "1"], "Unknown option '--users' (see --help)");
  });

  test("a flag given a value, a number option left without one", () => {
    for (const command of COMMANDS) {
      refused(command, ["--verbose=1"], "Option '--verbose' does not take an argument (see --help)");
      refused(command, ["--allow-remote=yes"], "Option '--allow-remote' does not take an argument (see --help)");
      refused(command, ["--help=no"], "Option '--help' does not take an argument (see --help)");
    }
    refused(COMMANDS[0]!, ["--force=1"], "Option '--force' does not take an argument (see --help)");
    refused(COMMANDS[0]!, ["--users"], "Option '--users <value>' argument missing (see --help)");
    refused(COMMANDS[1]!, ["--max-runs", "--seed", "1"], "Option '--max-runs' argument is ambiguous. (see --help)");
  });
});

describe("the common options reach every command's result", () => {
  test("given, in either spelling and mixed with the command's own; absent, their defaults", () => {
    for (const command of COMMANDS) {
      assert.deepEqual(command.parse([])!.common, NO_COMMON, command.name);
      assert.deepEqual(command.parse(["--data-dir", "d", "--env-file=e.env", "--allow-remote", "--verbose"])!.common, {
        dataDir: "d",
        envFile: "e.env",
        allowRemote: true,
        verbose: true,
      });
      assert.deepEqual(command.parse(["--data-dir=a", "--data-dir", "b"])!.common.dataDir, "b", "the last one wins");
    }
    const create = parseCreateCommandLine(["--verbose", "--seed", "3", "--data-dir", "x", "--force"])!;
    assert.equal(create.options.seed, 3);
    assert.equal(create.options.force, true);
    assert.deepEqual(create.common, { ...NO_COMMON, verbose: true, dataDir: "x" });
    const update = parseUpdateOptions(["--allow-remote", "--seed", "4", "--env-file", "backend/.env"])!;
    assert.equal(update.seed, 4);
    assert.deepEqual(update.common, { ...NO_COMMON, allowRemote: true, envFile: "backend/.env" });
  });

  test("--data-dir without a directory and --env-file without a file are usage errors", () => {
    for (const command of COMMANDS) {
      for (const [flag, needs] of [
        ["--data-dir", "a directory"],
        ["--env-file", "a file"],
      ] as const) {
        const message = `${flag} needs ${needs} (see --help)`;
        for (const argv of [
          [flag],
          [flag, ""],
          [`${flag}=`],
          [flag, "  "],
          [flag, "--verbose"],
          [flag, "--seed", "1"],
        ]) {
          refused(command, argv, message);
        }
      }
    }
  });

  test("the npm scripts' leading -- is dropped, and only that one", () => {
    assert.deepEqual(commandArgs(["--", "--seed", "1"]), ["--seed", "1"]);
    assert.deepEqual(commandArgs(["--seed", "1"]), ["--seed", "1"]);
    assert.deepEqual(commandArgs(["--", "--", "--seed"]), ["--", "--seed"]);
    refused(COMMANDS[1]!, commandArgs(["--", "--", "--seed"]), /^Unexpected argument '--seed'/);
  });

  test("a command that declares a common option again is a bug, caught at once", () => {
    const twice = {
      usage: "x",
      summary: "x",
      options: { verbose: { type: "flag", description: "again" } },
    } as unknown as CommandSpec<OptionSpecs>;
    assert.throws(() => parseCommandLine(twice, []), /--verbose is a common option, declared again/);
  });
});

describe("--help", () => {
  const COMMON_ROWS = [
    /^ {2}--data-dir DIR +the embedded database's directory \(default \.data\/pglite, or PGLITE_DATA_DIR\)$/m,
    /^ {2}--env-file PATH +read DATABASE_URL from this file when the environment has none \(default: \.env here, unless NO_DOTENV=1\)$/m,
    /^ {2}--allow-remote +allow a DATABASE_URL whose host is not this machine \(or ALLOW_REMOTE_DATABASE=1\)$/m,
    /^ {2}--verbose +print the stack trace of a failure$/m,
    /^ {2}--help +show this help and exit$/m,
  ];

  test("every command prints its help, listing its own options and the common ones, and stops", (t: TestContext) => {
    const log = t.mock.method(console, "log", () => {});
    for (const command of COMMANDS) {
      log.mock.resetCalls();
      assert.equal(command.parse(["--help"]), null, command.name);
      assert.equal(log.mock.callCount(), 1);
      const printed = String(log.mock.calls[0]!.arguments[0]);
      assert.equal(printed, helpText(command.spec));
      assert.match(printed, new RegExp(`^Usage: ${command.spec.usage.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\n`));
      for (const row of COMMON_ROWS) assert.match(printed, row, command.name);
      for (const name of Object.keys(command.spec.options))
        assert.match(printed, new RegExp(`^ {2}--${name}\\b`, "m"), `${command.name} --${name}`);
    }
    assert.match(helpText(startCommand), /^Usage: npm start /, "npm start prints its own help, not the updater's");
  });

  test("--help wins over bad values, not over a malformed command line", (t: TestContext) => {
    t.mock.method(console, "log", () => {});
    assert.equal(COMMANDS[0]!.parse(["--help", "--users", "-1"]), null);
    refused(COMMANDS[0]!, ["--help", "--bogus"], "Unknown option '--bogus' (see --help)");
    refused(COMMANDS[2]!, ["--help", "--data-dir"], "--data-dir needs a directory (see --help)");
  });
});

describe("one identifier rule", () => {
  test("plain identifiers are quoted; anything else is refused, not escaped", () => {
    assert.equal(quoteIdentifier("User"), '"User"');
    assert.equal(quoteIdentifier("_prisma_migrations"), '"_prisma_migrations"');
    for (const bad of ["", 'a"b', "a b", "1abc", "a-b", "schemä", "x;DROP", "a\nb"]) {
      assert.equal(isPlainIdentifier(bad), false, JSON.stringify(bad));
      assert.throws(() => quoteIdentifier(bad), /not a plain identifier/, JSON.stringify(bad));
    }
  });

  test("DATABASE_URL's ?schema= name follows it: a bad one is one line when the URL is parsed", () => {
    const base = "postgresql://postgres:pw@127.0.0.1:5432/db";
    assert.equal(parseDatabaseUrl(base).schema, "public");
    const platform = parseDatabaseUrl(`${base}?schema=platform`);
    assert.equal(platform.schema, "platform");
    assert.doesNotMatch(platform.connectionString, /schema=/);
    for (const bad of ["a%22b", "my%20schema", "1abc", "a-b", "sch%C3%A9ma", "x%3BDROP"]) {
      assert.throws(
        () => parseDatabaseUrl(`${base}?schema=${bad}`),
        (error: unknown) => {
          assert.ok(error instanceof DatabaseUrlError, String(error));
          assert.ok(!(error instanceof UsageError), "a DATABASE_URL problem exits 1, not 2");
          assert.match(
            error.message,
            /^DATABASE_URL's \?schema= must be a plain schema name \(letters, digits and _, not starting with a digit\); got ".+"$/,
          );
          assert.ok(!error.message.includes("\n") && !error.message.includes("pw"), error.message);
          return true;
        },
        bad,
      );
    }
  });

  test("the commands' database target refuses it before connecting", () => {
    const env = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/db?schema=a%22b", NO_DOTENV: "1" };
    assert.throws(() => resolveDatabaseTarget({}, env), DatabaseUrlError);
  });
});
