// A database filled once by the creator and kept as a template: each updater test works on its
// own copy (PostgreSQL: CREATE DATABASE ... TEMPLATE; embedded: a dump loaded into a new PGlite),
// so the copies start identical, ids included. One per run and seed, shared by the test files
// (templates.ts).
import { createTestData } from "../../src/create/creator.js";
import { openDatabase } from "../../src/cli/openDatabase.js";
import { parseDatabaseUrl } from "../../src/target/target.js";
import { sharedEmbeddedDump, sharedPostgresTemplate } from "./templates.js";
import { admin } from "./server.js";
import {
  createTestDatabase,
  migratedPostgresTemplate,
  postgresUrl,
  type Backend,
  type TestDatabase,
  type TestTemplate,
} from "./testDatabase.js";
export { runCli } from "./runCli.js";

export type SeededTemplate = TestTemplate;

/** A migrated database filled by the creator (seeded, platform defaults): the run's, made once.
 *  Its drop() does nothing: the run drops its templates when it ends. */
export async function createSeededTemplate(backend: Backend = "postgres", seed = 1): Promise<SeededTemplate> {
  const kind = `seeded_${seed}`;
  const keep = async () => {};
  if (backend === "embedded") {
    const dump = await sharedEmbeddedDump(`pglite_${kind}`, async () => {
      const t = await createTestDatabase({ backend });
      try {
        await createTestData(t.db, { seed }, () => {});
      } catch (error) {
        await t.drop();
        throw error;
      }
      return (await t.snapshot()).dump!;
    });
    return { backend, name: kind, dump, drop: keep };
  }
  const name = await sharedPostgresTemplate(kind, async (building) => {
    const migrated = await migratedPostgresTemplate();
    await admin((c) => c.query(`CREATE DATABASE "${building}" TEMPLATE "${migrated}"`));
    const connection = await openDatabase(parseDatabaseUrl(postgresUrl(building)));
    try {
      await createTestData(connection.db, { seed }, () => {});
    } finally {
      await connection.close();
    }
  });
  return { backend, name, drop: keep };
}

export function cloneTestDatabase(template: SeededTemplate): Promise<TestDatabase> {
  return createTestDatabase({ backend: template.backend, template });
}
