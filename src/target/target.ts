// The one place that decides which database a command talks to: DATABASE_URL (the environment's, else from .env
// or --env-file) is a PostgreSQL server; with none, an embedded PostgreSQL (PGlite), .data/pglite by default.
import { isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_ENV_FILE, NO_DOTENV_ENV, readDatabaseUrlFile } from "./envFile.js";
import { CommandError } from "../shared/errors.js";
import { isIP } from "node:net";
import { IDENTIFIER_RULE, isPlainIdentifier } from "../shared/identifier.js";

export interface EmbeddedTarget {
  kind: "embedded";
  /** Absolute path of the data directory (created on first use). */
  dataDir: string;
  schema: string;
  /** The error of a command that needs the store's tables, when this database (no DATABASE_URL) is empty. */
  emptyError?: string;
}

export type DatabaseTarget = PostgresTarget | EmbeddedTarget;

/** Overrides where the embedded database lives (relative to the current directory). */
export const DATA_DIR_ENV = "PGLITE_DATA_DIR";

export interface TargetOptions {
  allowRemote?: boolean;
  dataDir?: string;
  envFile?: string;
}

/** See the header; a remote host is refused here, before anything connects. */
export function resolveDatabaseTarget(
  options: TargetOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): DatabaseTarget {
  const fromEnvironment = env.DATABASE_URL;
  // An unreadable --env-file is refused even when the environment wins: the flag asked for it.
  const fromFile =
    fromEnvironment && options.envFile === undefined ? undefined : readDatabaseUrlFile(options.envFile, env);
  const raw = fromEnvironment || fromFile?.url;
  if (!raw) {
    const dir = options.dataDir ?? (env[DATA_DIR_ENV] || undefined);
    const dataDir = dir ? resolve(dir) : fileURLToPath(new URL("../../.data/pglite", import.meta.url));
    const file =
      env[NO_DOTENV_ENV] === "1"
        ? `; ${DEFAULT_ENV_FILE} left unread (${NO_DOTENV_ENV}=1)`
        : `, nor in ${resolve(DEFAULT_ENV_FILE)} (${DEFAULT_ENV_FILE} is read from the folder the command runs in)`;
    const emptyError =
      `no DATABASE_URL found (not in the environment${file}), so this used the embedded database at ` +
      `${displayPath(dataDir)}, which is empty: run npm start to set it up and fill it, or set DATABASE_URL ` +
      "(or pass --env-file PATH) to use your PostgreSQL database";
    return { kind: "embedded", dataDir, schema: "public", emptyError };
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
  const target = parseDatabaseUrl(raw, urlFile);
  if (urlFile) target.source = `, from ${displayPath(urlFile)}`;
  else if (options.envFile !== undefined) target.source = ", from the environment (which wins over --env-file)";
  // This tool writes fake data: a database on another machine is refused unless the user says so.
  if (!isLocalHost(target.host) && !options.allowRemote && env[ALLOW_REMOTE_ENV] !== "1") {
    throw new CommandError(
      `refusing to write test data to ${target.host}, which is not this machine: pass --allow-remote ` +
        `(or set ${ALLOW_REMOTE_ENV}=1) if that database is really meant for test data`,
    );
  }
  return target;
}

/** The line every command prints first: which database, never a password. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === "embedded") {
    const schema = target.schema === "public" ? "" : ` (schema ${target.schema})`;
    return `database: embedded PGlite at ${displayPath(target.dataDir)}${schema}`;
  }
  return `database: ${target.redacted} (schema ${target.schema})${target.source ?? ""}`;
}

/** A path as the user would type it: relative to the current directory when it lies inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

const ALLOW_REMOTE_ENV = "ALLOW_REMOTE_DATABASE";

export function isLocalHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "" || h.startsWith("/") || h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) return h === "::1" || h === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(h);
  return false;
}

// DATABASE_URL, parsed once. `?schema=NAME` is Prisma's convention (the platform uses
// `?schema=platform`); the pg driver doesn't know it, so it is taken out and applied as search_path.

export interface PostgresTarget {
  kind: "postgres";
  connectionString: string;
  schema: string;
  host: string;
  /** The URL with any password replaced by `***`: the only form ever printed. */
  redacted: string;
  /** Where DATABASE_URL came from, as describeTarget says it (the dotenv file, or the environment over --env-file). */
  source?: string;
}

export class DatabaseUrlError extends Error {}

/** A bad URL is refused in one line that never holds the URL (it may hold a password), naming `urlFile`. */
export function parseDatabaseUrl(raw: string, urlFile?: string): PostgresTarget {
  const refuse = (message: string) =>
    new DatabaseUrlError(urlFile ? `${message}, in ${displayPath(urlFile)}` : message);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse("DATABASE_URL is not a valid URL (expected postgresql://user@host:port/database)");
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
    throw refuse(`DATABASE_URL must start with postgresql:// (got ${url.protocol}//)`);
  }
  const schema = url.searchParams.get("schema") || "public";
  // It goes into SQL (search_path, CREATE SCHEMA): refuse it now rather than fail mid-command.
  if (!isPlainIdentifier(schema)) {
    throw refuse(
      `DATABASE_URL's ?schema= must be a plain schema name (${IDENTIFIER_RULE}); got ${JSON.stringify(schema)}`,
    );
  }
  const redacted = new URL(url);
  if (redacted.password) redacted.password = "***";
  for (const key of [...redacted.searchParams.keys()]) {
    if (/pass/i.test(key)) redacted.searchParams.set(key, "***");
  }
  url.searchParams.delete("schema");
  // Ours names our connections (sqlSession.ts): one in the URL would hide them from the lock-wait watcher.
  url.searchParams.delete("application_name");
  // A Unix socket is given as ?host=/path (the URL's host part is then empty).
  const host = url.searchParams.get("host") || decodeURIComponent(url.hostname) || "localhost";
  return { kind: "postgres", connectionString: url.toString(), schema, host, redacted: redacted.toString() };
}
