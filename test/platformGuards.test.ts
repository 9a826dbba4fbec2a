// db:migrate never touches a database that isn't its to migrate (a platform database, with or
// without ?schema=platform; one migrated by a newer version; another project's), and says what to
// do instead; the ?schema= hint from the catalog; DATABASE_URL read from .env / --env-file in the
// platform backend's form, the environment winning, NO_DOTENV=1 turning it off, no password shown.
// The commands run in this process (support/inProcess.ts), but `npm run db:migrate` itself.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseDatabaseUrl } from "../src/target/target.js";
import { createPrismaClient } from "../src/connection/databaseConnection.js";
import type { SqlSession } from "../src/connection/sqlSession.js";
import { catalogOf, findStoreSchemas, storeSchemaHint, wrongSchemaHint } from "../src/schema/storeSchemas.js";
import { readMigrationFiles } from "../src/schema/migrationFiles.js";
import { postgresSkip } from "./support/backends.js";
import { createPlatformDatabase, type PlatformEra } from "./support/platformDatabase.js";
import { runInProcess } from "./support/inProcess.js";
import { collectOutput, type CliResult } from "./support/runCli.js";
import { ROOT } from "./support/repository.js";
import { createTestDatabase, usingDatabase, type PostgresTestDatabase } from "./support/testDatabase.js";

const MIGRATE = "src/migrateDatabase.ts";
const RESET = "src/resetDatabase.ts";
/** Real names from the platform's migration history (its first two, and one of release v0.6.44). */
const PLATFORM_NAMES = [
  "20240722143307_migrations",
  "20240726131311_node_input_unique_constraint",
  "20260115210000_remove_storelistingversion_search",
];
const PASSWORD = "Planted-s3cret-pw";

const withDatabase = (fn: (t: PostgresTestDatabase) => Promise<void>, migrate = false) =>
  usingDatabase(createTestDatabase({ migrate }), fn);

const HISTORY_COLUMNS = `(
  id VARCHAR(36) PRIMARY KEY, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ, migration_name VARCHAR(255) NOT NULL,
  logs TEXT, rolled_back_at TIMESTAMPTZ, started_at TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0)`;

/** Finished history rows, as Prisma Migrate records applied migrations (schema: our literal). */
async function recordMigrations(sql: SqlSession, schema: string, names: string[]): Promise<void> {
  await sql.query(
    `INSERT INTO "${schema}"."_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
     SELECT gen_random_uuid()::text, repeat('0', 64), now(), name, 1 FROM unnest($1::text[]) AS name`,
    [names],
  );
}

/** The least a platform database shows: schema `platform` with the store's users and listings, and the platform's history. */
async function makePlatformLike(sql: SqlSession, names: string[] = PLATFORM_NAMES): Promise<void> {
  await sql.exec(`
    CREATE SCHEMA platform;
    CREATE TABLE platform."User" (id TEXT PRIMARY KEY, email TEXT NOT NULL);
    CREATE TABLE platform."StoreListing" (id TEXT PRIMARY KEY, "owningUserId" TEXT NOT NULL REFERENCES platform."User"(id));
    CREATE TYPE platform."AgentExecutionStatus" AS ENUM ('INCOMPLETE', 'QUEUED', 'RUNNING', 'COMPLETED', 'FAILED');
    CREATE TABLE platform."_prisma_migrations" ${HISTORY_COLUMNS};`);
  await recordMigrations(sql, "platform", names);
}

