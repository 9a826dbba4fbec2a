// DATABASE_URL from `.env` or `--env-file PATH` when the environment has none. The platform's
// backend/.env builds it from other entries (${DB_USER}...), so references are expanded, the
// environment winning as in dotenv-expand. Only DATABASE_URL is taken; process.env is untouched.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import dotenv from "dotenv";
import { expand } from "dotenv-expand";
import { CommandError, UsageError } from "../shared/errors.js";

/** `NO_DOTENV=1` leaves `.env` unread (tests set it, so a developer's .env never leaks into them). */
export const NO_DOTENV_ENV = "NO_DOTENV";

export const DEFAULT_ENV_FILE = ".env";

export interface UrlFromFile {
  url: string;
  /** The file's absolute path. */
  path: string;
}

/** From `explicitPath` (a UsageError unless readable and set), else `cwd`/.env unless NO_DOTENV=1. */
export function readDatabaseUrlFile(
  explicitPath: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): UrlFromFile | undefined {
  if (explicitPath !== undefined) {
    const path = resolve(cwd, explicitPath);
    const read = readText(path);
    if (typeof read !== "string") throw new UsageError(`--env-file ${explicitPath}: cannot read it (${read.reason})`);
    const url = databaseUrlIn(read, env);
    if (!url) throw new UsageError(`--env-file ${explicitPath} sets no DATABASE_URL`);
    return { url, path };
  }
  if (env[NO_DOTENV_ENV] === "1") return undefined;
  const path = resolve(cwd, DEFAULT_ENV_FILE);
  const read = readText(path);
  if (typeof read !== "string") {
    if (read.missing) return undefined;
    throw new CommandError(
      `cannot read ${DEFAULT_ENV_FILE} (${read.reason}): fix it, or set ${NO_DOTENV_ENV}=1 to leave it unread`,
    );
  }
  const url = databaseUrlIn(read, env);
  return url ? { url, path } : undefined;
}

function readText(path: string): string | { reason: string; missing: boolean } {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (code ?? "unreadable");
    return { reason, missing: code === "ENOENT" };
  }
}

/** The file's DATABASE_URL with ${VAR} references expanded; undefined when unset or empty. */
export function databaseUrlIn(text: string, env: NodeJS.ProcessEnv): string | undefined {
  const parsed = dotenv.parse(text);
  if (!parsed.DATABASE_URL) return undefined;
  // expand() writes every entry into processEnv: hand it a copy, never process.env itself.
  const processEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) processEnv[key] = value;
  const { parsed: expanded } = expand({ parsed, processEnv });
  return expanded?.DATABASE_URL || undefined;
}
