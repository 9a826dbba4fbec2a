// db:migrate's checks before writing: our migrations go only into a schema that is empty or already ours. A platform
// database, a newer version's, another project's, or an empty `public` beside a store elsewhere is refused.
import {
  findStoreSchemas,
  listSome,
  readHistory,
  STORE_MARKER_TABLES,
  storeTablesIn,
  wrongSchemaHint,
  type CatalogQuery,
} from "../schema/storeSchemas.js";
import type { MigrationFile } from "../schema/migrationFiles.js";
import { MigrationError } from "./applyMigration.js";

const NOTHING_CHANGED = "nothing was changed";

/** The schema is the platform's own: db:migrate says whether create and update can write it (migrateDatabase.ts). */
export class PlatformDatabaseError extends MigrationError {}

/** Throws MigrationError when `schema` must not be migrated; reads only. `ours`: this version's migrations. */
export async function refuseForeignTarget(run: CatalogQuery, schema: string, ours: MigrationFile[]): Promise<void> {
  const known = new Set(ours.map((m) => m.name));
  const history = (await readHistory(run, schema)) ?? [];
  const isOurs = history.some((e) => known.has(e.name));
  // Unfinished and rolled-back entries are left to the runner's own history check, which says how to resolve them.
  const applied = history.filter((e) => e.finished && !e.rolledBack).map((e) => e.name);
  const unknown = [...new Set(applied.filter((n) => !known.has(n)))];
  const present = await storeTablesIn(run, schema);
  // The platform's: store tables built by migrations none of which are ours (no list of its names to maintain).
  if (!isOurs && unknown.length > 0 && STORE_MARKER_TABLES.every((t) => present.includes(t))) {
    throw new PlatformDatabaseError(
      `this is an AutoGPT platform database (schema ${schema} holds the store's tables and ${unknown.length} ` +
        "migrations that aren't this tool's), managed by the platform's migrations: skip npm run db:migrate " +
        `(${NOTHING_CHANGED})`,
    );
  }
  if (unknown.length > 0) {
    throw new MigrationError(
      isOurs
        ? `a newer version of this tool migrated this database (schema ${schema}): its migrations ` +
            `${listSome(unknown)} are not in this version's prisma/migrations; update this tool before migrating ` +
            `(${NOTHING_CHANGED})`
        : `schema ${schema} holds another project's migrations (${listSome(unknown)}), neither this tool's nor ` +
            "the AutoGPT platform's: point DATABASE_URL at another database, or another schema with ?schema=NAME " +
            `(${NOTHING_CHANGED})`,
    );
  }
  if (isOurs) return;

  // Not migrated by this tool yet: the schema must hold none of the store's tables...
  if (present.length > 0) {
    throw new MigrationError(
      `schema ${schema} already has tables named like the store's (${listSome(present)}) but no record of this ` +
        "tool's migrations, so npm run db:migrate did not build them and won't touch them: if this is an AutoGPT " +
        "platform database, skip db:migrate; otherwise use another database, or another schema with ?schema=NAME " +
        `(${NOTHING_CHANGED})`,
    );
  }
  // ...and be no empty neighbour of a store that other migrations manage (a platform's `public`).
  const foreign: string[] = [];
  // Of those, the ones migrations built (none of them ours): the platform's, as above.
  const platformOnes: string[] = [];
  for (const other of await findStoreSchemas(run)) {
    if (other === schema) continue;
    const names = ((await readHistory(run, other)) ?? []).map((e) => e.name);
    if (names.some((n) => known.has(n))) continue;
    foreign.push(other);
    if (names.length > 0) platformOnes.push(other);
  }
  if (foreign.length > 0) {
    const why =
      platformOnes.length > 0
        ? `schema ${listSome(platformOnes)} is the AutoGPT platform's, managed by the platform's own migrations`
        : "those tables were not built by this tool's migrations";
    throw new MigrationError(
      `${wrongSchemaHint(schema, foreign)}, and skip npm run db:migrate (${why}; ${NOTHING_CHANGED})`,
    );
  }
}