/** Everything db:migrate could write: schemas, relations, types, functions, and every schema's migration history. */
async function catalogSnapshot(sql: SqlSession): Promise<unknown> {
  const userSchemas = `n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`;
  const schemas = await sql.query(`SELECT nspname FROM pg_namespace n WHERE ${userSchemas} ORDER BY 1`);
  const relations = await sql.query(
    `SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${userSchemas} ORDER BY 1, 2`,
  );
  const types = await sql.query(
    `SELECT n.nspname, t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE ${userSchemas} ORDER BY 1, 2`,
  );
  const functions = await sql.query(
    `SELECT n.nspname, p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${userSchemas} ORDER BY 1, 2`,
  );
  const histories: Record<string, unknown> = {};
  for (const r of relations as { nspname: string; relname: string }[]) {
    if (r.relname !== "_prisma_migrations") continue;
    histories[r.nspname] = await sql.query(
      `SELECT * FROM "${r.nspname.replaceAll('"', '""')}"."_prisma_migrations" ORDER BY id`,
    );
  }
  return { schemas, relations, types, functions, histories };
}

function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set("schema", schema);
  return u.toString();
}

/** Exit 1, one error line on stderr matching `pattern` (`problemsFollow`: a platform database's, then
 *  the problems create and update would meet, a line each), and nothing written. */
async function assertRefused(
  t: PostgresTestDatabase,
  url: string,
  pattern: RegExp,
  problemsFollow = false,
): Promise<CliResult> {
  const before = await catalogSnapshot(t.sql);
  const r = await runInProcess(MIGRATE, [], url);
  assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
  const lines = r.stderr.trim().split("\n");
  if (!problemsFollow) assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^db:migrate: error: /);
  assert.match(lines[0]!, pattern);
  assert.match(r.stdout, /^database: /);
  assert.doesNotMatch(r.stdout, /applied /);
  assert.deepEqual(await catalogSnapshot(t.sql), before);
  return r;
}

