// A migration's checksum, and whether an applied migration's recorded checksum still matches its
// file, by Prisma's rule (prisma-engines, schema-engine/connectors/schema-connector/src/checksum.rs):
// the SHA-256 of the script's UTF-8 text, in lowercase hex; a recorded checksum matches the script
// as it is, with its CRLFs turned into LFs, or with its LFs turned into CRLFs, because git may
// check a file out with either line ending (core.autocrlf) after it was applied.
import { createHash } from "node:crypto";

/** The length of the checksum Prisma records (32 bytes, two hex digits each). */
const CHECKSUM_LENGTH = 64;

function sha256(script: string): Buffer {
  return createHash("sha256").update(script, "utf8").digest();
}

/** The checksum to record for a migration script, as Prisma records it. */
export function migrationChecksum(script: string): string {
  return sha256(script).toString("hex");
}

/** Whether `recorded` (from `_prisma_migrations`) is the checksum of `script` in any of the forms Prisma accepts. */
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
