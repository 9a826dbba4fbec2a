// What every step of the creator shares, and helpers for timestamps and unique values.
import type { TargetShape } from "../schema/targetShape.js";
import type { Tx } from "../connection/transaction.js";
import { Stream, type IdMask, type Random } from "../domain/random.js";
import type { CreateOptions, CreatedCounts } from "./options.js";

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** What each random stream is for: a user's stream of one purpose is restarted at (seed, purpose, user),
 *  so the data doesn't depend on how the users are batched or on what was made before. */
export const Purpose = {
  key: 1,
  person: 2,
  blocks: 3,
  graphs: 4,
  runs: 5,
  nodeRuns: 6,
  store: 7,
  reviews: 8,
  credits: 9,
} as const;

export interface CreateContext {
  tx: Tx;
  /** The target's tables and columns, read before the first write. */
  shape: TargetShape;
  options: CreateOptions;
  random: Random;
  /** XORed into every id: none on an empty database, random under --force (the batch there may share the seed). */
  idMask: IdMask;
  /** The reference moment (ms since the epoch) every timestamp is dated back from. */
  now: number;
  /** User `index` (0 .. options.users - 1) of this run: what others refer to it by, worked out, not stored. */
  user: (index: number) => UserKey;
  /** Values the database already holds in its unique columns, plus those made so far. */
  taken: { emails: UniqueValues; usernames: UniqueValues; blockNames: UniqueValues; orgSlugs: UniqueValues };
  /** The rows written so far: each step adds what it wrote. */
  counts: CreatedCounts;
}

/** A user as runs, reviews and listings of other users see it; `booking` is its personal organisation
 *  (written where the target has organisations). */
export interface UserKey {
  index: number;
  id: string;
  /** ms since the epoch: signed up 60 to 365 days before `now` */
  createdAt: number;
  booking: { organizationId: string; teamId: string };
}

/** Every user's key from its own small stream: runners and reviewers of any batch, found without keeping users. */
export function userKeys(seed: number, idMask: IdMask, now: number): (index: number) => UserKey {
  const stream = new Stream();
  return (index) => {
    stream.seed([seed, Purpose.key, index]);
    return {
      index,
      id: stream.uuid(idMask),
      createdAt: now - stream.int(60 * DAY, 365 * DAY),
      booking: { organizationId: stream.uuid(idMask), teamId: stream.uuid(idMask) },
    };
  };
}

export function newId(ctx: CreateContext): string {
  return ctx.random.uuid(ctx.idMask);
}

/** `count` distinct users other than `exclude` (all of them when there are fewer), from any batch. */
export function otherUsers(ctx: CreateContext, exclude: number, count: number): UserKey[] {
  const others = ctx.options.users - 1;
  const chosen = new Set<number>();
  if (count >= others) for (let i = 0; i < others; i++) chosen.add(i);
  else while (chosen.size < count) chosen.add(ctx.random.int(0, others - 1));
  return [...chosen].map((i) => ctx.user(i >= exclude ? i + 1 : i));
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

/** A unique column's values, compared case-insensitively (an email differing only in case is the same mailbox).
 *  Kept as 32-bit hashes (a few bytes each at any scale): a hash collision counts as taken, so values stay unique. */
export class UniqueValues {
  private readonly hashes = new Set<number>();

  constructor(existing: Iterable<string> = []) {
    for (const value of existing) this.hashes.add(hashText(value.toLowerCase()));
  }

  claim(candidate: string, vary: (candidate: string, n: number) => string = (c, n) => `${c}${n}`): string {
    let value = candidate;
    for (let n = 2; this.hashes.has(hashText(value.toLowerCase())); n++) value = vary(candidate, n);
    this.hashes.add(hashText(value.toLowerCase()));
    return value;
  }
}

/** FNV-1a over UTF-16 code units, as a small integer (V8 stores those unboxed in a Set). */
function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h & 0x3fff_ffff;
}
