// Databases made once per test run and copied by every test that needs one: a migrated database,
// one filled by the creator. node:test runs each test file in a process of its own, several at
// once; the first process to need a template builds it, under a lock, and the others wait for it
// and copy it (PostgreSQL: CREATE DATABASE ... TEMPLATE; embedded: a data directory in the run's folder).
//
// A template is named after its run and after a hash of what makes it (the migrations, the
// sources, the locked dependencies): a change made during a run makes a new one, and nothing from
// an earlier run is ever used. It is complete once it has its name: a PostgreSQL template is built
// under another name and renamed, a folder built under another name and renamed.
//
// The run is `npm test`'s (test/run.ts sets RUN_ENV for every file it runs, and drops the run's
// templates when the run ends, and those of earlier runs that were killed); a test file run on its
// own is a run of its own, and drops its templates when its tests are done (testDatabase.ts).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { mkdtemp } from "node:fs/promises";
import { join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DatabaseInUseError, lockDataDir } from "../../src/embedded/dataDirLock.js";
import { ROOT } from "./repository.js";
import { admin } from "./server.js";

/** Set by test/run.ts: the run the test files belong to. */
export const RUN_ENV = "ATD_TEST_RUN";

/** The run of a process `pid` of this machine (its host hashed in: a server may serve several). */
export const runOf = (pid: number): string => `${HOST}${pid}`;
const HOST = createHash("sha256").update(hostname()).digest("hex").slice(0, 4);

/** This process's run: `npm test`'s, or its own. */
export const RUN_ID = process.env[RUN_ENV] || runOf(process.pid);

/** This process is a run of its own: it drops its templates itself. */
export const OWN_RUN = !process.env[RUN_ENV];

const PREFIX = "atd_tpl_";

/** A test database's name starts with this and its process's run (testDatabase.ts). */
export const TEST_DATABASE_PREFIX = "atd_test_";

/** Where a run keeps its folders and locks. */
export const runDir = (run: string): string => join(tmpdir(), `atd-test-run-${run}`);

/** What a template is made from: the migrations, the sources (the creator's and all it imports),
 *  the Prisma schema and the locked dependencies (PGlite's version among them). */
function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path !== join(ROOT, "src", "generated")) walk(path);
      } else files.push(path);
    }
  };
  walk(join(ROOT, "prisma"));
  walk(join(ROOT, "src"));
  files.push(join(ROOT, "package-lock.json"));
  return files.sort();
}

/** A hash of the files templates are made from: another content, another template. */
export const TEMPLATE_KEY = (() => {
  const hash = createHash("sha256");
  for (const file of sourceFiles())
    hash
      .update(`${relative(ROOT, file)}\0`)
      .update(readFileSync(file))
      .update("\0");
  return hash.digest("hex").slice(0, 10);
})();

/** The name of this run's template `kind` (letters, digits and _ only). */
export function templateName(kind: string): string {
  if (!/^[a-z0-9_]+$/.test(kind)) throw new Error(`template kind ${kind}: letters, digits and _ only`);
  return `${PREFIX}${RUN_ID}_${TEMPLATE_KEY}_${kind}`;
}

/** What this process made, for an own run's cleanup. */
const made = { postgres: false, files: false };

/** Each template once per process: the promise of it. */
const pending = new Map<string, Promise<unknown>>();

function once<T>(name: string, make: () => Promise<T>): Promise<T> {
  let promise = pending.get(name) as Promise<T> | undefined;
  if (!promise) {
    promise = make();
    pending.set(name, promise);
    // A failed build is not remembered: the next test tries again (and reports its own failure).
    promise.catch(() => pending.delete(name));
  }
  return promise;
}

/** This run's folder, made when first asked for (and so dropped by an own run's cleanup). */
function ownRunDir(): string {
  mkdirSync(runDir(RUN_ID), { recursive: true });
  made.files = true;
  return runDir(RUN_ID);
}

/** Runs `work` holding the run's lock on `name` (a file lock: the builder's pid, taken over when it died). */
async function withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const path = join(ownRunDir(), name);
  let lock;
  for (;;) {
    try {
      lock = lockDataDir(path);
      break;
    } catch (error) {
      if (!(error instanceof DatabaseInUseError)) throw error;
      await sleep(50);
    }
  }
  try {
    return await work();
  } finally {
    lock.release();
  }
}

