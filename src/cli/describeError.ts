// Turns driver and Prisma errors into one plain line. Connection strings never reach it whole:
// messages are scrubbed of anything that looks like a URL password.

interface ErrorLike {
  message?: string;
  code?: string;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string; originalMessage?: string } } };
}

const PG_CODES: Record<string, string> = {
  "28P01": "authentication failed (check the user and password in DATABASE_URL)",
  "28000": "authentication failed (the server refused this user)",
  "3D000": "the database named in DATABASE_URL does not exist",
  "42P01": "a table is missing: migrate the database first (npm run db:migrate)",
};

export function describeDatabaseError(error: unknown): string {
  for (let e = error as ErrorLike | undefined, depth = 0; e && depth < 5; e = e.cause as ErrorLike, depth++) {
    const code = e.code ?? e.meta?.driverAdapterError?.cause?.originalCode;
    if (code === "ECONNREFUSED") return "cannot connect to the database server (connection refused): is PostgreSQL running?";
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "cannot connect: the database host name does not resolve";
    if (code && PG_CODES[code]) return PG_CODES[code];
  }
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split("\n").map((l) => l.trim()).filter(Boolean).pop() ?? "unknown error";
  return scrubPasswords(firstLine);
}

export function scrubPasswords(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, "$1***@");
}
