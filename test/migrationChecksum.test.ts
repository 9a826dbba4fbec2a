// An applied migration is matched to its file by Prisma's checksum rule (src/schema/migrationFiles.ts):
// the same file checked out with the other line endings (git's core.autocrlf) is the same
// migration and is not applied again; a real edit is still refused. The migrations here live in
// temporary folders, read by the runner's own reader, as prisma/migrations would be.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { SqlSession } from "../src/connection/sqlSession.js";
import { applyMigrations, MigrationError } from "../src/migrate/applyMigrations.js";
import { matchesChecksum, migrationChecksum } from "../src/schema/migrationFiles.js";
import { readMigrationFiles } from "../src/schema/migrationFiles.js";
import { backends } from "./support/backends.js";
import { createTestDatabase, usingDatabase, type TestDatabase } from "./support/testDatabase.js";

const sha256 = (bytes: string | Buffer): string => createHash("sha256").update(bytes).digest("hex");
const crlf = (text: string): string => text.replaceAll("\n", "\r\n");

describe("Prisma's checksum rule", () => {
  test("the checksum is the SHA-256 hex of the script; LF and CRLF forms match each other; edits don't (Prisma's own cases)", () => {
    assert.equal(migrationChecksum("hello"), "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    // The cases of prisma-engines' checksum.rs tests, a lone \r kept as it is.
    for (const forms of [
      ["ab\ncd\nef\ngh\rab", "ab\r\ncd\r\nef\r\ngh\rab"],
      ["ab\ncd\nef\ngh\rab\n", "ab\r\ncd\r\nef\r\ngh\rab\r\n"],
    ]) {
      for (const script of forms) {
        for (const other of forms)
          assert.ok(matchesChecksum(script, migrationChecksum(other)), JSON.stringify([script, other]));
      }
    }
    assert.equal(matchesChecksum("abc", migrationChecksum("abcd")), false);
    assert.equal(matchesChecksum("abc\n", migrationChecksum("abc")), false);
    assert.equal(matchesChecksum("abc", ""), false);
  });

  test("a checksum recorded without its bytes' leading zeros (early Prisma engines) still matches its script", () => {
    const script = `CREATE TABLE "T1" ("id" TEXT NOT NULL);\n`;
    const digest = createHash("sha256").update(script).digest();
    const unpadded = [...digest].map((byte) => byte.toString(16)).join("");
    assert.ok(unpadded.length < 64, "this script's digest has a byte below 0x10");
    assert.ok(matchesChecksum(script, unpadded));
    assert.ok(matchesChecksum(crlf(script), unpadded));
    assert.equal(matchesChecksum(`${script}-- edited\n`, unpadded), false);
  });
});

/** A temporary prisma/migrations: write(name, text) puts text in <name>/migration.sql, byte for byte. */
async function withMigrationsFolder(
  fn: (dir: string, write: (name: string, text: string) => Promise<void>) => Promise<void>,
) {
  const dir = await mkdtemp(join(tmpdir(), "atd-migrations-"));
  const write = async (name: string, text: string) => {
    await mkdir(join(dir, name), { recursive: true });
    await writeFile(join(dir, name, "migration.sql"), text);
  };
  try {
    await fn(dir, write);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const withDatabase = (backend: "embedded" | "postgres", fn: (t: TestDatabase) => Promise<void>) =>
  usingDatabase(createTestDatabase({ backend, migrate: false }), fn);

interface Row {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  applied_steps_count: number;
}

function history(sql: SqlSession): Promise<Row[]> {
  return sql.query<Row>(
    `SELECT id, migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
}

async function tableNames(sql: SqlSession): Promise<string[]> {
  const rows = await sql.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

const FIRST = "20300101000000_first";
const SECOND = "20300102000000_second";
const THIRD = "20300103000000_third";
// Several lines each, so the line endings make a difference to the bytes.
const FIRST_SQL = `-- CreateTable\nCREATE TABLE "First" (\n    "id" TEXT NOT NULL,\n    CONSTRAINT "First_pkey" PRIMARY KEY ("id")\n);\n`;
const SECOND_SQL = `-- CreateTable\nCREATE TABLE "Second" (\n    "id" TEXT NOT NULL\n);\n`;
const THIRD_SQL = `-- CreateTable\nCREATE TABLE "Third" (\n    "id" TEXT NOT NULL\n);\n`;

// The rule is the runner's own, the same on either backend (migrationTransactions.test.ts runs the
// runner on both): PostgreSQL only.
for (const backend of backends().filter((b) => b.name === "postgres")) {
  describe(`applied migrations and their files' line endings (${backend.name})`, { skip: backend.skip }, () => {
    test("an applied migration checked out again with CRLF, or LF, is the same migration: accepted, not re-applied", () =>
      withDatabase(backend.name, ({ sql, target }) =>
        withMigrationsFolder(async (dir, write) => {
          // Applied from an LF file and from a CRLF file (a Windows checkout), each recorded by its bytes.
          await write(FIRST, FIRST_SQL);
          await write(SECOND, crlf(SECOND_SQL));
          const first = await applyMigrations(sql, target.schema, await readMigrationFiles(dir));
          assert.deepEqual(first, { applied: [FIRST, SECOND], alreadyApplied: 0 });
          const recorded = await history(sql);
          assert.deepEqual(
            recorded.map((r) => [r.migration_name, r.checksum]),
            [
              [FIRST, sha256(FIRST_SQL)],
              [SECOND, sha256(crlf(SECOND_SQL))],
            ],
          );

          // Checked out again the other way round, and a new migration beside them.
          await write(FIRST, crlf(FIRST_SQL));
          await write(SECOND, SECOND_SQL);
          await write(THIRD, crlf(THIRD_SQL));
          const logged: string[] = [];
          const second = await applyMigrations(sql, target.schema, await readMigrationFiles(dir), (line) =>
            logged.push(line),
          );
          assert.deepEqual(second, { applied: [THIRD], alreadyApplied: 2 });
          assert.deepEqual(logged, [`applied ${THIRD}`]);
          // The applied ones' rows are as they were (re-applying would also have failed on CREATE TABLE).
          const after = await history(sql);
          assert.deepEqual(after.slice(0, 2), recorded);
          assert.deepEqual(
            after.map((r) => r.migration_name),
            [FIRST, SECOND, THIRD],
          );
          assert.equal(after[2]!.checksum, sha256(crlf(THIRD_SQL)));
          assert.deepEqual(await tableNames(sql), ["First", "Second", "Third"]);

          const third = await applyMigrations(sql, target.schema, await readMigrationFiles(dir));
          assert.deepEqual(third, { applied: [], alreadyApplied: 3 });
        }),
      ));

    test("a really edited applied migration is refused, whatever its line endings, and nothing pending is applied", () =>
      withDatabase(backend.name, ({ sql, target }) =>
        withMigrationsFolder(async (dir, write) => {
          await write(FIRST, FIRST_SQL);
          await applyMigrations(sql, target.schema, await readMigrationFiles(dir));
          const before = await history(sql);
          await write(SECOND, SECOND_SQL);

          const edits = {
            "an added comment, and CRLF": crlf(`${FIRST_SQL}-- an edit after the fact\n`),
            "a changed column, LF": FIRST_SQL.replace(`"id" TEXT`, `"id" VARCHAR(36)`),
            // Prisma's rule counts a trailing newline: "abc\n" is not "abc".
            "a dropped final newline": FIRST_SQL.trimEnd(),
          };
          for (const [edit, text] of Object.entries(edits)) {
            await write(FIRST, text);
            await assert.rejects(
              applyMigrations(sql, target.schema, await readMigrationFiles(dir)),
              (error: unknown) => {
                assert.ok(error instanceof MigrationError, `${edit}: ${String(error)}`);
                assert.match(error.message, new RegExp(`migration ${FIRST} was changed after it was applied`), edit);
                return true;
              },
            );
            assert.deepEqual(await history(sql), before, edit);
            assert.deepEqual(await tableNames(sql), ["First"], edit);
          }
        }),
      ));
  });
}
