// Each command as a process, as a user or a script runs it (node, tsx, the entry point's
// runCommand): the exit code it ends with, end to end. Elsewhere the commands mostly run in the
// test's process (support/inProcess.ts: the code runCommand would exit with); the tests that keep
// a child process for what they are about end commands with the other codes (README, Tests):
// update 0, 1, 2, 130 and 143; start 0, 1 and 2; create 1, 130 and 143; db:migrate 0, 1 and 2;
// db:reset 1. Here the rest, at once: none of them opens a database.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DATA_DIR_ENV } from "../src/target/target.js";
import { runCli } from "./support/runCli.js";

const CREATE = "src/createTestData.ts";
const RESET = "src/resetDatabase.ts";
/** Where nothing listens: a command that connected would fail on it, not exit 0 or 2. */
const NEVER_CONNECTED = "postgresql://postgres@127.0.0.1:1/never-connected";

describe("exit codes of the commands as processes", { concurrency: true }, () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "atd-exit-"));
  });
  after(() => rm(root, { recursive: true, force: true }));

  test("npm run create -- --help: exit 0, the usage on stdout, nothing on stderr", async () => {
    const r = await runCli(CREATE, ["--help"], NEVER_CONNECTED);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Usage: npm run create/);
    assert.equal(r.stderr, "");
  });

  test("npm run create with a bad option: exit 2, one line on stderr, nothing on stdout", async () => {
    const r = await runCli(CREATE, ["--users", "0"], NEVER_CONNECTED);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, "create: --users must be from 1 to 1000000 (got 0)\n");
    assert.equal(r.stdout, "");
  });

  test("npm run db:reset with nothing to delete: exit 0", async () => {
    const r = await runCli(RESET, [], undefined, { [DATA_DIR_ENV]: join(root, "pglite") });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Nothing to delete: .*pglite does not exist\.$/m);
    assert.equal(r.stderr, "");
  });

  test("npm run db:reset with a bad option: exit 2, one line on stderr, nothing on stdout", async () => {
    const r = await runCli(RESET, ["--bogus"], undefined, { [DATA_DIR_ENV]: join(root, "pglite") });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^db:reset: .*bogus.*\n$/);
    assert.equal(r.stderr.split("\n").length, 2, r.stderr);
    assert.equal(r.stdout, "");
  });
});
