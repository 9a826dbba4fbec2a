// DATABASE_URL from `.env` or `--env-file PATH` when the environment has none; process.env is untouched. The
// platform's backend/.env builds it from other entries (${DB_USER}...): they are expanded, the environment winning.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import dotenv from "dotenv";
import { expand } from "dotenv-expand";
import { CommandError, UsageError } from "../shared/errors.js";

/** `NO_DOTENV=1` leaves `.env` unread (tests set it, so a developer's .env never leaks into them). */
export const NO_DOTENV_ENV = "NO_DOTENV";

export const DEFAULT_ENV_FILE = ".env";

/** From `explicitPath` (a UsageError unless readable and set), else .env here unless NO_DOTENV=1. */
export function readDatabaseUrlFile(
  explicitPath: string | undefined,
  env: NodeJS.ProcessEnv,
): { url: string; path: string } | undefined {
  if (explicitPath === undefined && env[NO_DOTENV_ENV] === "1") return undefined;
  const path = resolve(explicitPath ?? DEFAULT_ENV_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && explicitPath === undefined) return undefined;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (code ?? "unreadable");
    if (explicitPath !== undefined) throw new UsageError(`--env-file ${explicitPath}: cannot read it (${reason})`);
    throw new CommandError(
      `cannot read ${DEFAULT_ENV_FILE} (${reason}): fix it, or set ${NO_DOTENV_ENV}=1 to leave it unread`,
    );
  }
  // expand() writes every entry into processEnv: hand it a copy (of the variables set), never process.env itself.
  const processEnv = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
  const { parsed } = expand({ parsed: dotenv.parse(text), processEnv: processEnv as Record<string, string> });
  const url = parsed?.DATABASE_URL;
  if (!url && explicitPath !== undefined) throw new UsageError(`--env-file ${explicitPath} sets no DATABASE_URL`);
  return url ? { url, path } : undefined;
}
