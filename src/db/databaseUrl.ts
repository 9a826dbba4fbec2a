// DATABASE_URL, parsed once. `?schema=NAME` is Prisma's convention (the platform uses
// `?schema=platform`); the pg driver doesn't know it, so it is taken out and applied as search_path.
import { IDENTIFIER_RULE, isPlainIdentifier } from "./identifier.js";

export interface PostgresTarget {
  kind: "postgres";
  connectionString: string;
  schema: string;
  host: string;
  /** The URL with any password replaced by `***`: the only form ever printed. */
  redacted: string;
}

export class DatabaseUrlError extends Error {}

export function parseDatabaseUrl(raw: string): PostgresTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Don't echo the string: it may hold a password.
    throw new DatabaseUrlError("DATABASE_URL is not a valid URL (expected postgresql://user@host:port/database)");
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
    throw new DatabaseUrlError(`DATABASE_URL must start with postgresql:// (got ${url.protocol}//)`);
  }
  const schema = url.searchParams.get("schema") || "public";
  // It goes into SQL (search_path, CREATE SCHEMA): refuse it now rather than fail mid-command.
  if (!isPlainIdentifier(schema)) {
    throw new DatabaseUrlError(`DATABASE_URL's ?schema= must be a plain schema name (${IDENTIFIER_RULE}); got ${JSON.stringify(schema)}`);
  }
  url.searchParams.delete("schema");
  // A Unix socket is given as ?host=/path (the URL's host part is then empty).
  const host = url.searchParams.get("host") || decodeURIComponent(url.hostname) || "localhost";
  return {
    kind: "postgres",
    connectionString: url.toString(),
    schema,
    host,
    redacted: redactUrl(raw),
  };
}

/** A URL with its password (if any) replaced, safe to print. Never throws. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = "***";
    for (const key of [...url.searchParams.keys()]) {
      if (/pass/i.test(key)) url.searchParams.set(key, "***");
    }
    return url.toString();
  } catch {
    return "(unparseable URL)";
  }
}
