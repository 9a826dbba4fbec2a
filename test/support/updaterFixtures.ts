// A database filled once by the creator and kept closed, as a template: each updater test works
// on its own copy (CREATE DATABASE ... TEMPLATE), so the copies start identical, ids included.
import { createTestData } from "../../src/create/createTestData.js";
import { createTestDatabase, dropDatabase, type TestDatabase } from "./testDatabase.js";
export { runCli } from "./runCli.js";

export interface SeededTemplate {
  name: string;
  drop(): Promise<void>;
}

/** Migrates a new database and fills it with the creator (seeded, platform defaults). */
export async function createSeededTemplate(seed = 1): Promise<SeededTemplate> {
  const t = await createTestDatabase();
  try {
    await createTestData(t.db, { seed }, () => {});
  } finally {
    await t.db.$disconnect();
    await t.sql.close();
  }
  return { name: t.name, drop: () => dropDatabase(t.name) };
}

export function cloneTestDatabase(template: SeededTemplate): Promise<TestDatabase> {
  return createTestDatabase({ template: template.name });
}
