// The commands the tests start as child processes run as JavaScript: esbuild (the compiler tsx runs)
// transpiles src/ file by file, once per test run, into a folder of the run that also links the
// repository's package.json, prisma/ and node_modules/, so a module finds what it locates from its own
// URL (MIGRATIONS_DIR, DEFAULT_DATA_DIR) as it does in the repository. Each file is compiled as tsx
// compiles it; a child started through tsx spends ~0.6 s more CPU on tsx's loader (README, Tests).
import { readdirSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { ROOT } from "./repository.js";
import { sharedRunFolder } from "./templates.js";

/** Spawned by a test, besides the commands in src/. */
const TEST_SCRIPTS = ["test/support/lockContender.ts"];

const compiledTree = await sharedRunFolder("commands_js", async (dir) => {
  const sources = readdirSync(join(ROOT, "src"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => join(ROOT, "src", file));
  await build({
    entryPoints: [...sources, ...TEST_SCRIPTS.map((script) => join(ROOT, script))],
    outdir: dir,
    outbase: ROOT,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
  for (const name of ["package.json", "prisma", "node_modules"]) symlinkSync(join(ROOT, name), join(dir, name));
});

/**
 * V8 flags for the tests' short-lived processes (npm test gives the test files the same, package.json):
 * baseline code only, for WebAssembly (PGlite's PostgreSQL) and JavaScript alike. Optimising compilers
 * pay off in a long run; a test's process spends more CPU compiling hot code than running it
 * (figures: README, Tests).
 */
export const TEST_NODE_FLAGS = ["--liftoff-only", "--no-opt"];

/** The compiled JavaScript of `script` (a path from the repository root, e.g. "src/start.ts"). */
export function compiledScript(script: string): string {
  return resolve(compiledTree, script.replace(/\.ts$/, ".js"));
}
