// The bulk write path: statements built from fixed identifiers, values only as parameters, and
// rows that come back exactly as written (NULLs, quotes, backslashes, JSON, text[], enums, times).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { arrayLiteral, bulkInsert, bulkInsertSql, bulkUpdate } from "../src/bulk/bulkInsert.js";
import type { BulkColumn } from "../src/bulk/pgText.js";
import { lineEncoder } from "../src/bulk/bulkInsert.js";
import { CONNECTION_NAME_SETTING, transactionConnection } from "../src/connection/transactionConnection.js";
import { postgresSkip } from "./support/backends.js";
import { createTestDatabase, type TestDatabase } from "./support/testDatabase.js";

test("statements are built from checked identifiers, one array parameter per column", () => {
  const sql = bulkInsertSql("T", [
    { name: "a", pgType: "text" },
    { name: "b", pgType: { enum: "AgentExecutionStatus" } },
    { name: "c", pgType: "text[]" },
  ]);
  assert.match(
    sql,
    /^INSERT INTO "T" \("a", "b", "c"\) SELECT c1, c2, CASE .* FROM unnest\(\$1::text\[\], \$2::"AgentExecutionStatus"\[\], \$3::jsonb\[\]\)/,
  );
  assert.throws(() => bulkInsertSql('T"; DROP TABLE x; --', [{ name: "a", pgType: "text" }]), /not a plain identifier/);
  assert.throws(() => bulkInsertSql("T", [{ name: "a b", pgType: "text" }]), /not a plain identifier/);
  assert.equal(arrayLiteral(['a"b', "c\\d", null, "NULL"], "text"), '{"a\\"b","c\\\\d",NULL,"NULL"}');
  assert.equal(
    arrayLiteral([new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6))], "timestamp(3)"),
    '{"2025-01-02T03:04:05.006"}',
  );
});

test("COPY lines escape backslashes, tabs and line breaks, and write NULL as \\N", () => {
  const encode = lineEncoder<{ a: unknown; b: unknown; c: unknown; d: unknown }>([
    { name: "a", pgType: "text" },
    { name: "b", pgType: "jsonb" },
    { name: "c", pgType: "text[]" },
    { name: "d", pgType: "timestamp(3)" },
  ]);
  assert.equal(
    encode({ a: "x\\y\tz\n\r", b: { s: 'q"\\' }, c: ['a"b', null, "c\\d"], d: null }),
    'x\\\\y\\tz\\n\\r\t{"s":"q\\\\"\\\\\\\\"}\t{"a\\\\"b",NULL,"c\\\\\\\\d"}\t\\N\n',
  );
  assert.throws(() => encode({ a: null, b: null, c: null, d: new Date(NaN) }), /invalid Date/);
});

