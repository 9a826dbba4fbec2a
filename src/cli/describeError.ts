// Driver and Prisma errors as one plain line that says what to do; never a connection string, and
// anything that looks like a URL password is scrubbed.
import { lookup } from "node:dns/promises";
import { errorLine } from "../shared/errors.js";

interface AdapterCause {
  kind?: string;
  originalCode?: string;
  originalMessage?: string;
  host?: string;
  port?: number;
  table?: string;
  user?: string;
  db?: string;
}
interface ErrorLike {
  message?: string;
  code?: string;
  hostname?: string;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: AdapterCause } };
}

const MIGRATE_HINT = "migrate the database first (npm run db:migrate)";

const BY_SQLSTATE: Record<string, string> = {
  "28P01": "authentication failed: check the user and password in DATABASE_URL",
  "28000": "the server refused this user (check the user in DATABASE_URL and the server's pg_hba.conf)",
  "3D000": "the database named in DATABASE_URL does not exist (create it first, e.g. createdb NAME)",
  "42P01": `a table is missing: ${MIGRATE_HINT}`,
  "42883": `a function is missing: ${MIGRATE_HINT}`,
};

export async function describeError(error: unknown): Promise<string> {
  for (
    let e = error as ErrorLike | undefined, depth = 0;
    e && typeof e === "object" && depth < 5;
    e = e.cause as ErrorLike, depth++
  ) {
    const cause = e.meta?.driverAdapterError?.cause;
    if (cause?.kind === "DatabaseNotReachable") return unreachable(cause.host, cause.port);
    if (cause?.kind === "TableDoesNotExist") return `table ${cause.table ?? "?"} does not exist: ${MIGRATE_HINT}`;
    if (cause?.kind === "DatabaseDoesNotExist") return BY_SQLSTATE["3D000"]!;
    if (cause?.kind === "AuthenticationFailed") return BY_SQLSTATE["28P01"]!;
    if (cause?.kind === "DatabaseAccessDenied") return BY_SQLSTATE["28000"]!;
    const code = cause?.originalCode ?? e.code;
    if (code === "ECONNREFUSED")
      return (
        "cannot reach the database server (connection refused): " +
        "is PostgreSQL running at the host and port in DATABASE_URL?"
      );
    if (code === "ENOTFOUND" || code === "EAI_AGAIN")
      return `the database host ${e.hostname ?? "in DATABASE_URL"} does not resolve (unknown host)`;
    if (code && BY_SQLSTATE[code]) return BY_SQLSTATE[code];
    if (/timeout expired|Connection terminated due to connection timeout/i.test(e.message ?? "")) {
      return "timed out connecting to the database server (no answer within 10 s)";
    }
  }
  return scrubPasswords(errorLine(error, "last"));
}

/** Prisma reports refused, timed-out and unresolvable alike; a DNS look-up tells them apart. */
async function unreachable(host: string | undefined, port: number | undefined): Promise<string> {
  const where = `${host ?? "?"}${port ? `:${port}` : ""}`;
  if (host && !host.startsWith("/")) {
    try {
      await lookup(host);
    } catch {
      return `the database host ${host} does not resolve (unknown host)`;
    }
  }
  return `cannot reach the database server at ${where} (connection refused or timed out): is PostgreSQL running there?`;
}

export function scrubPasswords(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, "$1***@");
}
