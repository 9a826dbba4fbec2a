// The creator against a COPY restore of its very rows (README, Performance), for bench.ts; run alone
// it measures both sizes and prints one JSON document:
//   npx tsx bench/creatorRestore.ts [--quick]
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { parseDatabaseUrl } from "../src/target/target.js";
import { openPgSession } from "../src/connection/sqlSession.js";
import { STORE_TABLES } from "../src/schema/storeSchemas.js";
import { applyMigrations } from "../src/migrate/applyMigrations.js";
import { readMigrationFiles } from "../src/schema/migrationFiles.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** bench.ts's database helpers: each database is created (after a CHECKPOINT) and dropped by them. */
export interface BenchDatabases {
  createDatabase(name: string): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  finished(child: ChildProcess, what: string): Promise<{ stdout: string; stderr: string }>;
}

export interface CreatorRun {
  scale: number;
  rows: number;
  /** The creator's two runs, before and after the restore. */
  seconds: number[];
  rowsPerSec: number;
  peakRssMb: number;
  restoreSeconds: number;
  restoreRowsPerSec: number;
  ratioToRestore: number;
}

/** What a child measurement printed; one that fails stops the bench, with the end of its stderr. */
export async function finished(child: ChildProcess, what: string): Promise<{ stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => (stdout += d));
  child.stderr?.on("data", (d) => (stderr += d));
  const [code] = await once(child, "close");
  if (code !== 0) throw new Error(`${what} exited ${code}: ${stderr.slice(-2000)}`);
  return { stdout, stderr };
}

/** A fresh database of ours: created and migrated. */
async function migratedDatabase({ createDatabase }: BenchDatabases, name: string): Promise<string> {
  const url = await createDatabase(name);
  const target = parseDatabaseUrl(url);
  const sql = await openPgSession(target);
  await applyMigrations(sql, target.schema, await readMigrationFiles());
  await sql.close();
  return url;
}

/** `npm run create -- --seed 1 --scale K` as a child (its peak RSS) on a fresh database, kept for the restore. */
async function runCreator(
  dbs: BenchDatabases,
  name: string,
  scale: number,
): Promise<{ url: string; seconds: number; peakRssMb: number }> {
  const url = await migratedDatabase(dbs, name);
  const child = spawn(
    "/usr/bin/time",
    [
      "-f",
      "BENCH_MAXRSS_KB %M",
      process.execPath,
      "--import",
      "tsx",
      "src/createTestData.ts",
      "--seed",
      "1",
      "--scale",
      String(scale),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url, NO_DOTENV: "1" },
    },
  );
  const { stdout, stderr } = await dbs.finished(child, "creator");
  const rss = /BENCH_MAXRSS_KB (\d+)/.exec(stderr);
  return {
    url,
    seconds: Number(/Created test data in ([\d.]+)s/.exec(stdout)?.[1]),
    peakRssMb: rss ? Math.round(Number(rss[1]) / 1024) : NaN,
  };
}

/**
 * The creator at `--scale K`, then the very same rows restored into a fresh database as pg_dump and
 * psql do it: `pg_dump --data-only` table by table, restored in the tables' dependency order in one
 * transaction with every foreign key enforced, the one circular key (a listing's active version)
 * dropped first and added back at the end, then ANALYZE and the views' refresh, as the creator
 * ends; then the creator once more (the same seed: the same rows). Load on a shared machine comes
 * and goes: the creator's figure is the mean of the two runs either side of the restore.
 */
export async function creatorAgainstRestore(dbs: BenchDatabases, prefix: string, scale: number): Promise<CreatorRun> {
  const { dropDatabase, finished } = dbs;
  const first = await runCreator(dbs, `${prefix}_create${scale}`, scale);
  const createdUrl = first.url;
  const dir = mkdtempSync(join(tmpdir(), "atd_bench_dump_"));
  try {
    const client = new pg.Client({ connectionString: createdUrl });
    await client.connect();
    let rows = 0;
    for (const table of STORE_TABLES)
      rows += Number((await client.query(`SELECT COUNT(*) AS n FROM "${table}"`)).rows[0].n);
    const key = (
      await client.query<{ name: string; definition: string }>(
        `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
         WHERE conrelid = '"StoreListing"'::regclass AND contype = 'f' AND pg_get_constraintdef(oid) LIKE '%"activeVersionId"%'`,
      )
    ).rows[0]!;
    await client.end();
    const files = STORE_TABLES.map((table, i) => join(dir, `${String(i).padStart(2, "0")}_${table}.sql`));
    for (const [i, table] of STORE_TABLES.entries())
      await finished(
        spawn("pg_dump", ["--data-only", "--table", `public."${table}"`, "--file", files[i]!, createdUrl]),
        "pg_dump",
      );
    const script = join(dir, "restore.sql");
    writeFileSync(
      script,
      [
        "BEGIN;",
        `ALTER TABLE public."StoreListing" DROP CONSTRAINT "${key.name}";`,
        ...files.map((file) => `\\i ${file}`),
        "SET search_path = public;", // each dump file empties it
        `ALTER TABLE "StoreListing" ADD CONSTRAINT "${key.name}" ${key.definition};`,
        `ANALYZE ${STORE_TABLES.map((t) => `"${t}"`).join(", ")};`,
        "SELECT refresh_store_materialized_views();",
        "COMMIT;",
      ].join("\n"),
    );
    const restoreUrl = await migratedDatabase(dbs, `${prefix}_restore${scale}`);
    const started = performance.now();
    await finished(spawn("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", script, restoreUrl]), "COPY restore");
    const restoreSeconds = (performance.now() - started) / 1000;
    await dropDatabase(`${prefix}_restore${scale}`);
    await dropDatabase(`${prefix}_create${scale}`);
    const second = await runCreator(dbs, `${prefix}_create${scale}_again`, scale);
    await dropDatabase(`${prefix}_create${scale}_again`);
    const rowsPerSec = Math.round((rows / first.seconds + rows / second.seconds) / 2);
    const restoreRowsPerSec = Math.round(rows / restoreSeconds);
    return {
      scale,
      rows,
      seconds: [round(first.seconds), round(second.seconds)],
      rowsPerSec,
      peakRssMb: Math.max(first.peakRssMb, second.peakRssMb),
      restoreSeconds: round(restoreSeconds),
      restoreRowsPerSec,
      ratioToRestore: round(rowsPerSec / restoreRowsPerSec),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const adminUrl = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const created = new Set<string>();
  const dbs: BenchDatabases = {
    async createDatabase(name) {
      await admin.query(`CREATE DATABASE "${name}"`);
      created.add(name);
      await admin.query("CHECKPOINT");
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async dropDatabase(name) {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      created.delete(name);
    },
    finished,
  };
  try {
    const runs: CreatorRun[] = [];
    for (const scale of process.argv.includes("--quick") ? [3, 30] : [30, 300]) {
      runs.push(await creatorAgainstRestore(dbs, `atd_bench_${process.pid}`, scale));
      console.error(JSON.stringify(runs.at(-1)));
    }
    console.log(JSON.stringify(runs, null, 2));
  } finally {
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}
