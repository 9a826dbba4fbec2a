// Generates the Prisma Client into src/generated/prisma (run by `npm ci` as postinstall).
// `prisma generate` refuses to start unless it can find its schema engine binary, which it would
// otherwise download; generate never runs that binary, so any existing file will do. Where the
// variable is already set (or the engines are installed), it is left alone.
import { spawnSync } from "node:child_process";

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
const result = spawnSync("prisma", ["generate"], { stdio: "inherit", env, shell: process.platform === "win32" });
process.exit(result.status ?? 1);
