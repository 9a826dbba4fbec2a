// PGlite takes no lock on its data directory, and two processes on one silently lose writes: this lock file
// (`<dataDir>.lock`, the owner's pid) makes a second command refuse; a dead owner's lock is taken over. No two
// processes may both believe they hold it: the pid is hard-linked into place from a temporary file (link()
// fails if the name exists), so no lock is ever seen empty and taken for abandoned; and only the first process
// to create `<lock>.takeover-<inode>` may replace that abandoned file, else two could both see the dead pid and
// the second delete the first's new lock. Not proper-lockfile: it judges liveness by a timer-refreshed file
// age, and PGlite's long statements run on the main thread, where timers wait.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { dirname } from "node:path";
import { CommandError } from "../shared/errors.js";
import { displayPath } from "../target/target.js";

export interface DataDirLock {
  path: string;
  release(): void;
}

export class DatabaseInUseError extends CommandError {
  constructor(
    dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database ${displayPath(dataDir)} is in use by process ${pid}; wait for it to finish ` +
        `(if no such command is running, delete ${displayPath(lockPath(dataDir))})`,
    );
  }
}

export function lockPath(dataDir: string): string {
  return `${dataDir.replace(/[\\/]+$/, "")}.lock`;
}

/** Takes the lock of `dataDir` for this process, or throws DatabaseInUseError. */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = lockPath(dataDir);
  fs.mkdirSync(dirname(path), { recursive: true });
  const owner = acquire(path, Date.now() + TAKEOVER_WAIT_MS);
  if (owner !== undefined) throw new DatabaseInUseError(dataDir, owner);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    removeIfOwn(path);
  };
  // A process.exit() skips finally blocks: the lock goes with the process all the same.
  process.on("exit", release);
  return { path, release };
}

/** How long to wait while another process is taking over an abandoned lock (it takes microseconds). */
const TAKEOVER_WAIT_MS = 5_000;

/** Takes the lock file at `path`: undefined once it is ours, else the pid of its live owner. */
function acquire(path: string, deadline: number): number | undefined {
  for (;;) {
    if (publish(path, (temporary) => fs.linkSync(temporary, path))) return undefined;
    const found = inspect(path);
    if (!found) continue; // released since: try again
    if (isHeld(found)) return found.pid;
    const guard = `${path}.takeover-${found.ino}`;
    const busy = acquire(guard, deadline);
    if (busy === undefined) {
      try {
        const now = inspect(path);
        // Still the abandoned file we saw (its inode), and nobody else may replace it now.
        if (now && now.ino === found.ino && !isHeld(now)) {
          publish(path, (temporary) => fs.renameSync(temporary, path));
          return undefined;
        }
      } finally {
        removeIfOwn(guard);
      }
    } else if (Date.now() > deadline) {
      throw new CommandError(
        `could not take ${displayPath(path)}: process ${busy} has been taking it over for too long`,
      );
    } else {
      // Blocks this thread 5 ms: lockDataDir is synchronous, and the wait is rare and short.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

/** Writes our pid to a temp file, `place`s it at `path` (link: only if absent; rename: over it); false if it exists. */
function publish(path: string, place: (temporary: string) => void): boolean {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  fs.writeFileSync(temporary, `${process.pid}\n`, { flag: "wx" });
  try {
    place(temporary);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    fs.rmSync(temporary, { force: true }); // gone already if it was renamed into place
  }
}

interface LockFile {
  /** The file's identity: a new lock file is a new inode, whatever pid it holds. */
  ino: bigint;
  /** undefined: not a pid (a file this code didn't write). */
  pid: number | undefined;
}

/** The lock file at `path`, if any; inode and pid read through one descriptor: the same file even if replaced. */
function inspect(path: string): LockFile | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const pid = Number.parseInt(fs.readFileSync(fd, "utf8").trim(), 10);
    return { ino: fs.fstatSync(fd, { bigint: true }).ino, pid: Number.isSafeInteger(pid) && pid > 0 ? pid : undefined };
  } finally {
    fs.closeSync(fd);
  }
}

/** Its pid is a live process (this one included; EPERM: alive, another user's). */
function isHeld(lock: LockFile): lock is LockFile & { pid: number } {
  if (lock.pid === undefined) return false;
  try {
    process.kill(lock.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Deletes `path` if ours. Nobody replaces a live owner's file, so it stays ours until deleted. */
function removeIfOwn(path: string): void {
  if (inspect(path)?.pid === process.pid) fs.rmSync(path, { force: true });
}