describe("bulkInsert against PostgreSQL", { skip: postgresSkip }, () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase({ migrate: false });
    await t.sql.exec(`CREATE TYPE "Mood" AS ENUM ('HAPPY', 'SAD');
      CREATE TABLE "Bulk" (id TEXT PRIMARY KEY, n INTEGER, flag BOOLEAN, at TIMESTAMP(3), doc JSONB, tags TEXT[], mood "Mood", note TEXT)`);
  });
  after(() => t?.drop());

  interface Row {
    id: string;
    n: number | null;
    flag: boolean | null;
    at: Date | null;
    doc: unknown;
    tags: string[] | null;
    mood: string | null;
    note: string | null;
  }
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

  const awkward = [
    'quote " and \\ backslash',
    "{braces}, commas",
    "NULL",
    "",
    "tab\tnewline\n",
    "ünïcödé ✓",
    '\'; DROP TABLE "Bulk"; --',
    "back\\slash\r\n",
  ];
  const sampleRows = (prefix: string, count: number): Row[] =>
    Array.from({ length: count }, (_, i) => ({
      id: `${prefix}${i}`,
      n: i % 7 === 0 ? null : i - 1000,
      flag: i % 5 === 0 ? null : i % 2 === 0,
      at: i % 11 === 0 ? null : new Date(Date.UTC(2025, 0, 1) + i * 1234567),
      doc: i % 13 === 0 ? null : { i, text: awkward[i % awkward.length], list: [1, "two", null] },
      tags: i % 17 === 0 ? null : [awkward[i % awkward.length]!, `t${i}`],
      mood: i % 19 === 0 ? null : i % 2 ? "HAPPY" : "SAD",
      note: i % 23 === 0 ? null : awkward[i % awkward.length]!,
    }));

  test("once the caller's transaction has timed out, COPY writes nothing: no row lands outside it", async () => {
    const rows = sampleRows("x", 50);
    let refused: unknown;
    await assert.rejects(
      t.db.$transaction(
        async (tx) => {
          assert.ok(await transactionConnection(tx), "COPY runs on the transaction's own connection");
          assert.equal(await bulkInsert(tx, "Bulk", columns, rows.slice(0, 25)), 25);
          await sleep(1_500);
          // The precondition: Prisma has rolled the transaction back (its timeout) and refuses its queries.
          await assert.rejects(tx.$queryRaw`SELECT 1`, /expired transaction|Transaction already closed/i);
          await bulkInsert(tx, "Bulk", columns, rows.slice(25)).catch((error: unknown) => {
            refused = error;
            throw error;
          });
        },
        { timeout: 1_000 },
      ),
    );
    const [left] = await t.sql.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "Bulk" WHERE id LIKE 'x%'`);
    assert.equal(left!.n, 0, "rows written after the transaction ended");
    assert.match(String(refused), /the run's transaction has ended/);
  });

  // Both write paths, on the same rows: COPY (the default on a server) and INSERT ... unnest.
  for (const copy of [true, false]) {
    const path = copy ? "COPY" : "INSERT ... unnest";
    const prefix = copy ? "c" : "u";

    test(`${path}: every row comes back as written, and is visible inside the caller's transaction before it commits`, async () => {
      const rows = sampleRows(prefix, 2_345);
      const n = await t.db.$transaction(async (tx) => {
        if (copy) assert.ok(await transactionConnection(tx), "COPY needs the transaction's own connection");
        const written = await bulkInsert(tx, "Bulk", columns, rows, { rowsPerStatement: 500, copy });
        // Uncommitted rows are visible only on the transaction's own connection.
        const [seen] = await tx.$queryRaw<
          Array<{ n: number }>
        >`SELECT COUNT(*)::int AS n FROM "Bulk" WHERE id LIKE ${prefix + "%"}`;
        assert.equal(seen!.n, rows.length);
        return written;
      });
      assert.equal(n, rows.length);
      const back = await t.sql.query<Row>(`SELECT * FROM "Bulk" WHERE id LIKE $1 ORDER BY length(id), id`, [
        `${prefix}%`,
      ]);
      assert.equal(back.length, rows.length);
      back.forEach((got, i) => {
        const want = rows[i]!;
        assert.equal(got.id, want.id);
        assert.equal(got.n, want.n);
        assert.equal(got.flag, want.flag);
        assert.equal(got.at?.getTime() ?? null, want.at?.getTime() ?? null);
        assert.deepEqual(got.doc, want.doc);
        assert.deepEqual(got.tags, want.tags);
        assert.equal(got.mood, want.mood);
        assert.equal(got.note, want.note);
      });
    });

    test(`${path}: a failing write rolls the whole transaction back, earlier writes included`, async () => {
      const first = sampleRows(`${prefix}x`, 1_000);
      const second = sampleRows(`${prefix}y`, 1_000);
      second[900]!.id = `${prefix}x1`; // a key the first write already used
      await assert.rejects(
        t.db.$transaction(async (tx) => {
          await bulkInsert(tx, "Bulk", columns, first, { rowsPerStatement: 500, copy });
          await bulkInsert(tx, "Bulk", columns, second, { rowsPerStatement: 500, copy });
        }),
        /duplicate key|Unique constraint/,
      );
      const [count] = await t.sql.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "Bulk" WHERE id LIKE $1`, [
        `${prefix}x%`,
      ]);
      assert.equal(count!.n, 0);
      // The connection is healthy afterwards: the next transaction writes through it.
      assert.equal(
        await t.db.$transaction((tx) => bulkInsert(tx, "Bulk", columns, sampleRows(`${prefix}z`, 3), { copy })),
        3,
      );
    });
  }

  test("each transaction finds its own connection, the one its statements run on", async () => {
    // Two transactions open at once hold two pooled connections: each must get its own back.
    let release!: () => void;
    const bothOpen = new Promise<void>((resolve) => (release = resolve));
    let open = 0;
    const inBoth = () =>
      t.db.$transaction(async (tx) => {
        const connection = await transactionConnection(tx);
        assert.ok(connection);
        if (++open === 2) release();
        await bothOpen;
        const [own] = await tx.$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS pid`;
        const viaConnection = await connection.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
        assert.equal(viaConnection.rows[0]!.pid, own!.pid);
        assert.equal(await transactionConnection(tx), connection, "found once per transaction");
        return connection;
      });
    const [a, b] = await Promise.all([inBoth(), inBoth()]);
    assert.notEqual(a, b);
  });

  test("a connection that is not inside the transaction is refused, even when the server names it (as behind a pooler)", async () => {
    // Transaction B's session claims A's name, as a pooler's shared server session could: the
    // named connection (A's) does not see B's transaction, so B gets no connection, and its
    // bulk writes go through Prisma, inside B.
    let aOpen!: () => void;
    let bDone!: () => void;
    const aIsOpen = new Promise<void>((resolve) => (aOpen = resolve));
    const bIsDone = new Promise<void>((resolve) => (bDone = resolve));
    let nameA!: string;
    // A stays open (holding its connection) until B is done, so B can't be handed A's connection.
    const a = t.db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<
        Array<{ name: string }>
      >`SELECT current_setting(${CONNECTION_NAME_SETTING}) AS name`;
      nameA = row!.name;
      assert.ok(await transactionConnection(tx));
      aOpen();
      await bIsDone;
    });
    await aIsOpen;
    try {
      await t.db.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT set_config(${CONNECTION_NAME_SETTING}, ${nameA}, true)`;
        assert.equal(await transactionConnection(tx), null);
        assert.equal(await bulkInsert(tx, "Bulk", columns, sampleRows("pooled", 3)), 3);
        const [seen] = await tx.$queryRaw<
          Array<{ n: number }>
        >`SELECT COUNT(*)::int AS n FROM "Bulk" WHERE id LIKE 'pooled%'`;
        assert.equal(seen!.n, 3);
      });
    } finally {
      bDone();
      await a;
    }
  });

  test("bulkUpdate sets each row's own values by key", async () => {
    const n = await t.db.$transaction((tx) =>
      bulkUpdate(
        tx,
        "Bulk",
        [
          { name: "id", pgType: "text" },
          { name: "tags", pgType: "text[]" },
          { name: "note", pgType: "text" },
        ],
        [
          { id: "c1", tags: ["a", 'b"c'], note: "one" },
          { id: "c2", tags: [], note: null },
        ],
      ),
    );
    assert.equal(n, 2);
    const back = await t.sql.query<{ id: string; tags: string[]; note: string | null }>(
      `SELECT id, tags, note FROM "Bulk" WHERE id IN ('c1','c2') ORDER BY id`,
    );
    assert.deepEqual(
      back.map((r) => ({ ...r })),
      [
        { id: "c1", tags: ["a", 'b"c'], note: "one" },
        { id: "c2", tags: [], note: null },
      ],
    );
  });
});

test("an embedded (PGlite) transaction has no connection of ours: the bulk path uses INSERT ... unnest there", async () => {
  const t = await createTestDatabase({ backend: "embedded", migrate: false });
  try {
    await t.sql.exec(`CREATE TABLE "Bulk" (id TEXT PRIMARY KEY, note TEXT)`);
    const n = await t.db.$transaction(async (tx) => {
      assert.equal(await transactionConnection(tx), null);
      return bulkInsert(
        tx,
        "Bulk",
        [
          { name: "id", pgType: "text" },
          { name: "note", pgType: "text" },
        ],
        [{ id: "a", note: "tab\there" }],
      );
    });
    assert.equal(n, 1);
    assert.deepEqual(await t.sql.query(`SELECT id, note FROM "Bulk"`), [{ id: "a", note: "tab\there" }]);
  } finally {
    await t.drop();
  }
});
