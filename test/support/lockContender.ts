// One of the processes test/dataDirLock.test.ts races for a data directory's lock, a round at a
// time. On a line naming a folder (stdin, sent to all at once) it takes and releases the lock of
// `<folder>/db` as often as it can for `ms` milliseconds. While it holds the lock it owns
// `<folder>/holder`, a file created with O_EXCL: finding it already there means two processes hold
// the lock at once ("OVERLAP" on stdout, exit 3). Often it leaves the lock abandoned instead of
// releasing it (see abandon), and with `mayCrash` it may end itself with SIGKILL while holding it:
// the others race to take it over. Prints the round's tallies as JSON at its end, then waits for
// the next round; "exit" ends it (exit 0).
import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { DatabaseInUseError, lockDataDir } from "../../src/embedded/dataDirLock.js";

const [ms, mayCrash] = process.argv.slice(2) as [string, string];
/** Above the largest pid Linux hands out (pid_max is at most 2^22): a process that is surely gone. */
const DEAD_PID = 4_194_305;

/** Busy for about `micros` microseconds: holding the lock long enough for a rival to try. */
function spin(micros: number): void {
  const until = process.hrtime.bigint() + BigInt(micros) * 1000n;
  while (process.hrtime.bigint() < until);
}

/**
 * Leaves the lock as a process that died holding it would: a lock file naming a pid that is gone
 * (put in place whole, as the lock's owner may). Cheaper than dying, so the others race to take
 * over an abandoned lock many times a round.
 */
function abandon(path: string): void {
  writeFileSync(`${path}.abandoned-${process.pid}`, `${DEAD_PID}\n`);
  renameSync(`${path}.abandoned-${process.pid}`, path);
}

function race(dir: string): void {
  const dataDir = join(dir, "db");
  const holder = join(dir, "holder");
  const until = Date.now() + Number(ms);
  let acquired = 0;
  let refused = 0;
  let abandoned = 0;
  while (Date.now() < until) {
    let lock;
    try {
      lock = lockDataDir(dataDir);
    } catch (error) {
      if (!(error instanceof DatabaseInUseError)) throw error;
      refused++;
      continue;
    }
    try {
      writeFileSync(holder, String(process.pid), { flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let other = "?";
      try {
        other = readFileSync(holder, "utf8");
      } catch {
        // released meanwhile: the overlap happened all the same
      }
      console.log(`OVERLAP: process ${process.pid} took the lock while process ${other} held it`);
      process.exit(3);
    }
    acquired++;
    spin(300);
    unlinkSync(holder);
    const fate = Math.random();
    if (mayCrash === "1" && fate < 0.02) {
      process.kill(process.pid, "SIGKILL"); // dies holding the lock
      for (;;); // the signal is on its way: release nothing meanwhile
    }
    if (fate < 0.3) {
      abandon(lock.path);
      abandoned++;
    } else lock.release();
  }
  console.log(JSON.stringify({ acquired, refused, abandoned }));
}

console.log("ready");
createInterface({ input: process.stdin }).on("line", (line) => {
  if (line === "exit") process.exit(0);
  race(line);
});
