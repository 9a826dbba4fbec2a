// What every phase of the creator shares, and helpers for timestamps and unique values.
import { bulkInsert, type BulkColumn } from "../db/bulkInsert.js";
import type { OrgBooking } from "../db/storeColumns.js";
import type { TargetShape } from "../db/targetShape.js";
import type { Tx } from "../db/transaction.js";
import type { TrackProgress } from "../shared/output.js";
import type { Random } from "../shared/random.js";
import type { CreateOptions } from "./options.js";

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface CreateContext {
  tx: Tx;
  /** The target's tables and columns, read before the first write. */
  shape: TargetShape;
  options: CreateOptions;
  random: Random;
  /** A new uuid: seeded on an empty database, random under --force (see createTestData.ts). */
  newId: () => string;
  /** The reference moment (ms since the epoch) every timestamp is dated back from. */
  now: number;
  /** A phase's progress: call the result with the rows written so far. */
  track: TrackProgress;
  /** Each new user's personal organisation (tenancy targets only; else empty): where their rows are booked. */
  organizations: Map<string, OrgBooking>;
  /** Values the database already holds in its unique columns, plus those made so far. */
  taken: {
    emails: UniqueValues;
    usernames: UniqueValues;
    blockNames: UniqueValues;
  };
}

/** Inserts rows into `table`, writing only those of `columns` the target has. */
export function insertRows<Row>(ctx: CreateContext, table: string, columns: ReadonlyArray<BulkColumn<Row>>, rows: readonly Row[]): Promise<number> {
  return bulkInsert(ctx.tx, table, ctx.shape.columns(table, columns), rows, { onProgress: ctx.track(table, rows.length) });
}

/** A moment from `from` to `to` (ms), both included; `to` when the window is empty. */
export function between(random: Random, from: number, to: number): number {
  return from >= to ? to : random.int(from, to);
}

/** `count` strictly increasing moments from `from` to about `to` (ms). */
export function increasingTimes(random: Random, from: number, to: number, count: number): number[] {
  const times = Array.from({ length: count }, () => between(random, from, to)).sort((a, b) => a - b);
  for (let i = 1; i < times.length; i++) times[i] = Math.max(times[i]!, times[i - 1]! + 1);
  return times;
}

/** A unique column's values, compared case-insensitively (an email differing only in case is the same mailbox). */
export class UniqueValues {
  private readonly values = new Set<string>();

  constructor(existing: Iterable<string> = []) {
    for (const value of existing) this.values.add(value.toLowerCase());
  }

  claim(candidate: string, vary: (candidate: string, n: number) => string = (c, n) => `${c}${n}`): string {
    let value = candidate;
    for (let n = 2; this.values.has(value.toLowerCase()); n++) value = vary(candidate, n);
    this.values.add(value.toLowerCase());
    return value;
  }
}
