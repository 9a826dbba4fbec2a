// The tests' processes run JavaScript: esbuild (the compiler tsx runs) transpiles src/ and test/ file by
// file, once per test run, into a folder of the run that also links the repository's package.json,
// prisma/ and node_modules/, so a module finds what it locates from its own URL (MIGRATIONS_DIR,
// DEFAULT_DATA_DIR) as it does in the repository. Each file is compiled as tsx compiles it; a process
// started through tsx spends ~0.6 s more CPU on tsx's loader (README, Tests). npm test runs the test
// files' copies; the commands a test starts as child processes always run from here.
import { readdirSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { ROOT } from "./repository.js";
import { sharedRunFolder } from "./templates.js";

const compiledTree = await sharedRunFolder("compiled_js", async (dir) => {
  const sources = ["src", "test"].flatMap((folder) =>
    readdirSync(join(ROOT, folder), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => join(ROOT, folder, file)),
  );
  await build({
    entryPoints: sources,
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
 * V8 flags for the tests' short-lived processes (test/run.ts gives them to the test files too):
 * baseline code only, for WebAssembly (PGlite's PostgreSQL) and JavaScript alike. Optimising compilers
 * pay off in a long run; a test's process spends more CPU compiling hot code than running it
 * (figures: README, Tests).
 */
export const TEST_NODE_FLAGS = ["--liftoff-only", "--no-opt"];

/** The compiled JavaScript of `script` (a path from the repository root, e.g. "src/start.ts"). */
export function compiledScript(script: string): string {
  return resolve(compiledTree, script.replace(/\.ts$/, ".js"));
}
