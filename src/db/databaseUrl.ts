// Everything the project needs to know about a DATABASE_URL, parsed once.
// `?schema=NAME` is Prisma's convention (the platform uses `?schema=platform`); the pg driver
// doesn't know it, so it is taken out of the connection string and applied as search_path.

export interface PostgresTarget {
  kind: "postgres";
  /** The connection string for the pg driver, without Prisma's `schema` parameter. */
  connectionString: string;
  /** The PostgreSQL schema the tables live in: `public` unless `?schema=` says otherwise. */
  schema: string;
  host: string;
  database: string;
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
  url.searchParams.delete("schema");
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || "postgres";
  // A Unix socket is given as ?host=/path (the URL's host part is then empty).
  const host = url.searchParams.get("host") || decodeURIComponent(url.hostname) || "localhost";
  return {
    kind: "postgres",
    connectionString: url.toString(),
    schema,
    host,
    database,
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

/** Quotes an identifier for SQL (schema names come from the user's URL). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
