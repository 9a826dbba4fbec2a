// The updater's row ids: valid UUIDv7s whose text order is their time order (what keeps the
// indexes keyed by them growing at one end).
import assert from "node:assert/strict";
import { test } from "node:test";
import { timeOrderedId } from "../../src/domain/timeOrderedId.js";

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("an id is a UUIDv7 carrying its millisecond in the first 48 bits", () => {
  const at = Date.UTC(2026, 10, 30, 12, 0, 0, 123);
  const id = timeOrderedId(at);
  assert.match(id, V7);
  assert.equal(parseInt(id.replace(/-/g, "").slice(0, 12), 16), at);
  assert.match(timeOrderedId(), V7);
});

test("ids of later milliseconds sort after earlier ones, as text; ids of one millisecond differ", () => {
  const start = Date.UTC(2026, 0, 1);
  const ids = Array.from({ length: 2_000 }, (_, i) => timeOrderedId(start + Math.floor(i / 10)));
  for (let i = 10; i < ids.length; i += 10) assert.ok(ids[i - 1]! < ids[i]!, `${ids[i - 1]} sorts before ${ids[i]}`);
  assert.equal(new Set(ids).size, ids.length);
});
