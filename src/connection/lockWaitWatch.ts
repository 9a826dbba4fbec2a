// A statement blocked on another session's lock would hang in silence: a watcher on its own connection asks once
// a second which of this process's backends (application_name: sqlSession.ts) wait on a lock, and names long waits.
import { setTimeout as delay } from "node:timers/promises";
import pg from "pg";
import type { PostgresTarget } from "../target/target.js";
import { applicationName, pgClientConfig } from "./sqlSession.js";

/** How long a wait goes unreported: the ordinary short waits of concurrent writers never show. */
export const LOCK_WAIT_REPORT_MS = 3_000;
export const LOCK_WAIT_POLL_MS = 1_000;

/** The watcher's own connection: named apart from the backends it watches. */
export function watcherApplicationName(pid: number = process.pid): string {
  return `${applicationName(pid)}:lock-watch`;
}

interface LockWait {
  /** Tells one wait from the next: the backend, its statement, the lock it waits for. */
  waitKey: string;
  lockType: string;
  /** The table, when the lock is on one (or on one of its rows). */
  relation: string | null;
  advisoryKey: string | null;
  /** The first session in its way (pg_blocking_pids), and that session's state. */
  holderPid: number | null;
  holderState: string | null;
}

// A waiter on a row locked by another transaction waits on that transaction's id, holding the
// row's tuple lock: the tuple lock names the table. pg_blocking_pids is called for waiters only.
const LOCK_WAITS = `
  SELECT concat_ws(' ', w.pid, w.query_start, l.locktype, l.database, l.relation, l.page, l.tuple,
                   l.virtualxid, l.transactionid, l.classid, l.objid, l.objsubid) AS "waitKey",
         l.locktype AS "lockType",
         COALESCE(l.relation, row_lock.relation)::regclass::text AS relation,
         CASE WHEN l.locktype = 'advisory' AND l.objsubid = 1
              THEN ((l.classid::bigint << 32) | l.objid::bigint)::text END AS "advisoryKey",
         holder.pid AS "holderPid",
         holder.state AS "holderState"
  FROM pg_stat_activity w
  JOIN pg_locks l ON l.pid = w.pid AND NOT l.granted
  LEFT JOIN LATERAL (
    SELECT t.relation FROM pg_locks t WHERE t.pid = w.pid AND t.locktype = 'tuple' AND t.granted LIMIT 1
  ) row_lock ON l.locktype = 'transactionid'
  LEFT JOIN LATERAL (
    SELECT b.pid, a.state
    FROM unnest(pg_blocking_pids(w.pid)) WITH ORDINALITY AS b(pid, n)
    LEFT JOIN pg_stat_activity a ON a.pid = b.pid
    ORDER BY b.n LIMIT 1
  ) holder ON true
  WHERE w.application_name = $1 AND w.wait_event_type = 'Lock'`;

/** The line for a wait, or null for one the command reports itself (the updaters' own lock). */
function describeLockWait(wait: LockWait): string | null {
  if (wait.lockType === "advisory" && wait.advisoryKey === String(UPDATER_LOCK_KEY)) return null;
  const holder =
    wait.holderPid === 0
      ? "a prepared transaction" // pg_blocking_pids reports one as pid 0
      : `another session (pid ${wait.holderPid}${wait.holderState ? `, ${wait.holderState}` : ""})`;
  return `waiting for ${describeLock(wait)} held by ${holder}; still waiting — Ctrl-C rolls back`;
}

function describeLock({ lockType, relation, advisoryKey }: LockWait): string {
  if (lockType === "relation") return `a lock on ${relation}`;
  if (lockType === "tuple" || lockType === "transactionid")
    return relation ? `a lock on a row of ${relation}` : "a row lock";
  if (lockType === "advisory") return `an advisory lock${advisoryKey ? ` (key ${advisoryKey})` : ""}`;
  return `a lock (${lockType})`;
}

/** Calls `report` once per wait of this process's backends that lasts LOCK_WAIT_REPORT_MS, until stopped.
 *  Never fails the command: if its connection can't be made or is lost, it just stops watching. */
export function watchLockWaits(target: PostgresTarget, report: (line: string) => void): { stop(): Promise<void> } {
  const client = new pg.Client({ ...pgClientConfig(target), application_name: watcherApplicationName() });
  client.on("error", () => {}); // a connection the server drops must not crash the command
  const ours = applicationName();
  let waits = new Map<string, { since: number; reported: boolean }>();
  const stopping = new AbortController();

  const check = (found: LockWait[]) => {
    const now = performance.now();
    const next = new Map<string, { since: number; reported: boolean }>();
    for (const wait of found) {
      const seen = waits.get(wait.waitKey) ?? { since: now, reported: false };
      next.set(wait.waitKey, seen);
      // No holder: it let go between the server's two looks; the next poll tells.
      if (seen.reported || now - seen.since < LOCK_WAIT_REPORT_MS || wait.holderPid === null) continue;
      seen.reported = true; // also for a wait not described: it stays unreported
      const line = describeLockWait(wait);
      if (line) report(line);
    }
    waits = next; // a wait no longer seen has ended: the next one is reported afresh
  };

  const running = (async () => {
    try {
      await client.connect();
      while (!stopping.signal.aborted) {
        check((await client.query<LockWait>(LOCK_WAITS, [ours])).rows);
        // Cut short by stop(), or over at once if stop() came during the query; never keeps the process alive.
        await delay(LOCK_WAIT_POLL_MS, undefined, { signal: stopping.signal, ref: false });
      }
    } catch {
      // Its own failure (or the pause's abort) ends the watch, never the command.
    } finally {
      await client.end().catch(() => {});
    }
  })();

  return {
    async stop() {
      stopping.abort();
      await running;
    },
  };
}

/** The advisory lock serialising updaters (src/updateTestData.ts), here so the watcher knows it without importing. */
export const UPDATER_LOCK_KEY = 0x41475054; // "AGPT"
