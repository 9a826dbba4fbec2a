// The source's import graph has no cycles (type-only imports included: a cycle of types today is
// a cycle of values tomorrow), its folders are layers that import only downwards, and a folder
// stays small enough to read.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import { ROOT } from "../support/repository.js";

const SRC = join(ROOT, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Each file's imports of other files of ours (relative specifiers, .js resolved to .ts). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, "utf8");
    const specifiers = [
      ...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/gms),
      ...text.matchAll(/\bimport\(\s*"(\.[^"]+)"\s*\)/g),
    ];
    const targets = specifiers
      .map((m) => resolve(dirname(file), m[1]!.replace(/\.js$/, ".ts")))
      .filter((target) => !target.includes(`${SRC}/generated/`));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === "done") return null;
    if (state.get(node) === "open") return [...path.slice(path.indexOf(node)), node];
    state.set(node, "open");
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, "done");
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

test("src has no import cycles", () => {
  const graph = importGraph();
  assert.ok(graph.size > 20, "the graph was read");
  const cycle = findCycle(graph);
  assert.equal(cycle, null, `import cycle: ${cycle?.map((f) => relative(SRC, f)).join(" -> ")}`);
});

test("the cycle finder finds a planted cycle", () => {
  assert.deepEqual(
    findCycle(
      new Map([
        ["a", ["b"]],
        ["b", ["c"]],
        ["c", ["a"]],
      ]),
    ),
    ["a", "b", "c", "a"],
  );
});

/** src's folders from the bottom up. A file imports from its own folder or from a lower layer; the
 *  entry points (src/*.ts) from any. So nothing below the entry points imports cli/. */
const LAYERS = [
  ["shared"],
  ["target"],
  ["connection"],
  ["embedded", "bulk"],
  ["schema"],
  ["migrate", "domain", "views"],
  ["create", "update"],
  ["cli"],
];

function layeringViolations(graph: Map<string, string[]>): string[] {
  const folderOf = (file: string) => relative(SRC, file).split("/").slice(0, -1).join("/");
  const rank = (folder: string) =>
    folder === "" ? LAYERS.length : LAYERS.findIndex((layer) => layer.includes(folder));
  return [...graph].flatMap(([file, targets]) => {
    const from = folderOf(file);
    return targets
      .filter((target) => folderOf(target) !== from && !(rank(folderOf(target)) < rank(from)))
      .map((target) => `${relative(SRC, file)} -> ${relative(SRC, target)}`);
  });
}

test("folders are layers: lower ones never import higher ones, nothing below the entry points imports cli/", () => {
  const graph = importGraph();
  const folders = new Set([...graph.keys()].map((file) => relative(SRC, file).split("/").slice(0, -1).join("/")));
  assert.deepEqual(
    [...folders].filter((folder) => folder !== "" && !LAYERS.flat().includes(folder)),
    [],
    "every folder has a layer",
  );
  assert.deepEqual(layeringViolations(graph), []);
});

test("the layering check finds a planted upward import", () => {
  const planted = new Map([
    [join(SRC, "target/target.ts"), [join(SRC, "cli/options.ts"), join(SRC, "shared/errors.ts")]],
  ]);
  assert.deepEqual(layeringViolations(planted), ["target/target.ts -> cli/options.ts"]);
});

test("no folder of src holds more than 12 files, no line more than 120 characters; no entry point shares its file name with another file", () => {
  const files = sourceFiles(SRC).map((file) => relative(SRC, file));
  const perFolder = new Map<string, number>();
  for (const file of files) perFolder.set(dirname(file), (perFolder.get(dirname(file)) ?? 0) + 1);
  assert.deepEqual(
    [...perFolder].filter(([, n]) => n > 12),
    [],
  );
  const long = files.flatMap((file) =>
    readFileSync(join(SRC, file), "utf8")
      .split("\n")
      .flatMap((line, i) => (line.length > 120 ? [`${file}:${i + 1} (${line.length})`] : [])),
  );
  assert.deepEqual(long, [], "lines over 120 characters (Prettier doesn't break strings or comments)");
  const entryPoints = files.filter((file) => !file.includes("/"));
  assert.deepEqual(
    files.filter((file) => file.includes("/") && entryPoints.some((entry) => file.endsWith(`/${entry}`))),
    [],
  );
});