const databaseExists = (name: string) =>
  admin(async (c) => (await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount === 1);

/**
 * This run's PostgreSQL template `kind`: its name, once it is complete. `build` makes it under the
 * name it is given (a new database it creates, fills and leaves with no connection open).
 */
export function sharedPostgresTemplate(kind: string, build: (name: string) => Promise<void>): Promise<string> {
  const name = templateName(kind);
  return once(name, async () => {
    made.postgres = true;
    if (await databaseExists(name)) return name;
    return withLock(name, async () => {
      if (await databaseExists(name)) return name;
      // Left by a builder that died: never trusted, made again.
      const building = `${name}_tmp`;
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`));
      await build(building);
      await admin((c) => c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`));
      return name;
    });
  });
}

/** A new folder in this run's: dropped with the run's templates, also when the run was killed. */
export function newRunFolder(prefix: string): Promise<string> {
  return mkdtemp(join(ownRunDir(), prefix));
}

/** This run's folder `kind`: made by `build` (in the folder it is given, renamed once complete) when
 *  the run has none yet. */
export function sharedRunFolder(kind: string, build: (dir: string) => Promise<void>): Promise<string> {
  const name = templateName(kind);
  const dir = join(runDir(RUN_ID), name);
  return once(name, async () => {
    if (existsSync(dir)) return dir;
    return withLock(name, async () => {
      if (existsSync(dir)) return dir;
      const partial = `${dir}.${process.pid}.partial`;
      rmSync(partial, { recursive: true, force: true });
      await build(partial);
      renameSync(partial, dir);
      return dir;
    });
  });
}

/** Drops every template of `run` and its folder (PostgreSQL unreachable: there is nothing there to drop). */
export async function dropRunTemplates(run: string, { postgres = true } = {}): Promise<void> {
  rmSync(runDir(run), { recursive: true, force: true });
  if (!postgres) return;
  await admin(async (c) => {
    const { rows } = await c.query<{ name: string }>(
      `SELECT datname AS name FROM pg_database WHERE starts_with(datname, $1)`,
      [`${PREFIX}${run}_`],
    );
    for (const { name } of rows) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

/** An own run's cleanup: what this process made. */
export function dropOwnTemplates(): Promise<void> {
  if (!made.files && !made.postgres) return Promise.resolve();
  return dropRunTemplates(RUN_ID, { postgres: made.postgres });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * What runs and test processes of this machine left when they were killed (their pids are gone):
 * the runs' templates and folders, and the test databases (named after their process, see
 * testDatabase.ts). Returns what it dropped.
 */
export async function dropAbandoned(): Promise<{ runs: string[]; databases: string[] }> {
  const deadPid = (run: string) =>
    run.startsWith(HOST) && /^\d+$/.test(run.slice(HOST.length)) && !alive(Number(run.slice(HOST.length)));
  const runs = new Set<string>();
  for (const entry of readdirSync(tmpdir())) {
    const run = /^atd-test-run-(\w+)$/.exec(entry)?.[1];
    if (run && deadPid(run)) runs.add(run);
  }
  const databases: string[] = [];
  try {
    const { rows } = await admin((c) =>
      c.query<{ name: string }>(
        `SELECT datname AS name FROM pg_database WHERE starts_with(datname, $1) OR starts_with(datname, $2)`,
        [PREFIX, TEST_DATABASE_PREFIX],
      ),
    );
    for (const { name } of rows) {
      const run = new RegExp(`^${PREFIX}(${HOST}\\d+)_`).exec(name)?.[1];
      if (run && deadPid(run)) runs.add(run);
      const owner = new RegExp(`^${TEST_DATABASE_PREFIX}(${HOST}\\d+)_`).exec(name)?.[1];
      if (owner && deadPid(owner)) databases.push(name);
    }
    for (const name of databases) await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  } catch {
    // No server: only folders to look at.
  }
  for (const run of runs) await dropRunTemplates(run).catch(() => dropRunTemplates(run, { postgres: false }));
  return { runs: [...runs], databases };
}
