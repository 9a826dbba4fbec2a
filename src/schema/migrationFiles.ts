// Reads prisma/migrations (a folder per migration, each with migration.sql) as Prisma's CLI does: UTF-8
// via fs.readFile, folders by localeCompare, so the same scripts run in the same order, same checksums.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface MigrationFile {
  name: string;
  sql: string;
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
      // Decoded text, as Prisma hashes it; for valid UTF-8 (a BOM included) that is the SHA-256 of the file's bytes.
      const sql = await readFile(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: migrationChecksum(sql) };
    }),
  );
}

// Prisma's checksum (prisma-engines, schema-engine/connectors/schema-connector/src/checksum.rs): SHA-256 in lowercase
// hex, matched also with CRLFs made LFs or back, as git may check the file out either way (core.autocrlf).
export function migrationChecksum(script: string): string {
  return createHash("sha256").update(script, "utf8").digest("hex");
}

/** Whether `recorded` is the checksum of `script` in any form Prisma accepts. */
export function matchesChecksum(script: string, recorded: string): boolean {
  // Early versions of Prisma's engine left out each byte's leading zero (prisma-engines issue
  // 1887): a recorded checksum of another length than 64 is compared in that form, as Prisma does.
  const unpadded = recorded.length > 0 && recorded.length !== 64;
  const forms = [script, script.replaceAll("\r\n", "\n"), script.replaceAll("\n", "\r\n")];
  return forms.some((form) => {
    const hex = migrationChecksum(form);
    if (!unpadded) return hex === recorded;
    return [...Buffer.from(hex, "hex")].map((byte) => byte.toString(16)).join("") === recorded;
  });
}
