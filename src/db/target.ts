// The one place that decides which database a command talks to.
import { CommandError } from "../cli/errors.js";
import { parseDatabaseUrl, type PostgresTarget } from "./databaseUrl.js";
import { ALLOW_REMOTE_ENV, refuseRemoteHost } from "./remoteGuard.js";

export type DatabaseTarget = PostgresTarget;

export interface TargetOptions {
  /** --allow-remote was given. */
  allowRemote?: boolean;
}

/** Reads DATABASE_URL and refuses a remote host before anything connects. */
export function resolveDatabaseTarget(options: TargetOptions = {}, env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const raw = env.DATABASE_URL;
  if (!raw) throw new CommandError("DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/autogpt)");
  const target = parseDatabaseUrl(raw);
  refuseRemoteHost(target.host, options.allowRemote === true || env[ALLOW_REMOTE_ENV] === "1");
  return target;
}

/** The line every command prints first: which database, never a password. */
export function describeTarget(target: DatabaseTarget): string {
  return `database: ${target.redacted} (schema ${target.schema})`;
}
