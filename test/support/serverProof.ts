// What a running command is doing, as the server sees it: a fault test proves its precondition
// here (the command's backend is writing, or waiting on a lock) before it injects the fault, and
// fails, saying which, when the proof never comes. Backends are found by the command's
// application_name (test/support/runningCommand.ts).
import type { SqlSession } from "../../src/connection/sqlSession.js";
import type { RunningCommand } from "./runningCommand.js";

/** How long a proof is waited for: far beyond any run's time to reach the point. */
const PROOF_LIMIT_MS = 60_000;
const POLL_MS = 20;

/**
 * Polls `probe` until it returns something. Fails with `failure` completed by why: the command
 * ended first, or the limit passed.
 */
async function pollServer<T>(run: RunningCommand, probe: () => Promise<T | undefined>, failure: string): Promise<T> {
  const until = Date.now() + PROOF_LIMIT_MS;
  for (;;) {
    // Read before probing: a command that ended before a probe that found nothing surely ended first.
    const ended = run.ended();
    const found = await probe();
    if (found !== undefined) return found;
    if (ended) {
      // Its last lines say how far it got.
      const tail = ended.stdout.trimEnd().split("\n").slice(-3).join("\n");
      throw new Error(
        `${failure}: the command ended first (exit ${ended.code ?? ended.signal})\n${tail}\n${ended.stderr}`,
      );
    }
    if (Date.now() > until) throw new Error(`${failure}: not seen within ${PROOF_LIMIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export interface WritingBackend {
  pid: number;
  /** Its transaction's id (it has written, so it has one). */
  xid: string;
}

/**
 * Proves that `run`'s backend is writing into `table`: active in a COPY or INSERT into it, holding
 * the table's RowExclusiveLock. `when` completes the failure: "no write was in flight when <when>".
 */
export function proveWriteInFlight(
  sql: SqlSession,
  run: RunningCommand,
  table: string,
  when: string,
): Promise<WritingBackend> {
  const statement = `^\\s*(COPY|INSERT\\s+INTO)\\s+"${table}"[\\s(]`;
  return pollServer(
    run,
    async () => {
      const [row] = await sql.query<WritingBackend>(
        `SELECT a.pid, a.backend_xid::text AS xid
         FROM pg_stat_activity a
         WHERE a.application_name = $1 AND a.state = 'active' AND a.query ~* $2 AND a.backend_xid IS NOT NULL
           AND EXISTS (SELECT 1 FROM pg_locks l
                       WHERE l.pid = a.pid AND l.granted AND l.mode = 'RowExclusiveLock' AND l.relation = to_regclass($3))`,
        [run.applicationName, statement, `"${table}"`],
      );
      return row;
    },
    `no write was in flight when ${when}: no backend of the command was seen in a COPY or INSERT into "${table}"`,
  );
}

/** Proves that `run`'s backend waits for a lock of `lockType` (and, given, on `table`); returns its pid. */
export function proveWaitingOnLock(
  sql: SqlSession,
  run: RunningCommand,
  lockType: string,
  table: string | null,
  when: string,
): Promise<number> {
  return pollServer(
    run,
    async () => {
      const [row] = await sql.query<{ pid: number }>(
        `SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted
         WHERE a.application_name = $1 AND l.locktype = $2 AND ($3::text IS NULL OR l.relation = to_regclass($3))`,
        [run.applicationName, lockType, table === null ? null : `"${table}"`],
      );
      return row?.pid;
    },
    `the command was not waiting when ${when}: no backend of it was seen waiting for an ungranted ${lockType} lock${table ? ` on "${table}"` : ""}`,
  );
}

/**
 * Waits until the server has no backend of `run` left (each ends, rolling back, once it notices
 * its client is gone): only then do counts say what was committed.
 */
export async function waitForBackendsGone(sql: SqlSession, run: RunningCommand): Promise<void> {
  const until = Date.now() + PROOF_LIMIT_MS;
  for (;;) {
    const [row] = await sql.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`,
      [run.applicationName],
    );
    if (row!.n === 0) return;
    if (Date.now() > until)
      throw new Error(`${row!.n} backend(s) of the ended command still on the server after ${PROOF_LIMIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Waits until the lock-wait watcher of `run` has asked the server `polls` more times (each ask
 * shows as a new query_start of its connection): by then it has had that many chances to speak.
 */
export async function waitForWatcherPolls(
  sql: SqlSession,
  run: RunningCommand,
  watcherName: string,
  polls: number,
): Promise<void> {
  let last: string | undefined;
  let seen = -1; // the first sighting is where counting starts
  await pollServer(
    run,
    async () => {
      const [row] = await sql.query<{ started: string }>(
        `SELECT query_start::text AS started FROM pg_stat_activity WHERE application_name = $1`,
        [watcherName],
      );
      if (row && row.started !== last) {
        last = row.started;
        seen++;
      }
      return seen >= polls ? true : undefined;
    },
    `the command's lock-wait watcher (${watcherName}) did not poll ${polls} times`,
  );
}