describe("db:migrate refuses a database that isn't its to migrate", { skip: postgresSkip, concurrency: true }, () => {
  test("a platform database with ?schema=platform: the platform's migrations manage it", () =>
    withDatabase(async (t) => {
      await makePlatformLike(t.sql);
      // A stand-in with two of the store's tables: create and update would each meet missing tables.
      const r = await assertRefused(
        t,
        withSchema(t.url, "platform"),
        /this is an AutoGPT platform database \(schema platform .*skip npm run db:migrate/,
        true,
      );
      assert.match(r.stderr, /^npm run create can't work on it: .*\(18 problems\); nothing was written:$/m);
      assert.match(r.stderr, /^ {2}- table Profile is missing: apply the platform's own migrations$/m);
      assert.match(r.stderr, /^npm run update can't work on it: /m);
      assert.doesNotMatch(r.stderr, /npm run db:migrate\)/, "never told to migrate with this tool");
    }));

  test("a platform database of a later release (names this tool doesn't know besides the known ones) is still the platform's", () =>
    withDatabase(async (t) => {
      await makePlatformLike(t.sql, [...PLATFORM_NAMES, "20270101000000_some_later_platform_change"]);
      await assertRefused(t, withSchema(t.url, "platform"), /AutoGPT platform database \(schema platform/, true);
    }));

  test("a platform database without ?schema=: the hint to add ?schema=platform, nothing created in public", () =>
    withDatabase(async (t) => {
      await makePlatformLike(t.sql);
      const r = await assertRefused(
        t,
        t.url,
        /schema public lacks the store's tables, but schema platform has them: add \?schema=platform to DATABASE_URL, and skip npm run db:migrate/,
      );
      // The wrong advice of before ("migrate the database first", or a failing init migration) is gone.
      assert.doesNotMatch(r.stderr, /migrate the database first|already exists|rolled back/);
    }));

  for (const era of ["v0.6.44", "mid-2025"] as PlatformEra[]) {
    test(`the full platform fixture (${era}) with ?schema=platform: refused, create and update can work on it`, async () => {
      const t = await createPlatformDatabase({ era });
      try {
        await assertRefused(
          t,
          withSchema(t.url, "platform"),
          /this is an AutoGPT platform database \(schema platform .*\. npm run create and npm run update can work on it as it is\.$/,
        );
      } finally {
        await t.drop();
      }
    });

    test(`the full platform fixture (${era}) without ?schema=: refused, the hint to add it`, async () => {
      const t = await createPlatformDatabase({ era });
      try {
        const withoutSchema = new URL(t.url);
        withoutSchema.searchParams.delete("schema");
        await assertRefused(
          t,
          withoutSchema.toString(),
          /but schema platform has them: add \?schema=platform to DATABASE_URL/,
        );
      } finally {
        await t.drop();
      }
    });
  }

  test("ours plus migrations this version doesn't have: a newer version migrated it (names listed, capped)", () =>
    withDatabase(async (t) => {
      const newer = [
        "29990101000000_a",
        "29990102000000_b",
        "29990103000000_c",
        "29990104000000_d",
        "29990105000000_e",
      ];
      await recordMigrations(t.sql, "public", newer);
      await assertRefused(
        t,
        t.url,
        /a newer version of this tool migrated this database \(schema public\): its migrations 29990101000000_a, 29990102000000_b, 29990103000000_c and 2 more are not in this version/,
      );
    }, true));

  test("another project's history, or the store's table names without any history, are not migrated into", () =>
    withDatabase(async (t) => {
      await t.sql.exec(`CREATE TABLE "_prisma_migrations" ${HISTORY_COLUMNS}`);
      await recordMigrations(t.sql, "public", ["20200101000000_someone_elses_init"]);
      await assertRefused(
        t,
        t.url,
        /schema public holds another project's migrations \(20200101000000_someone_elses_init\)/,
      );
      // A "User" table of its own doesn't make it the platform's: that takes the store's users and listings.
      await t.sql.exec(`CREATE TABLE "User" (id TEXT PRIMARY KEY)`);
      await assertRefused(
        t,
        t.url,
        /schema public holds another project's migrations \(20200101000000_someone_elses_init\)/,
      );

      await t.sql.exec(`DROP TABLE "_prisma_migrations"`);
      await assertRefused(
        t,
        t.url,
        /schema public already has tables named like the store's \(User\) but no record of this tool's migrations/,
      );
    }));

  test("an empty database still migrates, and so does a new schema beside a store this tool built", () =>
    withDatabase(async (t) => {
      const first = await runInProcess(MIGRATE, [], t.url);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /Applied \d+ migration\(s\); 0 were already applied/);
      const names = (await readMigrationFiles()).map((m) => m.name);
      const history = await t.sql.query<{ migration_name: string }>(
        `SELECT migration_name FROM public."_prisma_migrations" ORDER BY 1`,
      );
      assert.deepEqual(
        history.map((h) => h.migration_name),
        names,
      );

      // Schema public holds this tool's store: a second one in schema copy is the user's choice.
      const second = await runInProcess(MIGRATE, [], withSchema(t.url, "copy"));
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /\(schema copy\)/);
      assert.deepEqual(await findStoreSchemas(t.sql), ["copy", "public"]);
    }));
});

describe("the ?schema= hint from the catalog", { skip: postgresSkip }, () => {
  test("finds the schemas holding the store, through a SqlSession and a Prisma transaction alike", () =>
    withDatabase(async (t) => {
      assert.equal(await storeSchemaHint(t.sql, "public"), undefined);
      await makePlatformLike(t.sql);
      // A schema with only one of the two marker tables doesn't count.
      await t.sql.exec(`CREATE SCHEMA halfway; CREATE TABLE halfway."User" (id TEXT)`);
      assert.deepEqual(await findStoreSchemas(t.sql), ["platform"]);
      const expected =
        "schema public lacks the store's tables, but schema platform has them: add ?schema=platform to DATABASE_URL";
      assert.equal(await storeSchemaHint(t.sql, "public"), expected);
      assert.equal(await storeSchemaHint(t.sql, "platform"), undefined);

      const db = createPrismaClient(parseDatabaseUrl(t.url));
      try {
        const viaTx = await db.$transaction((tx) => storeSchemaHint(catalogOf(tx), "public"));
        assert.equal(viaTx, expected);
      } finally {
        await db.$disconnect();
      }
      assert.equal(
        wrongSchemaHint("other", ["a", "platform"]),
        "schema other lacks the store's tables, but schemas a, platform have them: use ?schema=a or ?schema=platform in DATABASE_URL instead of ?schema=other",
      );
    }));
});

/** A .env in the platform backend's form: the URL built from the other entries. */
function platformEnvFile(database: string, extra = ""): string {
  return [
    "# as in autogpt_platform/backend/.env",
    "DB_USER=postgres",
    `DB_PASS=${PASSWORD}`,
    `DB_NAME=${database}`,
    "DB_PORT=5432",
    "DB_HOST=127.0.0.1",
    "DB_CONNECT_TIMEOUT=60",
    "DB_SCHEMA=platform",
    'DATABASE_URL="postgresql://${DB_USER}:${DB_PASS}@${DB_HOST}:${DB_PORT}/${DB_NAME}?schema=${DB_SCHEMA}&connect_timeout=${DB_CONNECT_TIMEOUT}"',
    'DIRECT_URL="${DATABASE_URL}"',
    extra,
  ].join("\n");
}

function assertNoPassword(r: CliResult): void {
  assert.ok(!r.stdout.includes(PASSWORD) && !r.stderr.includes(PASSWORD), `password shown:\n${r.stdout}\n${r.stderr}`);
}

const ON = { NO_DOTENV: "" };

describe("DATABASE_URL from .env and --env-file", { skip: postgresSkip }, () => {
  let dir: string;
  let t: PostgresTestDatabase;
  let other: PostgresTestDatabase;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "atd-envfile-"));
    t = await createTestDatabase({ migrate: false });
    other = await createTestDatabase({ migrate: false });
    await writeFile(join(dir, ".env"), platformEnvFile(t.name));
  });
  after(async () => {
    await Promise.all([t?.drop(), other?.drop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test(".env in the working directory (${VAR} references, connect_timeout) is used when DATABASE_URL is unset", async () => {
    const r = await runInProcess(MIGRATE, [], undefined, ON, { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const [first] = r.stdout.split("\n");
    assert.equal(
      first,
      `database: postgresql://postgres:***@127.0.0.1:5432/${t.name}?schema=platform&connect_timeout=60 (schema platform), from .env`,
    );
    assertNoPassword(r);
    const [built] = await t.sql.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'platform' AND c.relname IN ('User', 'StoreListing', '_prisma_migrations')`,
    );
    assert.equal(built!.n, 3);
  });

  test("Prisma Client connects through a URL with connect_timeout", async () => {
    const url = new URL(withSchema(t.url, "platform"));
    url.searchParams.set("connect_timeout", "60");
    const db = createPrismaClient(parseDatabaseUrl(url.toString()));
    try {
      assert.deepEqual(await db.$queryRawUnsafe(`SELECT current_schema() AS s`), [{ s: "platform" }]);
    } finally {
      await db.$disconnect();
    }
  });

  test("--env-file PATH reads that file instead; the environment wins over either", async () => {
    const file = join(dir, "elsewhere", "backend.env");
    await mkdir(join(dir, "elsewhere"));
    await writeFile(file, platformEnvFile(other.name));
    // From the repository (no .env read there: NO_DOTENV=1 is runInProcess's default), the file named.
    const named = await runInProcess(RESET, ["--env-file", file], undefined);
    assert.equal(named.code, 1, named.stderr); // db:reset refuses a server database: it read the URL
    assert.match(
      named.stdout,
      new RegExp(`^database: postgresql://postgres:\\*\\*\\*@127\\.0\\.0\\.1:5432/${other.name}\\?.*, from `),
    );
    assert.ok(named.stdout.split("\n")[0]!.endsWith(file), named.stdout);
    assertNoPassword(named);

    // --env-file=PATH beats .env in the working directory.
    const beatsDotenv = await runInProcess(RESET, [`--env-file=elsewhere/backend.env`], undefined, ON, { cwd: dir });
    assert.match(beatsDotenv.stdout, new RegExp(`/${other.name}\\?.*, from elsewhere/backend\\.env\\n`));

    // DATABASE_URL in the environment wins over .env and over --env-file.
    const fromEnv = await runInProcess(RESET, [], other.url, ON, { cwd: dir });
    assert.equal(fromEnv.stdout.split("\n")[0], `database: ${other.url} (schema public)`);
    const fromEnvToo = await runInProcess(RESET, ["--env-file", file], t.url, ON, { cwd: dir });
    assert.equal(
      fromEnvToo.stdout.split("\n")[0],
      `database: ${t.url} (schema public), from the environment (which wins over --env-file)`,
    );
  });

  test("NO_DOTENV=1 leaves .env unread: the embedded database is used", async () => {
    const dataDir = join(dir, "no-such-embedded-db");
    const off = await runInProcess(RESET, [], undefined, { NO_DOTENV: "1", PGLITE_DATA_DIR: dataDir }, { cwd: dir });
    assert.equal(off.code, 0, off.stderr);
    assert.match(off.stdout, /^database: embedded PGlite at /);
    assert.match(off.stdout, /Nothing to delete/);
    const on = await runInProcess(RESET, [], undefined, { ...ON, PGLITE_DATA_DIR: dataDir }, { cwd: dir });
    assert.equal(on.code, 1);
    assert.match(on.stdout, /, from \.env\n/);
    assertNoPassword(on);
  });

  const badEnvFiles: [string, () => Promise<string[]>, RegExp][] = [
    [
      "missing",
      async () => ["--env-file", join(dir, "missing.env")],
      /--env-file .*missing\.env: cannot read it \(no such file\)/,
    ],
    ["a directory", async () => ["--env-file", dir], /cannot read it \(it is a directory\)/],
    ["no file named", async () => ["--env-file"], /--env-file needs a file/],
    [
      "without DATABASE_URL",
      async () => {
        await writeFile(join(dir, "no-url.env"), "DB_USER=postgres\n");
        return ["--env-file", join(dir, "no-url.env")];
      },
      /no-url\.env sets no DATABASE_URL/,
    ],
  ];
  for (const [name, argv, pattern] of badEnvFiles) {
    test(`a bad --env-file (${name}) is a one-line usage error (exit 2)`, async () => {
      const args = await argv();
      const r = await runInProcess(MIGRATE, args, undefined);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stdout}\n${r.stderr}`);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, pattern);
    });
  }

  test("--help lists --env-file and NO_DOTENV", async () => {
    const help = await runInProcess(MIGRATE, ["--help"], undefined);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--env-file PATH +read DATABASE_URL from this file .*NO_DOTENV=1/);
  });
});

/** Runs `npm run -s SCRIPT -- ARGS` from the repository, as a user would. */
function npmRun(script: string, args: string[]): Promise<CliResult> {
  return collectOutput(
    spawn("npm", ["run", "-s", script, "--", ...args], { cwd: ROOT, env: { ...process.env, NO_DOTENV: "1" } }),
  );
}

// Node itself reads `--env-file PATH` anywhere before a `--`, even after the script's name, and
// exits 9 ("node: PATH: not found") before the command runs: the npm scripts must end in `--`.
test("npm run db:migrate -- --env-file MISSING reaches the command: its usage error, exit 2", async () => {
  const r = await npmRun("db:migrate", ["--env-file", join(tmpdir(), "atd-no-such-dir", "backend.env")]);
  assert.equal(r.code, 2, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, /^db:migrate: --env-file .*backend\.env: cannot read it \(no such file\)$/m);
});
