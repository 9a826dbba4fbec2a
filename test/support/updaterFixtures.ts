// A database filled once by the creator and kept as a template: each updater test works on its
// own copy (PostgreSQL: CREATE DATABASE ... TEMPLATE; embedded: a dump loaded into a new PGlite),
// so the copies start identical, ids included.
import { createTestData } from "../../src/create/creator.js";
import {
  createTemplate,
  createTestDatabase,
  type Backend,
  type TestDatabase,
  type TestTemplate,
} from "./testDatabase.js";
export { runCli } from "./runCli.js";

export type SeededTemplate = TestTemplate;

/** Migrates a new database and fills it with the creator (seeded, platform defaults). */
export function createSeededTemplate(backend: Backend = "postgres", seed = 1): Promise<SeededTemplate> {
  return createTemplate(backend, async (t) => {
    await createTestData(t.db, { seed }, () => {});
  });
}

export function cloneTestDatabase(template: SeededTemplate): Promise<TestDatabase> {
  return createTestDatabase({ backend: template.backend, template });
}
