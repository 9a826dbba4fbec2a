// A database filled once by the creator and kept as a template: each updater test works on its
// own copy (PostgreSQL: CREATE DATABASE ... TEMPLATE; embedded: a copy of its data directory),
// so the copies start identical, ids included. One per run and seed, shared by the test files
// (templates.ts). The creator's run that made a template is kept beside it (seededTemplateRun): the
// creator's own test at the default counts asserts on that run rather than making a second one.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTestData, type CreateReport } from "../../src/create/creator.js";
import { openDatabase } from "../../src/cli/openDatabase.js";
import { parseDatabaseUrl } from "../../src/target/target.js";
import { RUN_ID, runDir, sharedPostgresTemplate, sharedRunFolder, templateName } from "./templates.js";
import { admin } from "./server.js";
import {
  createTestDatabase,
  migratedPostgresTemplate,
  postgresUrl,
  type Backend,
  type TestDatabase,
  type TestTemplate,
  writeEmbeddedDatabase,
} from "./testDatabase.js";
export { runCli } from "./runCli.js";

export type SeededTemplate = TestTemplate;

/** A migrated database filled by the creator (seeded, platform defaults): the run's, made once.
 *  Its drop() does nothing: the run drops its templates when it ends. */
export async function createSeededTemplate(backend: Backend = "postgres", seed = 1): Promise<SeededTemplate> {
  const kind = backendKind(backend, seed);
  const keep = async () => {};
  if (backend === "embedded") {
    const dataDir = await sharedRunFolder(kind, async (building) => {
      await writeEmbeddedDatabase(building);
      const connection = await openDatabase({ kind: "embedded", dataDir: building, schema: "public" });
      try {
        await createAndKeepRun(connection.db, kind, seed);
      } finally {
        await connection.close();
      }
    });
    return { backend, name: kind, dataDir, drop: keep };
  }
  const name = await sharedPostgresTemplate(kind, async (building) => {
    const migrated = await migratedPostgresTemplate();
    await admin((c) => c.query(`CREATE DATABASE "${building}" TEMPLATE "${migrated}"`));
    const connection = await openDatabase(parseDatabaseUrl(postgresUrl(building)));
    try {
      await createAndKeepRun(connection.db, kind, seed);
    } finally {
      await connection.close();
    }
  });
  return { backend, name, drop: keep };
}

const backendKind = (backend: Backend, seed: number) => `${backend === "embedded" ? "pglite_" : ""}seeded_${seed}`;

/** What the creator reported and logged when it made a template. */
export interface TemplateRun {
  report: CreateReport;
  lines: string[];
}

const runFile = (kind: string) => join(runDir(RUN_ID), `${templateName(kind)}.run.json`);

/** Written before the template is complete (it is under its build lock until then): whoever finds the
 *  template finds its run. */
async function createAndKeepRun(db: Parameters<typeof createTestData>[0], kind: string, seed: number): Promise<void> {
  const lines: string[] = [];
  const report = await createTestData(db, { seed }, (line) => lines.push(line));
  await writeFile(runFile(kind), JSON.stringify({ report, lines } satisfies TemplateRun));
}

/** The seeded template of `backend`, and the creator's run that made it. */
export async function seededTemplateRun(
  backend: Backend,
  seed = 1,
): Promise<TemplateRun & { template: SeededTemplate }> {
  const template = await createSeededTemplate(backend, seed);
  const run = JSON.parse(await readFile(runFile(backendKind(backend, seed)), "utf8")) as TemplateRun;
  run.report.now = new Date(run.report.now);
  return { ...run, template };
}

export function cloneTestDatabase(template: SeededTemplate): Promise<TestDatabase> {
  return createTestDatabase({ backend: template.backend, template });
}
