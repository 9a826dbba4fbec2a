// What every phase of the creator shares: the transaction, the seeded random source, the id
// source, the reference time and the names already taken.
import { createProgress } from "../cli/progress.js";
import type { Prisma } from "../generated/prisma/client.js";
import type { TargetShape } from "../db/targetShape.js";
import type { Random } from "../shared/random.js";
import type { CreateOptions } from "./options.js";

export type Tx = Prisma.TransactionClient;

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface CreateContext {
  tx: Tx;
  /** The target's tables and columns, as its catalog showed them before the first write. */
  shape: TargetShape;
  options: CreateOptions;
  random: Random;
  /** A new row id (a uuid): seeded on an empty database, random when adding to existing rows. */
  newId: () => string;
  /** The reference moment (ms since the epoch) every timestamp is dated back from. */
  now: number;
  /** A phase's progress: call the result with the rows written so far (a no-op off a terminal). */
  track: (label: string, total: number, unit?: string) => (done: number) => void;
  /** Values the database already holds in its unique columns, plus those made so far. */
  taken: {
    emails: UniqueValues;
    usernames: UniqueValues;
    blockNames: UniqueValues;
  };
}

/** Progress lines for the phases' bulk writes; `enabled` only on a terminal (see progressEnabled). */
export function progressTracker(enabled: boolean): CreateContext["track"] {
  return (label, total, unit = "rows") => {
    const progress = createProgress(`  ${label}`, total, unit, enabled);
    return (done) => {
      progress.update(done);
      if (done >= total) progress.finish();
    };
  };
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

/**
 * A set of values for a unique column. claim() returns the candidate, or the first variant
 * `vary(candidate, 2)`, `vary(candidate, 3)`, ... not taken yet, and marks it taken.
 * Compared case-insensitively (an email differing only in case is still the same mailbox).
 */
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

/**
 * `count` distinct elements of `values` for which `allowed` holds, drawn by rejection when the
 * list is large (no pass over the whole list per call: the creator calls this once per graph or
 * version, and at scale the list has 100,000+ users); from the filtered list when it is small.
 */
export function sampleWhere<T>(random: Random, values: readonly T[], count: number, allowed: (value: T) => boolean): T[] {
  if (values.length > 64 && values.length >= 8 * (count + 1)) {
    const chosen = new Set<T>();
    for (let tries = 0; chosen.size < count && tries < 50 * (count + 1); tries++) {
      const value = random.pick(values);
      if (allowed(value)) chosen.add(value);
    }
    if (chosen.size === count) return [...chosen];
  }
  return random.sample(values.filter(allowed), count);
}
