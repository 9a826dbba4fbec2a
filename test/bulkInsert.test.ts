// The bulk write path: statements built from fixed identifiers, values only as parameters, and
// rows that come back exactly as written (NULLs, quotes, backslashes, JSON, text[], enums, times).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { arrayLiteral, bulkInsert, bulkInsertSql, bulkUpdate, type BulkColumn } from "../src/db/bulkInsert.js";
import { createTestDatabase, type TestDatabase } from "./support/testDatabase.js";

test("statements are built from checked identifiers, one array parameter per column", () => {
  const sql = bulkInsertSql("T", [
    { name: "a", pgType: "text" },
    { name: "b", pgType: { enum: "AgentExecutionStatus" } },
    { name: "c", pgType: "text[]" },
  ]);
  assert.match(sql, /^INSERT INTO "T" \("a", "b", "c"\) SELECT c1, c2, CASE .* FROM unnest\(\$1::text\[\], \$2::"AgentExecutionStatus"\[\], \$3::jsonb\[\]\)/);
  assert.throws(() => bulkInsertSql('T"; DROP TABLE x; --', [{ name: "a", pgType: "text" }]), /not a plain identifier/);
  assert.throws(() => bulkInsertSql("T", [{ name: "a b", pgType: "text" }]), /not a plain identifier/);
  assert.equal(arrayLiteral(['a"b', "c\\d", null, "NULL"], "text"), '{"a\\"b","c\\\\d",NULL,"NULL"}');
  assert.equal(arrayLiteral([new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6))], "timestamp(3)"), '{"2025-01-02T03:04:05.006"}');
});

describe("bulkInsert against PostgreSQL", () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase({ migrate: false });
    await t.sql.exec(`CREATE TYPE "Mood" AS ENUM ('HAPPY', 'SAD');
      CREATE TABLE "Bulk" (id TEXT PRIMARY KEY, n INTEGER, flag BOOLEAN, at TIMESTAMP(3), doc JSONB, tags TEXT[], mood "Mood", note TEXT)`);
  });
  after(() => t?.drop());

  interface Row { id: string; n: number | null; flag: boolean | null; at: Date | null; doc: unknown; tags: string[] | null; mood: string | null; note: string | null }
  const columns: BulkColumn<Row>[] = [
    { name: "id", pgType: "text" },
    { name: "n", pgType: "integer" },
    { name: "flag", pgType: "boolean" },
    { name: "at", pgType: "timestamp(3)" },
    { name: "doc", pgType: "jsonb" },
    { name: "tags", pgType: "text[]" },
    { name: "mood", pgType: { enum: "Mood" } },
    { name: "note", pgType: "text" },
  ];

  test("every row comes back as written, across statements, inside the caller's transaction", async () => {
    const awkward = ['quote " and \\ backslash', "{braces}, commas", "NULL", "", "tab\tnewline\n", "ünïcödé ✓", "'; DROP TABLE \"Bulk\"; --"];
    const rows: Row[] = Array.from({ length: 2_345 }, (_, i) => ({
      id: `r${i}`,
      n: i % 7 === 0 ? null : i - 1000,
      flag: i % 5 === 0 ? null : i % 2 === 0,
      at: i % 11 === 0 ? null : new Date(Date.UTC(2025, 0, 1) + i * 1234567),
      doc: i % 13 === 0 ? null : { i, text: awkward[i % awkward.length], list: [1, "two", null] },
      tags: i % 17 === 0 ? null : [awkward[i % awkward.length]!, `t${i}`],
      mood: i % 19 === 0 ? null : i % 2 ? "HAPPY" : "SAD",
      note: i % 23 === 0 ? null : awkward[i % awkward.length]!,
    }));
    const n = await t.db.$transaction((tx) => bulkInsert(tx, "Bulk", columns, rows, { rowsPerStatement: 500 }));
    assert.equal(n, rows.length);
    const back = await t.sql.query<Row>(`SELECT * FROM "Bulk" ORDER BY length(id), id`);
    assert.equal(back.length, rows.length);
    back.forEach((got, i) => {
      const want = rows[i]!;
      assert.equal(got.id, want.id);
      assert.equal(got.n, want.n);
      assert.equal(got.flag, want.flag);
      assert.equal(got.at?.getTime() ?? null, want.at === null ? null : want.at.getTime() + want.at.getTimezoneOffset() * 60_000);
      assert.deepEqual(got.doc, want.doc);
      assert.deepEqual(got.tags, want.tags);
      assert.equal(got.mood, want.mood);
      assert.equal(got.note, want.note);
    });
  });

  test("a failing statement rolls the whole transaction back, earlier statements included", async () => {
    const rows = Array.from({ length: 1_000 }, (_, i) => ({ id: `x${i}`, n: 1, flag: true, at: null, doc: null, tags: null, mood: null, note: null }));
    rows[900]!.id = "x1"; // duplicate key in the second statement
    await assert.rejects(t.db.$transaction((tx) => bulkInsert(tx, "Bulk", columns, rows, { rowsPerStatement: 500 })));
    const [count] = await t.sql.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "Bulk" WHERE id LIKE 'x%'`);
    assert.equal(count!.n, 0);
  });

  test("bulkUpdate sets each row's own values by key", async () => {
    const n = await t.db.$transaction((tx) =>
      bulkUpdate(tx, "Bulk", [
        { name: "id", pgType: "text" },
        { name: "tags", pgType: "text[]" },
        { name: "note", pgType: "text" },
      ], [{ id: "r1", tags: ["a", 'b"c'], note: "one" }, { id: "r2", tags: [], note: null }]),
    );
    assert.equal(n, 2);
    const back = await t.sql.query<{ id: string; tags: string[]; note: string | null }>(`SELECT id, tags, note FROM "Bulk" WHERE id IN ('r1','r2') ORDER BY id`);
    assert.deepEqual(back.map((r) => ({ ...r })), [{ id: "r1", tags: ["a", 'b"c'], note: "one" }, { id: "r2", tags: [], note: null }]);
  });
});
