// Seeded randomness for the creator and the updater: one English Faker instance and a few helpers,
// all drawing from its seeded generator, so the same seed makes the same choices.
import { randomInt } from "node:crypto";
import type { Faker, Randomizer } from "@faker-js/faker";
// The package root loads every locale, this entry English alone. It exports only an instance, so
// each Random builds its own from its class and definitions, as `new Faker({ locale: [en, base] })`.
import { faker as englishFaker } from "@faker-js/faker/locale/en";

const FakerClass = englishFaker.constructor as typeof Faker;

export const MAX_SEED = 0xffff_ffff;

/** Four 32-bit words XORed into a uuid's (all zero: the stream's own ids). */
export type IdMask = readonly [number, number, number, number];
export const NO_MASK: IdMask = [0, 0, 0, 0];

/** sfc32 (Chris Doty-Humphrey's small fast counter generator), as Faker's randomizer: reseeding costs a hash and
 *  a few rounds, where Faker's Mersenne Twister takes tens of microseconds, and the creator restarts a stream per
 *  user and purpose so that its data doesn't depend on its batches. */
export class Stream implements Randomizer {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 1;

  // Properties, not methods: Faker calls them detached from the object.
  seed = (seed: number | number[]): void => {
    const parts = typeof seed === "number" ? [seed] : seed;
    this.a = hashWords(parts, 1);
    this.b = hashWords(parts, 2);
    this.c = hashWords(parts, 3);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.word();
  };

  /** 32 random bits, as an unsigned number. */
  word(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1) with 53 random bits, as Faker expects. */
  next = (): number => ((this.word() >>> 5) * 67108864 + (this.word() >>> 6)) / 9007199254740992;

  /** Ranges up to 2^32 take one word, wider ones (a year in ms) 53 bits. */
  int(min: number, max: number): number {
    const range = max - min + 1;
    return min + Math.floor(range <= 0x1_0000_0000 ? (this.word() * range) / 0x1_0000_0000 : this.next() * range);
  }

  uuid(mask: IdMask = NO_MASK): string {
    const a = this.word() ^ mask[0];
    const b = ((this.word() ^ mask[1]) & 0xffff0fff) | 0x4000; // version 4
    const c = ((this.word() ^ mask[2]) & 0x3fffffff) | 0x80000000; // variant 10
    const d = this.word() ^ mask[3];
    return `${hex8(a)}-${hex4(b >>> 16)}-${hex4(b)}-${hex4(c >>> 16)}-${hex4(c)}${hex8(d)}`;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const hex4 = (x: number) => HEX[(x >>> 8) & 0xff]! + HEX[x & 0xff]!;
const hex8 = (x: number) => hex4(x >>> 16) + hex4(x);

/** MurmurHash3's mixing of whole numbers (each taken modulo 2^32) into one word, per `lane`. */
function hashWords(parts: readonly number[], lane: number): number {
  let h = Math.imul(lane, 0x9e3779b9);
  for (const part of parts) {
    let k = Math.imul(part >>> 0, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  h ^= parts.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Picks `seed` at random when none is given (the commands' --seed is checked against MAX_SEED). */
export function createRandom(seed: number = randomInt(0, MAX_SEED)): Random {
  return new Random(seed);
}

export class Random {
  readonly #stream = new Stream();
  /** A Faker instance (English, with Faker's base data as fallback) seeded with `seed`. */
  readonly faker = new FakerClass({ locale: englishFaker.rawDefinitions, randomizer: this.#stream });

  constructor(readonly seed: number) {
    this.faker.seed(seed);
  }

  /** Restarts the stream at (seed, ...parts): a stream of its own per user and purpose, whatever came before. */
  reseed(...parts: number[]): void {
    this.#stream.seed([this.seed, ...parts]);
  }

  /** A random (v4) uuid from the stream, each of its words XOR `mask` (ids that differ from another run's). */
  uuid(mask?: IdMask): string {
    return this.#stream.uuid(mask);
  }

  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number {
    if (min > max) throw new RangeError(`int(${min}, ${max}): need min <= max`);
    return this.#stream.int(min, max);
  }

  pick<T>(values: readonly T[]): T {
    if (values.length === 0) throw new RangeError("pick() from an empty array");
    return values[this.#stream.int(0, values.length - 1)]!;
  }

  /** `k` distinct elements (by position) in random order; all of them, shuffled, when k >= length. */
  sample<T>(values: readonly T[], k: number): T[] {
    return this.faker.helpers.arrayElements(values, k);
  }

  chance(p: number): boolean {
    return this.#stream.next() < p;
  }

  /** One of `values`, chosen with the matching relative `weights` (>= 0; a 0 never chosen). */
  weighted<T>(values: readonly T[], weights: readonly number[]): T {
    const total = weights.reduce((sum, w) => sum + w, 0);
    let r = this.#stream.next() * total;
    for (let i = 0; i < values.length; i++) {
      if (weights[i]! > 0 && (r -= weights[i]!) < 0) return values[i]!;
    }
    return values[weights.findLastIndex((w) => w > 0)]!;
  }
}

/** Lists this short are simply filtered: a pass costs no more than drawing. */
const SHORT_LIST = 64;
/** Rejection sampling needs this many values per value wanted (nearly every draw new), and falls
 *  back to filtering after DRAWS_PER_WANTED draws per value wanted (a mostly excluded list). */
const VALUES_PER_WANTED = 8;
const DRAWS_PER_WANTED = 50;

/** `count` distinct allowed elements (fewer when fewer qualify). Drawn by rejection from long
 *  lists, so thousands of picks don't each scan 100,000+ users; else, or if that stalls, filtered. */
export function sampleWhere<T>(
  random: Random,
  values: readonly T[],
  count: number,
  allowed: (value: T) => boolean,
): T[] {
  if (values.length > SHORT_LIST && values.length >= VALUES_PER_WANTED * (count + 1)) {
    const chosen = new Set<T>();
    for (let draws = 0; chosen.size < count && draws < DRAWS_PER_WANTED * (count + 1); draws++) {
      const value = random.pick(values);
      if (allowed(value)) chosen.add(value);
    }
    if (chosen.size === count) return [...chosen];
  }
  return random.sample(values.filter(allowed), count);
}
