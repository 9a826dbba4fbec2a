// The seeded random source both writers draw from.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRandom } from "../../src/domain/random.js";

describe("shared/random", () => {
  test("the same seed gives the same draws; helpers respect their bounds", () => {
    const draw = (seed: number) => {
      const r = createRandom(seed);
      return [
        r.int(1, 6),
        r.pick(["a", "b", "c"]),
        r.sample([1, 2, 3, 4, 5], 3),
        r.chance(0.5),
        r.weighted(["x", "y"], [1, 3]),
        r.faker.string.uuid(),
      ];
    };
    assert.deepEqual(draw(99), draw(99));
    assert.notDeepEqual(draw(99), draw(100));
    const r = createRandom(1);
    for (let i = 0; i < 500; i++) {
      const n = r.int(3, 5);
      assert.ok(n >= 3 && n <= 5 && Number.isInteger(n));
      const s = r.sample([1, 2, 3, 4], 3);
      assert.equal(new Set(s).size, 3);
      assert.equal(r.weighted(["never", "always"], [0, 1]), "always");
      assert.equal(r.chance(0), false);
      assert.equal(r.chance(1), true);
    }
    assert.equal(r.sample([1, 2], 5).length, 2);
    const unseeded = createRandom();
    assert.ok(Number.isInteger(unseeded.seed));
    assert.deepEqual(createRandom(unseeded.seed).faker.string.uuid(), unseeded.faker.string.uuid());
    assert.throws(() => r.pick([]), RangeError);
    assert.throws(() => r.int(5, 3), RangeError);
  });
});
