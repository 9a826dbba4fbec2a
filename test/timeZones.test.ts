// The application's own timestamps don't depend on the process's time zone: timestamp(3)
// columns hold UTC wall-clock time (as Prisma writes them), so a run at a given instant writes
// the same values under any TZ. Node re-reads process.env.TZ when it is set, so one process can
// play several zones.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { createTestData } from "../src/create/creator.js";
import { backends } from "./support/backends.js";
import { createTestDatabase } from "./support/testDatabase.js";

const ZONES = ["Asia/Kolkata", "America/New_York", "UTC"];
const NOW = new Date("2026-03-08T06:30:00.000Z"); // the night New York moves its clocks forward

const originalTz = process.env.TZ;
after(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

for (const backend of backends()) {
  describe(`time zones [${backend.name}]`, { skip: backend.skip }, () => {
    test("a creator run at a given instant writes the same UTC values in every zone", async () => {
      const written: string[][] = [];
      for (const zone of ZONES) {
        process.env.TZ = zone;
        assert.equal(new Date(NOW).getTimezoneOffset() !== 0, zone !== "UTC", `TZ ${zone} took effect`);
        const t = await createTestDatabase({ backend: backend.name });
        try {
          await createTestData(t.db, { seed: 4, users: 5, now: NOW });
          const rows = await t.sql.query<{ v: string }>(`
            SELECT "createdAt"::text AS v FROM "User"
            UNION ALL SELECT "startedAt"::text FROM "AgentGraphExecution"
            UNION ALL SELECT "createdAt"::text FROM "CreditTransaction"
            ORDER BY 1`);
          written.push(rows.map((r) => r.v));
          // What Prisma reads back is the instant that was meant: its UTC wall clock is the stored text.
          const users = await t.db.user.findMany({ select: { id: true, createdAt: true }, orderBy: { id: "asc" } });
          const texts = await t.sql.query<{ id: string; v: string }>(
            `SELECT id, "createdAt"::text AS v FROM "User" ORDER BY id`,
          );
          assert.deepEqual(
            users.map((u) => u.createdAt.getTime()),
            texts.map((r) => Date.parse(`${r.v.replace(" ", "T")}Z`)),
          );
          assert.ok(
            users.every((u) => u.createdAt.getTime() < NOW.getTime()),
            "dated back from `now`, in UTC",
          );
        } finally {
          await t.drop();
        }
      }
      assert.ok(written[0]!.length > 10);
      for (const other of written.slice(1)) assert.deepEqual(other, written[0]);
    });
  });
}
