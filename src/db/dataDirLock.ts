// PGlite takes no lock on its data directory: two processes on one directory silently lose
// writes. This lock file (`<dataDir>.lock`, created with O_EXCL, holding the owner's pid) makes a
// second command refuse instead. A lock whose process is gone (killed, crashed) is taken over.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
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
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, "wx");
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 2) throw error;
      const owner = readOwner(path);
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) throw new DatabaseInUseError(dataDir, owner);
      if (owner === process.pid) throw new DatabaseInUseError(dataDir, owner);
      // Stale (its process is gone) or unreadable half-written file: take it over.
      removeIfOwnedBy(path, owner);
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    removeIfOwnedBy(path, process.pid);
  };
  // process.exit() (runCommand, Ctrl-C) skips finally blocks: the lock goes with the process.
  process.on("exit", release);
  return { path, release };
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function removeIfOwnedBy(path: string, pid: number | undefined): void {
  if (readOwner(path) !== pid) return;
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
