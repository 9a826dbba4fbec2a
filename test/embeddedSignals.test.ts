// Ctrl-C and SIGTERM on the embedded database (PGlite, inside the command's own process): sent
// once the creator's or the updater's first write is out, they end the command with 130/143 after
// its transaction is rolled back and PGlite is closed, so the next command opens the database
// (no "in use") and finds every table as it was. The commands signalled are child processes; the
// four cases run at once (each mostly waits for its command to start and write).
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { lockPath } from "../src/embedded/dataDirLock.js";
import { openDatabase } from "../src/cli/openDatabase.js";
import { DATA_DIR_ENV } from "../src/target/target.js";
import { WRITE_MARKER_ENV, WRITE_MARKER_LINE } from "../src/bulk/bulkInsert.js";
import { runInProcess } from "./support/inProcess.js";
import { tableCounts } from "./support/storeChecks.js";
import { startCommand } from "./support/runningCommand.js";
import { writeEmbeddedDatabase } from "./support/testDatabase.js";
import { createSeededTemplate } from "./support/updaterFixtures.js";

const MIGRATE = "src/migrateDatabase.ts";

/** pg_control's `state` field (after the 8-byte system identifier and two 4-byte versions), and
 *  its value once PostgreSQL has shut down cleanly (DB_SHUTDOWNED). */
const PG_CONTROL_STATE_OFFSET = 16;
const DB_SHUTDOWNED = 1;

function controlState(dataDir: string): number {
  return readFileSync(join(dataDir, "global", "pg_control")).readInt32LE(PG_CONTROL_STATE_OFFSET);
}

async function countsIn(dataDir: string): Promise<Record<string, number>> {
  const connection = await openDatabase({ kind: "embedded", dataDir, schema: "public" });
  try {
    return await tableCounts(connection.sql);
  } finally {
    await connection.close();
  }
}

interface Base {
  dir: string;
  counts: Record<string, number>;
}

interface InterruptedCommand {
  name: string;
  role: string;
  script: string;
  base: "migrated" | "created";
  args: string[];
  /** What it prints once everything is written (must not appear: the signal came too late). */
  finished: RegExp;
}

describe("interrupting a write on the embedded database", { concurrency: true }, () => {
  let root: string;
  const bases = new Map<InterruptedCommand["base"], Base>();
  before(async () => {
    root = mkdtempSync(join(tmpdir(), "atd-signals-"));
    // The run's migrated database, and its database filled by the creator (seed 1), counted as they are written.
    const migrated = join(root, "migrated");
    bases.set("migrated", {
      dir: migrated,
      counts: (await writeEmbeddedDatabase(migrated, { inspect: tableCounts }))!,
    });
    const created = join(root, "created");
    const from = (await createSeededTemplate("embedded", 1)).dataDir;
    bases.set("created", {
      dir: created,
      counts: (await writeEmbeddedDatabase(created, { from, inspect: tableCounts }))!,
    });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  // Write phases long enough (seconds after the first write) that the signal lands mid-write.
  const commands: InterruptedCommand[] = [
    {
      name: "create",
      role: "creator",
      script: "src/createTestData.ts",
      base: "migrated",
      args: ["--seed", "2", "--scale", "5"],
      finished: /Created test data/,
    },
    {
      name: "update",
      role: "updater",
      script: "src/updateTestData.ts",
      base: "created",
      args: ["--seed", "2", "--scale", "4", "--min-runs", "100", "--max-runs", "100"],
      finished: /Test data update completed/,
    },
  ];

  for (const command of commands) {
    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      test(
        `${signal} during the ${command.role}'s writes: exit ${code}, rolled back, PGlite closed, lock released`,
        { timeout: 180_000 },
        async () => {
          const base = bases.get(command.base)!;
          const dir = join(root, `${command.name}-${signal}`);
          cpSync(base.dir, dir, { recursive: true });

          const run = startCommand(command.script, command.args, undefined, {
            [DATA_DIR_ENV]: dir,
            [WRITE_MARKER_ENV]: "1",
          });
          let result;
          try {
            // The precondition: the transaction holds written rows when the signal is sent.
            await run.waitForStderr(WRITE_MARKER_LINE);
            assert.ok(run.kill(signal), `${command.name} ended before the signal could be sent`);
            result = await run.exited;
          } finally {
            run.stop();
          }
          assert.doesNotMatch(
            result.stdout,
            command.finished,
            `${command.name} wrote everything before the signal took effect (signals not handled until the end, or the write phase too short)`,
          );
          assert.equal(result.code, code, `${result.stdout}\n${result.stderr}`);
          const lines = result.stderr
            .trim()
            .split("\n")
            .filter((line) => line !== WRITE_MARKER_LINE);
          assert.deepEqual(lines, [`${command.name}: interrupted (${signal}); any uncommitted writes are rolled back`]);

          // PGlite was closed, not left as a crash would leave it: a clean shutdown is recorded and
          // no postmaster.pid is left behind. The lock went with it.
          assert.equal(controlState(dir), DB_SHUTDOWNED, "pg_control records a clean shutdown");
          assert.ok(!existsSync(join(dir, "postmaster.pid")), "no postmaster.pid left");
          assert.ok(!existsSync(lockPath(dir)), "the lock is released");

          const next = await runInProcess(MIGRATE, [], undefined, { [DATA_DIR_ENV]: dir });
          assert.equal(next.code, 0, next.stderr);
          assert.match(next.stdout, /Nothing to migrate/);
          assert.deepEqual(await countsIn(dir), base.counts, "every table's row count unchanged");
          rmSync(dir, { recursive: true, force: true });
        },
      );
    }
  }
});
