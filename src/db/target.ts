// The one place that decides which database a command talks to:
//   DATABASE_URL set   -> that PostgreSQL server (through @prisma/adapter-pg);
//   DATABASE_URL unset -> an embedded PostgreSQL (PGlite) kept in a directory, .data/pglite by default.
import { isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CommandError } from "../cli/errors.js";
import { parseDatabaseUrl, type PostgresTarget } from "./databaseUrl.js";
import { ALLOW_REMOTE_ENV, refuseRemoteHost } from "./remoteGuard.js";

export type { PostgresTarget } from "./databaseUrl.js";

/** An embedded PostgreSQL (PGlite) in a directory of its own. */
export interface EmbeddedTarget {
  kind: "embedded";
  /** Absolute path of the data directory (created on first use). */
  dataDir: string;
  /** The PostgreSQL schema the tables live in. */
  schema: string;
}

export type DatabaseTarget = PostgresTarget | EmbeddedTarget;

/** Overrides where the embedded database lives (a directory; relative to the current directory). */
export const DATA_DIR_ENV = "PGLITE_DATA_DIR";

/** The project's own embedded database: `.data/pglite` in the repository (git-ignored). */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL("../../.data/pglite", import.meta.url));

export interface TargetOptions {
  /** --allow-remote was given. */
  allowRemote?: boolean;
  /** --data-dir was given (only used when DATABASE_URL is unset). */
  dataDir?: string;
}

/**
 * DATABASE_URL set: that server (a remote host is refused before anything connects).
 * Unset: the embedded database in --data-dir, else $PGLITE_DATA_DIR, else .data/pglite.
 */
export function resolveDatabaseTarget(options: TargetOptions = {}, env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const raw = env.DATABASE_URL;
  if (!raw) {
    const dir = options.dataDir ?? (env[DATA_DIR_ENV] || undefined);
    return { kind: "embedded", dataDir: dir ? resolve(dir) : DEFAULT_DATA_DIR, schema: "public" };
  }
  if (options.dataDir !== undefined) {
    throw new CommandError("--data-dir is for the embedded database: unset DATABASE_URL to use it");
  }
  const target = parseDatabaseUrl(raw);
  refuseRemoteHost(target.host, options.allowRemote === true || env[ALLOW_REMOTE_ENV] === "1");
  return target;
}

/** The line every command prints first: which database, never a password. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === "embedded") {
    const schema = target.schema === "public" ? "" : ` (schema ${target.schema})`;
    return `database: embedded PGlite at ${displayPath(target.dataDir)}${schema}`;
  }
  return `database: ${target.redacted} (schema ${target.schema})`;
}

/** A path as the user would type it: relative to the current directory when it lies inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
