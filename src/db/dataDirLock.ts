// PGlite takes no lock on its data directory: two processes on one directory silently lose
// writes. This lock file (`<dataDir>.lock`, holding the owner's pid) makes a second command refuse
// instead. A lock whose process is gone (killed, crashed) is taken over.
//
// No moment may let two processes both believe they hold it:
// - The file appears whole: the pid is written to a temporary file first, which is then hard-linked
//   to the lock's name (link() fails if the name exists). A reader never sees an empty lock, so a
//   lock being taken is never mistaken for an abandoned one.
// - Only one process may replace a given abandoned lock file: the one that first creates its
//   takeover lock, `<lock>.takeover-<inode>` (taken by these same rules). Holding it, it checks
//   that the lock is still that file and still abandoned, then renames its own file over it.
//   Without this, two processes could both see the dead pid, and the second would delete the
//   lock the first had just put in its place.
// proper-lockfile was not used: it tells a live lock from an abandoned one by the file's age,
// kept fresh by a timer, and PGlite runs long statements on the main thread, where timers wait.
import { randomBytes } from "node:crypto";
import { closeSync, fstatSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { CommandError } from "../shared/errors.js";
import { displayPath } from "./target.js";

export interface DataDirLock {
  path: string;
  release(): void;
}

export class DatabaseInUseError extends CommandError {
  constructor(
    readonly dataDir: string,
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
  mkdirSync(dirname(path), { recursive: true });
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
    if (publish(path, (temporary) => linkSync(temporary, path))) return undefined;
    const found = inspect(path);
    if (!found) continue; // released since: try again
    if (found.pid !== undefined && (found.pid === process.pid || isAlive(found.pid))) return found.pid;
    const guard = `${path}.takeover-${found.ino}`;
    const busy = acquire(guard, deadline);
    if (busy === undefined) {
      try {
        const now = inspect(path);
        // Still the abandoned file we saw (its inode), and nobody else may replace it now.
        if (now && now.ino === found.ino && !isHeld(now)) {
          publish(path, (temporary) => renameSync(temporary, path));
          return undefined;
        }
      } finally {
        removeIfOwn(guard);
      }
    } else if (Date.now() > deadline) {
      throw new CommandError(`could not take ${displayPath(path)}: process ${busy} has been taking it over for too long`);
    } else {
      pause(5);
    }
  }
}

/**
 * Writes this process's pid to a temporary file beside `path`, then `place`s it there (link:
 * only if `path` doesn't exist; rename: replacing it). Returns false if `path` exists.
 */
function publish(path: string, place: (temporary: string) => void): boolean {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(temporary, `${process.pid}\n`, { flag: "wx" });
  try {
    place(temporary);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    rmSync(temporary, { force: true }); // gone already if it was renamed into place
  }
}

interface LockFile {
  /** The file's identity: a new lock file is a new inode, whatever pid it holds. */
  ino: bigint;
  /** undefined: not a pid (a file this code didn't write). */
  pid: number | undefined;
}

/** The lock file now at `path`, or undefined if there is none. Inode and pid are read through
 *  one open descriptor, so they describe the same file even if the name is replaced meanwhile. */
function inspect(path: string): LockFile | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const pid = Number.parseInt(readFileSync(fd, "utf8").trim(), 10);
    return { ino: fstatSync(fd, { bigint: true }).ino, pid: Number.isSafeInteger(pid) && pid > 0 ? pid : undefined };
  } finally {
    closeSync(fd);
  }
}

function isHeld(lock: LockFile): boolean {
  return lock.pid !== undefined && (lock.pid === process.pid || isAlive(lock.pid));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Deletes the lock file at `path` if this process owns it. Nobody else replaces a live owner's
 *  file, so it is still ours between the check and the deletion. */
function removeIfOwn(path: string): void {
  if (inspect(path)?.pid !== process.pid) return;
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** Blocks this thread for `ms` (lockDataDir is synchronous; the wait is rare and short). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
