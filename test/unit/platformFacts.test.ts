// The creator's and the updater's writes against the catalog facts of every platform state
// (test/fixtures/platform-schema/<state>/columns.tsv), without a database: every column we need is
// there, and every NOT NULL column without a default is one we fill. The same check the preflight
// runs on a live database (src/schema/targetShape.ts), fed with the facts instead of the catalog.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { CREATOR_WRITES, UPDATER_WRITES } from "../../src/schema/storeColumns.js";
import { TargetShape, type ColumnFacts } from "../../src/schema/targetShape.js";
import { platformFactsDir, type PlatformFactsState } from "../support/platformCatalog.js";

const STATES: PlatformFactsState[] = ["v0.6.12", "v0.6.44", "dev-2026-05-11", "org-2026-05-11"];

/** The state's tables as the preflight reads them: column -> NOT NULL, filled by a default, type. */
function factsShape(
  state: PlatformFactsState,
  change?: (tables: Map<string, Map<string, ColumnFacts>>) => void,
): TargetShape {
  const lines = readFileSync(join(platformFactsDir(state), "columns.tsv"), "utf8")
    .split("\n")
    .slice(1)
    .filter(Boolean);
  const tables = new Map<string, Map<string, ColumnFacts>>();
  for (const [table, column, type, nullable, byDefault] of lines.map((l) => l.split("\t"))) {
    const columns = tables.get(table!) ?? new Map<string, ColumnFacts>();
    // format_type quotes an enum's mixed-case name; the preflight reads it bare (typname).
    const isEnum = type!.startsWith('"');
    columns.set(column!, {
      notNull: nullable === "NO",
      filledByDatabase: (byDefault ?? "") !== "",
      type: isEnum ? type!.slice(1, -1) : type!,
      isEnum,
    });
    tables.set(table!, columns);
  }
  change?.(tables);
  return new TargetShape(tables);
}

describe("the writes fit every platform state's facts", () => {
  for (const state of STATES) {
    test(`${state}: the creator and the updater can write it whole`, () => {
      const shape = factsShape(state);
      assert.deepEqual(shape.problems(CREATOR_WRITES), []);
      assert.deepEqual(shape.problems(UPDATER_WRITES), []);
    });
  }

  test("the organisation ids are written only where the organisation tables are", () => {
    const org = factsShape("org-2026-05-11");
    assert.ok(org.hasOrganizations);
    assert.ok(
      org
        .columns("AgentGraph", CREATOR_WRITES.find((w) => w.table === "AgentGraph")!.columns)
        .some((c) => c.name === "organizationId"),
    );
    // The same columns without the tables (a half-applied branch): not ours to fill, so refused.
    const orphaned = factsShape("org-2026-05-11", (tables) => tables.delete("Organization"));
    assert.equal(orphaned.hasOrganizations, false);
    assert.deepEqual(
      orphaned.problems(UPDATER_WRITES).map((p) => p.split(" is ")[0]),
      ["column AgentGraphExecution.organizationId"],
    );
  });

  test("every problem is named at once", () => {
    const shape = factsShape("v0.6.44", (tables) => {
      tables
        .get("AgentGraphExecution")!
        .set("tenantId", { notNull: true, filledByDatabase: false, type: "text", isEnum: false });
      tables
        .get("StoreListingReview")!
        .set("tenantId", { notNull: true, filledByDatabase: false, type: "text", isEnum: false });
      tables.get("StoreListingReview")!.delete("score");
      tables.delete("AgentNodeExecution");
    });
    assert.deepEqual(
      shape.problems(UPDATER_WRITES).map((p) => p.split(":")[0]),
      [
        "column AgentGraphExecution.tenantId is NOT NULL without a default, and this tool doesn't fill it",
        "table AgentNodeExecution is missing",
        "column StoreListingReview.score is missing",
        "column StoreListingReview.tenantId is NOT NULL without a default, and this tool doesn't fill it",
      ],
    );
  });

  test("a timestamp column of another precision takes the tool's timestamps (whole milliseconds)", () => {
    const shape = factsShape("v0.6.44", (tables) => {
      const reviews = tables.get("StoreListingReview")!;
      reviews.set("createdAt", { ...reviews.get("createdAt")!, type: "timestamp(6) without time zone" });
    });
    assert.deepEqual(shape.problems(UPDATER_WRITES), []);
  });

  test("a column of a type the bulk path can't send is refused, with its type", () => {
    const shape = factsShape("v0.6.44", (tables) => {
      const reviews = tables.get("StoreListingReview")!;
      reviews.set("score", { ...reviews.get("score")!, type: "numeric(4,1)" });
    });
    assert.deepEqual(shape.problems(UPDATER_WRITES), [
      "column StoreListingReview.score has type numeric(4,1), which this tool can't write",
    ]);
  });
});
