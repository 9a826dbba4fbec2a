// Reads prisma/migrations (a folder per migration, each with migration.sql) as Prisma's CLI does: UTF-8
// via fs.readFile, folders by localeCompare, so the same scripts run in the same order, same checksums.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface MigrationFile {
  name: string;
  sql: string;
  /** The checksum recorded when the migration is applied (migrationChecksum, below). */
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

// Migration checksums by Prisma's rule (prisma-engines, schema-engine/connectors/schema-connector/src/checksum.rs):
// SHA-256 of the script's UTF-8 text in lowercase hex, matching also with CRLFs made LFs or LFs made
// CRLFs, since git may check the file out with either line ending (core.autocrlf) after it was applied.
const CHECKSUM_LENGTH = 64;

function sha256(script: string): Buffer {
  return createHash("sha256").update(script, "utf8").digest();
}

export function migrationChecksum(script: string): string {
  return sha256(script).toString("hex");
}

/** Whether `recorded` is the checksum of `script` in any form Prisma accepts. */
export function matchesChecksum(script: string, recorded: string): boolean {
  // Early versions of Prisma's engine left out each byte's leading zero (prisma-engines issue
  // 1887): a recorded checksum of another length than 64 is compared in that form, as Prisma does.
  const unpadded = recorded.length > 0 && recorded.length !== CHECKSUM_LENGTH;
  const forms = [script, script.replaceAll("\r\n", "\n"), script.replaceAll("\n", "\r\n")];
  return forms.some((form) => {
    const digest = sha256(form);
    const hex = unpadded ? [...digest].map((byte) => byte.toString(16)).join("") : digest.toString("hex");
    return hex === recorded;
  });
}
