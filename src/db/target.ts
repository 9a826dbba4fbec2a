// The one place that decides which database a command talks to: DATABASE_URL from the environment,
// else from .env or --env-file (src/cli/envFile.ts), is a PostgreSQL server (@prisma/adapter-pg);
// with neither, an embedded PostgreSQL (PGlite) in a directory, .data/pglite by default.
import { isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_ENV_FILE, NO_DOTENV_ENV, readDatabaseUrlFile } from "../cli/envFile.js";
import { CommandError } from "../shared/errors.js";
import { DatabaseUrlError, parseDatabaseUrl, type PostgresTarget as ParsedDatabaseUrl } from "./databaseUrl.js";
import { ALLOW_REMOTE_ENV, refuseRemoteHost } from "./remoteGuard.js";

export interface PostgresTarget extends ParsedDatabaseUrl {
  /** Absolute path of the dotenv file DATABASE_URL was read from. */
  urlFile?: string;
  /** --env-file was given, but DATABASE_URL in the environment won. */
  envFileIgnored?: boolean;
}

export interface EmbeddedTarget {
  kind: "embedded";
  /** Absolute path of the data directory (created on first use). */
  dataDir: string;
  schema: string;
  /** Where DATABASE_URL was looked for in vain, for the error when this database turns out empty. */
  soughtUrl?: string;
}

export type DatabaseTarget = PostgresTarget | EmbeddedTarget;

/** Overrides where the embedded database lives (a directory; relative to the current directory). */
export const DATA_DIR_ENV = "PGLITE_DATA_DIR";

/** The project's own embedded database: `.data/pglite` in the repository (git-ignored). */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL("../../.data/pglite", import.meta.url));

export interface TargetOptions {
  allowRemote?: boolean;
  /** --data-dir was given (only used when DATABASE_URL is unset). */
  dataDir?: string;
  /** --env-file was given: read DATABASE_URL from it (not .env) when the environment has none. */
  envFile?: string;
}

/** See the header; a remote host is refused here, before anything connects. */
export function resolveDatabaseTarget(options: TargetOptions = {}, env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const fromEnvironment = env.DATABASE_URL;
  // An unreadable --env-file is refused even when the environment wins: the flag asked for it.
  const fromFile = fromEnvironment && options.envFile === undefined ? undefined : readDatabaseUrlFile(options.envFile, env);
  const raw = fromEnvironment || fromFile?.url;
  if (!raw) {
    const dir = options.dataDir ?? (env[DATA_DIR_ENV] || undefined);
    const file = env[NO_DOTENV_ENV] === "1"
      ? `; ${DEFAULT_ENV_FILE} left unread (${NO_DOTENV_ENV}=1)`
      : `, nor in ${resolve(DEFAULT_ENV_FILE)} (${DEFAULT_ENV_FILE} is read from the folder the command runs in)`;
    return { kind: "embedded", dataDir: dir ? resolve(dir) : DEFAULT_DATA_DIR, schema: "public", soughtUrl: `not in the environment${file}` };
  }
  const urlFile = fromEnvironment ? undefined : fromFile?.path;
  if (options.dataDir !== undefined) {
    throw new CommandError(
      urlFile
        ? `--data-dir is for the embedded database, and ${displayPath(urlFile)} sets DATABASE_URL: ` +
            `set ${NO_DOTENV_ENV}=1 (or move that file) to use the embedded database`
        : "--data-dir is for the embedded database: unset DATABASE_URL to use it",
    );
  }
  const target: PostgresTarget = parseUrl(raw, urlFile);
  if (urlFile) target.urlFile = urlFile;
  if (fromEnvironment && options.envFile !== undefined) target.envFileIgnored = true;
  refuseRemoteHost(target.host, options.allowRemote === true || env[ALLOW_REMOTE_ENV] === "1");
  return target;
}

/** Parses the URL; a bad one from a file says which file (never the URL: it may hold a password). */
function parseUrl(raw: string, urlFile: string | undefined): PostgresTarget {
  try {
    return parseDatabaseUrl(raw);
  } catch (error) {
    if (urlFile && error instanceof DatabaseUrlError) {
      throw new DatabaseUrlError(`${error.message}, in ${displayPath(urlFile)}`);
    }
    throw error;
  }
}

/** The line every command prints first: which database, never a password. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === "embedded") {
    const schema = target.schema === "public" ? "" : ` (schema ${target.schema})`;
    return `database: embedded PGlite at ${displayPath(target.dataDir)}${schema}`;
  }
  const source = target.urlFile
    ? `, from ${displayPath(target.urlFile)}`
    : target.envFileIgnored
      ? ", from the environment (which wins over --env-file)"
      : "";
  return `database: ${target.redacted} (schema ${target.schema})${source}`;
}

/** The error of a command that found no DATABASE_URL and an empty embedded database: most likely
 *  it was meant for a server (a .env in another folder, say), or the embedded one was never set up. */
export function emptyEmbeddedDatabase(target: EmbeddedTarget): string {
  return (
    `no DATABASE_URL found (${target.soughtUrl ?? "not in the environment"}), so this used the embedded database at ` +
    `${displayPath(target.dataDir)}, which is empty: run npm start to set it up and fill it, or set DATABASE_URL ` +
    "(or pass --env-file PATH) to use your PostgreSQL database"
  );
}

/** A path as the user would type it: relative to the current directory when it lies inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
