// How each migration script runs (src/migrate/applyMigration.ts): a statement PostgreSQL can't
// run in a transaction block (CREATE INDEX CONCURRENTLY) works alone in its migration and fails
// among others, each exactly as under `prisma migrate deploy`, with the same `_prisma_migrations`
// rows (a failed one: finished_at NULL, its error in logs); a script with a COMMIT or ROLLBACK of
// its own ends as it would under Prisma. The migrations live in temporary folders.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { SqlSession } from "../src/connection/sqlSession.js";
import { applyMigrations, MigrationError } from "../src/migrate/applyMigrations.js";
import { migrationChecksum } from "../src/schema/migrationFiles.js";
import { readMigrationFiles } from "../src/schema/migrationFiles.js";
import { backends } from "./support/backends.js";
import { createTestDatabase, type TestDatabase } from "./support/testDatabase.js";

/** A temporary prisma/migrations folder, and the runner applying it to a test database. */
interface Folder {
  /** Writes <name>/migration.sql, byte for byte. */
  write(name: string, text: string): Promise<void>;
  remove(name: string): Promise<void>;
  /** Applies the folder's migrations, keeping the log lines in `logged`. */
  migrate(): ReturnType<typeof applyMigrations>;
  logged: string[];
}

async function withMigrations(
  backend: "embedded" | "postgres",
  fn: (sql: SqlSession, folder: Folder) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "atd-migrations-"));
  let t: TestDatabase | undefined;
  try {
    t = await createTestDatabase({ backend, migrate: false });
    const { sql, target } = t;
    const logged: string[] = [];
    await fn(sql, {
      logged,
      async write(name, text) {
        await mkdir(join(dir, name), { recursive: true });
        await writeFile(join(dir, name, "migration.sql"), text);
      },
      remove: (name) => rm(join(dir, name), { recursive: true }),
      migrate: async () =>
        applyMigrations(sql, target.schema, await readMigrationFiles(dir), (line) => logged.push(line)),
    });
  } finally {
    await t?.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

interface Row {
  migration_name: string;
  checksum: string;
  finished: boolean;
  rolled_back: boolean;
  applied_steps_count: number;
  logs: string | null;
}

function history(sql: SqlSession): Promise<Row[]> {
  return sql.query<Row>(
    `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back,
            applied_steps_count, logs
     FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
}

/** A finished row, as Prisma writes one for a migration applied whole. */
const done = (name: string, text: string) => ({
  migration_name: name,
  checksum: migrationChecksum(text),
  finished: true,
  rolled_back: false,
  applied_steps_count: 1,
  logs: null,
});

async function tables(sql: SqlSession): Promise<string[]> {
  const rows = await sql.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

/** The index's pg_index.indisvalid, or undefined when there is no such index. */
async function indexValid(sql: SqlSession, name: string): Promise<boolean | undefined> {
  const rows = await sql.query<{ valid: boolean }>(
    `SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace`,
    [name],
  );
  return rows[0]?.valid;
}

async function columns(sql: SqlSession, table: string): Promise<string[]> {
  const rows = await sql.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1
     ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => r.name);
}

function refusal(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof MigrationError, String(error));
    assert.match(error.message, pattern);
    return true;
  };
}

const THING = "20300101000000_thing";
const THING_SQL = `-- CreateTable
CREATE TABLE "Thing" ("id" TEXT NOT NULL, "name" TEXT NOT NULL);
INSERT INTO "Thing" VALUES ('a', 'same'), ('b', 'same');
`;
// As Prisma writes an index migration, with the CONCURRENTLY added by hand.
const INDEX = "20300102000000_thing_name_index";
const INDEX_SQL = `-- CreateIndex
CREATE INDEX CONCURRENTLY "Thing_name_idx" ON "Thing"("name");
`;
const LATER = "20300103000000_later";
const LATER_SQL = `ALTER TABLE "Thing" ADD COLUMN "later" TEXT;\n`;
const CANNOT = /CREATE INDEX CONCURRENTLY cannot run inside a transaction block/;

for (const backend of backends()) {
  describe(
    `migrations PostgreSQL can't run in a transaction, and scripts with their own (${backend.name})`,
    { skip: backend.skip, concurrency: backend.name === "postgres" },
    () => {
      test("CREATE INDEX CONCURRENTLY alone in its migration is applied as Prisma applies it: outside a transaction, recorded finished", () =>
        withMigrations(backend.name, async (sql, { write, migrate, logged }) => {
          await write(THING, THING_SQL);
          await write(INDEX, INDEX_SQL);
          await write(LATER, LATER_SQL);
          assert.deepEqual(await migrate(), { applied: [THING, INDEX, LATER], alreadyApplied: 0 });
          assert.deepEqual(logged, [
            `applied ${THING}`,
            `applied ${INDEX} (outside a transaction: PostgreSQL can't run it in one)`,
            `applied ${LATER}`,
          ]);
          assert.equal(await indexValid(sql, "Thing_name_idx"), true);
          assert.deepEqual(await columns(sql, "Thing"), ["id", "name", "later"]);
          assert.deepEqual(await history(sql), [
            done(THING, THING_SQL),
            done(INDEX, INDEX_SQL),
            done(LATER, LATER_SQL),
          ]);

          assert.deepEqual(await migrate(), { applied: [], alreadyApplied: 3 });
        }));

      test("CREATE INDEX CONCURRENTLY among other statements fails as under Prisma: nothing of it kept, recorded failed, then resolved", () =>
        withMigrations(backend.name, async (sql, { write, remove, migrate }) => {
          const mixed = `ALTER TABLE "Thing" ADD COLUMN "extra" TEXT;\n${INDEX_SQL}`;
          await write(THING, THING_SQL);
          await write(INDEX, mixed);
          await write(LATER, LATER_SQL);
          let advice = "";
          await assert.rejects(migrate(), (error: unknown) => {
            refusal(
              new RegExp(
                `migration ${INDEX} failed: ${CANNOT.source}\\. PostgreSQL runs a migration\\.sql of several statements as one transaction`,
              ),
            )(error);
            advice = (error as Error).message;
            return true;
          });
          assert.match(advice, new RegExp(`prisma migrate resolve --rolled-back ${INDEX}`));
          // PostgreSQL's implicit transaction took the ALTER TABLE back; the later migration never ran.
          assert.deepEqual(await columns(sql, "Thing"), ["id", "name"]);
          assert.equal(await indexValid(sql, "Thing_name_idx"), undefined);
          const [thing, failed, ...rest] = await history(sql);
          assert.deepEqual(thing, done(THING, THING_SQL));
          assert.deepEqual(rest, []);
          assert.deepEqual(
            { ...failed!, logs: undefined },
            {
              migration_name: INDEX,
              checksum: migrationChecksum(mixed),
              finished: false,
              rolled_back: false,
              applied_steps_count: 0,
              logs: undefined,
            },
          );
          assert.match(
            failed!.logs!,
            new RegExp(
              `Migration name: ${INDEX}\n\nDatabase error code: 25001\n\nDatabase error:\nERROR: ${CANNOT.source}`,
            ),
          );

          // Blocked until resolved, as Prisma is (P3009), naming the error.
          await assert.rejects(
            migrate(),
            refusal(
              new RegExp(`migration ${INDEX} failed earlier and was never finished \\(ERROR: ${CANNOT.source}\\)`),
            ),
          );

          // The advice works: the SQL it gives marks the failed row rolled back, and the split migrations apply.
          const markSql = /in SQL: (UPDATE .*?)\)$/.exec(advice)?.[1];
          assert.ok(markSql, advice);
          await sql.exec(markSql);
          const column = "20300102000000_thing_extra";
          const index = "20300102100000_thing_name_index";
          await remove(INDEX);
          await write(column, `ALTER TABLE "Thing" ADD COLUMN "extra" TEXT;\n`);
          await write(index, INDEX_SQL);
          assert.deepEqual(await migrate(), { applied: [column, index, LATER], alreadyApplied: 1 });
          assert.deepEqual(await columns(sql, "Thing"), ["id", "name", "extra", "later"]);
          assert.equal(await indexValid(sql, "Thing_name_idx"), true);
          assert.deepEqual(
            (await history(sql)).map((r) => [r.migration_name, r.finished, r.rolled_back]),
            [
              [THING, true, false],
              [INDEX, false, true],
              [column, true, false],
              [index, true, false],
              [LATER, true, false],
            ],
          );
        }));

      test("a CREATE UNIQUE INDEX CONCURRENTLY that fails leaves what Prisma leaves: its invalid index, a failed row", () =>
        withMigrations(backend.name, async (sql, { write, migrate }) => {
          const unique = `CREATE UNIQUE INDEX CONCURRENTLY "Thing_name_key" ON "Thing"("name");\n`;
          await write(THING, THING_SQL);
          await write(INDEX, unique);
          await assert.rejects(
            migrate(),
            refusal(
              new RegExp(
                `migration ${INDEX} failed outside a transaction .*could not create unique index .*undo what it did`,
              ),
            ),
          );
          // Rows ('same' twice) the index can't take: PostgreSQL keeps the index, marked invalid.
          assert.equal(await indexValid(sql, "Thing_name_key"), false);
          const failed = (await history(sql))[1]!;
          assert.deepEqual([failed.migration_name, failed.finished, failed.applied_steps_count], [INDEX, false, 0]);
          assert.match(
            failed.logs!,
            /Database error code: 23505\n\nDatabase error:\nERROR: could not create unique index "Thing_name_key"\nDETAIL: /,
          );
        }));

      test("a script's own BEGIN and COMMIT: applied and recorded finished", () =>
        withMigrations(backend.name, async (sql, { write, migrate }) => {
          const own = `BEGIN;\nCREATE TABLE "Own" ("id" TEXT);\nCOMMIT;\n`;
          await write(THING, own);
          await write(LATER, `CREATE TABLE "Later" ("id" TEXT);\n`);
          assert.deepEqual(await migrate(), { applied: [THING, LATER], alreadyApplied: 0 });
          assert.deepEqual(await tables(sql), ["Later", "Own"]);
          assert.deepEqual(await history(sql), [done(THING, own), done(LATER, `CREATE TABLE "Later" ("id" TEXT);\n`)]);
        }));

      test("a script whose own COMMIT kept its start before it failed: recorded failed as under Prisma, and said so", () =>
        withMigrations(backend.name, async (sql, { write, migrate }) => {
          const partWay = `CREATE TABLE "Kept" ("id" TEXT);\nCOMMIT;\nCREATE TABLE "Lost" ("id" TEXT);\nSELECT * FROM "NoSuchTable";\n`;
          await write(THING, partWay);
          await write(LATER, LATER_SQL);
          await assert.rejects(
            migrate(),
            refusal(new RegExp(`migration ${THING} failed part-way: .*NoSuchTable.*a COMMIT of its own`)),
          );
          assert.deepEqual(await tables(sql), ["Kept"]);
          const rows = await history(sql);
          assert.deepEqual(
            rows.map((r) => [r.migration_name, r.finished, r.applied_steps_count]),
            [[THING, false, 0]],
          );
          assert.match(rows[0]!.logs!, /Database error code: 42P01/);
        }));

      test("a script whose own ROLLBACK discards its start: the rest applied, recorded finished once", () =>
        withMigrations(backend.name, async (sql, { write, migrate }) => {
          const rolledBack = `CREATE TABLE "Discarded" ("id" TEXT);\nROLLBACK;\nCREATE TABLE "Kept" ("id" TEXT);\n`;
          await write(THING, rolledBack);
          assert.deepEqual(await migrate(), { applied: [THING], alreadyApplied: 0 });
          assert.deepEqual(await tables(sql), ["Kept"]);
          assert.deepEqual(await history(sql), [done(THING, rolledBack)]);
        }));
    },
  );
}
