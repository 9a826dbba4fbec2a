// The embedded database's lock file (src/embedded/dataDirLock.ts): processes started together and racing
// for it never hold it two at once, including when they race to take over a lock whose process died.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { after, describe, test } from "node:test";
import { DatabaseInUseError, lockDataDir, lockPath } from "../src/embedded/dataDirLock.js";
import { displayPath } from "../src/target/target.js";
import { ROOT } from "./support/runCli.js";

const TSX_LOADER = import.meta.resolve("tsx");
const CONTENDER = resolve(ROOT, "test/support/lockContender.ts");
/** Above the largest pid Linux hands out (pid_max is at most 2^22): a process that is surely gone. */
const DEAD_PID = 4_194_305;

const root = mkdtempSync(join(tmpdir(), "atd-lock-"));
after(() => rmSync(root, { recursive: true, force: true }));

interface Contender {
  ready: Promise<void>;
  go(): void;
  /** Kills it if it is still running (a failed round must not leave processes behind). */
  stop(): void;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function contender(dir: string, ms: number, mayCrash: boolean): Contender {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, CONTENDER, dir, String(ms), mayCrash ? "1" : "0"], {
    cwd: ROOT,
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolveDone) => child.on("close", (code, signal) => resolveDone({ code, signal, stdout, stderr })),
  );
  const ready = new Promise<void>((resolveReady, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      stdout += `${line}\n`;
      if (line === "ready") resolveReady();
    });
    void done.then(() => reject(new Error(`contender exited before it was ready: ${stderr}`)));
  });
  return {
    ready,
    go: () => child.stdin.write("go\n"),
    stop: () => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"),
    done,
  };
}

describe("the data directory lock", () => {
  test(
    "processes racing for it never hold it two at once, also when taking over a dead owner's lock",
    { timeout: 180_000 },
    async (t) => {
      const ROUNDS = 5;
      const PROCESSES = 6;
      let acquired = 0;
      let refused = 0;
      let abandoned = 0;
      let crashed = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const dir = join(root, `round-${round}`);
        mkdirSync(dir);
        // Each round starts from an abandoned lock, so the first thing they race for is its takeover.
        writeFileSync(lockPath(join(dir, "db")), `${DEAD_PID}\n`);
        const rivals = Array.from({ length: PROCESSES }, (_, i) => contender(dir, 1500, i < 2));
        let ends;
        try {
          await Promise.all(rivals.map((r) => r.ready));
          for (const r of rivals) r.go();
          ends = await Promise.all(rivals.map((r) => r.done));
        } finally {
          for (const r of rivals) r.stop();
        }
        for (const [i, { code, signal, stdout, stderr }] of ends.entries()) {
          assert.doesNotMatch(stdout, /OVERLAP/, `round ${round}: ${stdout}`);
          if (signal === "SIGKILL" && i < 2) {
            crashed++;
            continue;
          }
          assert.equal(code, 0, `round ${round}, process ${i}: ${stdout}${stderr}`);
          const tally = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
            acquired: number;
            refused: number;
            abandoned: number;
          };
          acquired += tally.acquired;
          refused += tally.refused;
          abandoned += tally.abandoned;
        }
        // Nothing left behind but the lock of a process that died holding it: no temporary or takeover files.
        assert.deepEqual(
          readdirSync(dir).filter((name) => name !== "db.lock"),
          [],
          `round ${round}`,
        );
      }
      t.diagnostic(
        `${acquired} acquisitions, ${refused} refusals, ${abandoned} locks left abandoned, ${crashed} owners killed holding it`,
      );
      // The race was real: the lock changed hands often, rivals were turned away, and abandoned locks
      // were raced for (by several rivals at once) many times.
      assert.ok(acquired >= 100, `acquired ${acquired} times`);
      assert.ok(refused >= 100, `refused ${refused} times`);
      assert.ok(abandoned >= 30, `abandoned ${abandoned} times`);
    },
  );
});

describe("taking and releasing the lock in one process", () => {
  const dataDir = () => join(mkdtempSync(join(root, "one-")), "db");

  test("a second taker is refused with the owner's pid and the lock's path; release lets the next one in", () => {
    const dir = dataDir();
    const lock = lockDataDir(dir);
    assert.equal(readFileSync(lockPath(dir), "utf8"), `${process.pid}\n`);
    assert.throws(
      () => lockDataDir(dir),
      (e: unknown) =>
        e instanceof DatabaseInUseError &&
        e.pid === process.pid &&
        e.message.includes(`process ${process.pid}`) &&
        e.message.includes(displayPath(lockPath(dir))),
    );
    lock.release();
    assert.ok(!existsSync(lockPath(dir)));
    lockDataDir(dir).release();
  });

  test("a lock whose process is gone, or that holds no pid, is taken over", () => {
    for (const content of [`${DEAD_PID}\n`, "", "not a pid\n"]) {
      const dir = dataDir();
      writeFileSync(lockPath(dir), content);
      const lock = lockDataDir(dir);
      assert.equal(readFileSync(lockPath(dir), "utf8"), `${process.pid}\n`, JSON.stringify(content));
      lock.release();
      assert.deepEqual(readdirSync(join(dir, "..")), [], "no temporary or takeover file left");
    }
  });

  test("release leaves alone a lock file that is no longer this process's", () => {
    const dir = dataDir();
    const lock = lockDataDir(dir);
    writeFileSync(lockPath(dir), `${DEAD_PID}\n`); // as if another process had taken it over
    lock.release();
    assert.equal(readFileSync(lockPath(dir), "utf8"), `${DEAD_PID}\n`);
  });
});
