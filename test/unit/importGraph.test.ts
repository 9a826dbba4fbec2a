// The source's import graph has no cycles (type-only imports included: a cycle of types today is
// a cycle of values tomorrow), and domain code never draws on the terminal itself.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("../../src", import.meta.url));

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
    const targets = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/gms)]
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
  assert.deepEqual(findCycle(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]]])), ["a", "b", "c", "a"]);
});

test("domain code (create, update, store, ledger, views, db, shared) doesn't draw on the terminal: progress goes through callbacks", () => {
  const offenders = [...importGraph()].flatMap(([file, targets]) => {
    const from = relative(SRC, file);
    if (!/^(create|update|store|ledger|views|db|shared)\//.test(from)) return [];
    return targets.filter((t) => /^cli\/(progress|runCommand)\.ts$/.test(relative(SRC, t))).map((t) => `${from} -> ${relative(SRC, t)}`);
  });
  assert.deepEqual(offenders, []);
});
