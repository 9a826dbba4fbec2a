// The one place that decides which database a command talks to.
import { CommandError } from "../cli/errors.js";
import { parseDatabaseUrl, type PostgresTarget } from "./databaseUrl.js";

export type DatabaseTarget = PostgresTarget;

export function resolveDatabaseTarget(env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const raw = env.DATABASE_URL;
  if (!raw) throw new CommandError("DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/autogpt)");
  return parseDatabaseUrl(raw);
}

/** The line every command prints first: which database, never a password. */
export function describeTarget(target: DatabaseTarget): string {
  return `database: ${target.redacted} (schema ${target.schema})`;
}
