// The embedded database's lock file (src/embedded/dataDirLock.ts): processes racing for it never hold
// it two at once, including when they race to take over a lock whose process died. The same processes
// race round after round (one that died is replaced).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, describe, test } from "node:test";
import { DatabaseInUseError, lockDataDir, lockPath } from "../src/embedded/dataDirLock.js";
import { displayPath } from "../src/target/target.js";
import { compiledScript, TEST_NODE_FLAGS } from "./support/compiledTree.js";
import { ROOT } from "./support/repository.js";

const CONTENDER = compiledScript("test/support/lockContender.ts");
/** Above the largest pid Linux hands out (pid_max is at most 2^22): a process that is surely gone. */
const DEAD_PID = 4_194_305;

const root = mkdtempSync(join(tmpdir(), "atd-lock-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** How a contender's round ended: its tallies (it waits for the next round), or its process. */
type RoundEnd =
  | { tally: { acquired: number; refused: number; abandoned: number }; output: string }
  | { exited: { code: number | null; signal: NodeJS.Signals | null }; output: string };

interface Contender {
  ready: Promise<void>;
  /** Races in `dir` (sent to all contenders at once); the round's end. */
  round(dir: string): Promise<RoundEnd>;
  /** Ends it (exit 0 once its round is over); the exit. */
  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills it if it is still running (a failed round must not leave processes behind). */
  stop(): void;
  stderr(): string;
}

/** A contender process, raced round after round until it dies holding the lock (`mayCrash`). */
function contender(ms: number, mayCrash: boolean): Contender {
  const child = spawn(process.execPath, [...TEST_NODE_FLAGS, CONTENDER, String(ms), mayCrash ? "1" : "0"], {
    cwd: ROOT,
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const lines: string[] = [];
  let wake = () => {};
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveDone) =>
    child.on("close", (code, signal) => {
      exited = { code, signal };
      wake();
      resolveDone(exited);
    }),
  );
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    wake();
  });
  /** The next line it prints; undefined once it has ended without one. */
  const nextLine = async (): Promise<string | undefined> => {
    for (;;) {
      if (lines.length > 0) return lines.shift();
      if (exited) return undefined;
      await new Promise<void>((resolveWake) => (wake = resolveWake));
    }
  };
  const ready = nextLine().then((line) => {
    if (line !== "ready") throw new Error(`contender did not start (${line ?? "exited"}): ${stderr}`);
  });
  return {
    ready,
    async round(dir) {
      child.stdin.write(`${dir}\n`);
      let output = "";
      for (;;) {
        const line = await nextLine();
        if (line === undefined) return { exited: await done, output };
        output += `${line}\n`;
        if (line.startsWith("{")) return { tally: JSON.parse(line), output };
      }
    },
    exit() {
      child.stdin.write("exit\n");
      return done;
    },
    stop: () => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"),
    stderr: () => stderr,
  };
}

describe("the data directory lock", () => {
  test(
    "processes racing for it never hold it two at once, also when taking over a dead owner's lock",
    { timeout: 180_000 },
    async (t) => {
      // Rounds go on until the race has been real enough for what the end asserts (at least
      // MIN_ROUNDS, so an owner killed in one round is replaced in the next): short rounds on a
      // quiet machine, more of them on a loaded one. Rivals spin for the whole round, on every core.
      const MIN_ROUNDS = 2;
      const MAX_ROUNDS = 40;
      const PROCESSES = 6;
      const ROUND_MS = 250;
      const enough = () => acquired >= 100 && refused >= 100 && abandoned >= 30;
      let acquired = 0;
      let refused = 0;
      let abandoned = 0;
      let crashed = 0;
      let rounds = 0;
      // The first two may die holding the lock; one that died is replaced for the next round.
      const rivals: Contender[] = [];
      try {
        for (let round = 0; round < MIN_ROUNDS || (!enough() && round < MAX_ROUNDS); round++) {
          rounds++;
          const dir = join(root, `round-${round}`);
          mkdirSync(dir);
          // Each round starts from an abandoned lock, so the first thing they race for is its takeover.
          writeFileSync(lockPath(join(dir, "db")), `${DEAD_PID}\n`);
          for (let i = 0; i < PROCESSES; i++) rivals[i] ??= contender(ROUND_MS, i < 2);
          await Promise.all(rivals.map((r) => r.ready));
          const ends = await Promise.all(rivals.map((r) => r.round(dir)));
          for (const [i, end] of ends.entries()) {
            assert.doesNotMatch(end.output, /OVERLAP/, `round ${round}: ${end.output}`);
            if ("exited" in end) {
              if (end.exited.signal === "SIGKILL" && i < 2) {
                crashed++;
                delete rivals[i];
                continue;
              }
              assert.fail(
                `round ${round}, process ${i} ended (${JSON.stringify(end.exited)}): ${end.output}${rivals[i]!.stderr()}`,
              );
            }
            acquired += end.tally.acquired;
            refused += end.tally.refused;
            abandoned += end.tally.abandoned;
          }
          // Nothing left behind but the lock of a process that died holding it: no temporary or takeover files.
          assert.deepEqual(
            readdirSync(dir).filter((name) => name !== "db.lock"),
            [],
            `round ${round}`,
          );
        }
        for (const [i, r] of rivals.entries()) {
          if (!r) continue;
          const { code } = await r.exit();
          assert.equal(code, 0, `process ${i}: ${r.stderr()}`);
        }
      } finally {
        for (const r of rivals) r?.stop();
      }
      t.diagnostic(
        `${rounds} rounds: ${acquired} acquisitions, ${refused} refusals, ${abandoned} locks left abandoned, ${crashed} owners killed holding it`,
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
