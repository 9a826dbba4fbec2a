// Seeded randomness for the creator and the updater: one English Faker instance and a few helpers,
// all drawing from its seeded generator, so the same seed makes the same choices.
import { randomInt } from "node:crypto";
import type { Faker } from "@faker-js/faker";
// The package root loads every locale, this entry English alone. It exports only an instance, so
// each Random builds its own from its class and definitions, as `new Faker({ locale: [en, base] })`.
import { faker as englishFaker } from "@faker-js/faker/locale/en";

const FakerClass = englishFaker.constructor as typeof Faker;

export const MAX_SEED = 0xffff_ffff;

export interface Random {
  /** The seed this instance was started with (picked at random when none was given). */
  readonly seed: number;
  /** A Faker instance (English, with Faker's base data as fallback) seeded with `seed`. */
  readonly faker: Faker;
  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number;
  /** One element of a non-empty array. */
  pick<T>(values: readonly T[]): T;
  /** `k` distinct elements (by position) in random order; all of them, shuffled, when k >= length. */
  sample<T>(values: readonly T[], k: number): T[];
  chance(p: number): boolean;
  /** One of `values`, chosen with the matching relative `weights` (>= 0; a 0 never chosen). */
  weighted<T>(values: readonly T[], weights: readonly number[]): T;
}

export function createRandom(seed?: number): Random {
  const chosen = seed ?? randomInt(0, MAX_SEED);
  if (!Number.isSafeInteger(chosen) || chosen < 0 || chosen > MAX_SEED) {
    throw new RangeError(`seed must be a whole number from 0 to ${MAX_SEED} (got ${chosen})`);
  }
  const faker = new FakerClass({ locale: englishFaker.rawDefinitions });
  faker.seed(chosen);
  return {
    seed: chosen,
    faker,
    int(min, max) {
      if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
        throw new RangeError(`int(${min}, ${max}): need whole numbers with min <= max`);
      }
      return faker.number.int({ min, max });
    },
    pick(values) {
      if (values.length === 0) throw new RangeError("pick() from an empty array");
      return faker.helpers.arrayElement(values);
    },
    sample(values, k) {
      if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`sample(): k must be a whole number >= 0 (got ${k})`);
      return faker.helpers.arrayElements(values, Math.min(k, values.length));
    },
    chance(p) {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`chance(${p}): p must be from 0 to 1`);
      return faker.number.float({ min: 0, max: 1 }) < p;
    },
    weighted(values, weights) {
      if (values.length === 0 || values.length !== weights.length) {
        throw new RangeError("weighted(): need as many weights as values, and at least one value");
      }
      if (weights.some((w) => !(w >= 0) || !Number.isFinite(w)) || !weights.some((w) => w > 0)) {
        throw new RangeError("weighted(): weights must be numbers >= 0, at least one of them > 0");
      }
      const choices = values.map((value, i) => ({ value, weight: weights[i]! })).filter((c) => c.weight > 0);
      return faker.helpers.weightedArrayElement(choices);
    },
  };
}

/** Lists this short are simply filtered: a pass costs no more than drawing. */
const SHORT_LIST = 64;
/** Rejection sampling needs this many values per value wanted (nearly every draw new), and falls
 *  back to filtering after DRAWS_PER_WANTED draws per value wanted (a mostly excluded list). */
const VALUES_PER_WANTED = 8;
const DRAWS_PER_WANTED = 50;

/** `count` distinct allowed elements (fewer when fewer qualify). Drawn by rejection from long
 *  lists, so thousands of picks don't each scan 100,000+ users; else, or if that stalls, filtered. */
export function sampleWhere<T>(random: Random, values: readonly T[], count: number, allowed: (value: T) => boolean): T[] {
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
