// Reads prisma/migrations (a folder per migration, each with migration.sql) as Prisma's CLI does: UTF-8
// via fs.readFile, folders by localeCompare, so the same scripts run in the same order, same checksums.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrationChecksum } from "./checksum.js";

export interface MigrationFile {
  name: string;
  sql: string;
  /** The checksum recorded when the migration is applied (see checksum.ts). */
  checksum: string;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

export async function readMigrationFiles(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b));
  return Promise.all(
    names.map(async (name) => {
      // Decoded text, not bytes: Prisma hashes the decoded script, which for a valid UTF-8 file
      // (a BOM included) is the SHA-256 of its bytes.
      const sql = await readFile(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: migrationChecksum(sql) };
    }),
  );
}
