import { describe, expect, it } from "vitest";
import { describeWithFixtures, fixturePath } from "../../../../test/support/shared-fixtures.ts";
import defaultDocument from "../../../dimensions/default-universe.json" with { type: "json" };
import { defaultUniverse } from "../../../dimensions/default-universe.ts";
import { loadDimensionUniverse } from "../../../dimensions/load-universe.ts";
import { DimensionUniverse } from "../../../dimensions/universe.ts";
import { ConfigError } from "../../../errors.ts";
import type { TableSpec } from "../table-spec.ts";
import { dimensionForeignKey, dimensionTables } from "./dimension-tables.ts";

function byName(tables: readonly TableSpec[]): Map<string, TableSpec> {
  return new Map(tables.map((table) => [table.name, table]));
}

describe("dimensionTables()", () => {
  const universe = defaultUniverse();
  const tables = byName(dimensionTables(universe));

  it("gives every element with its own table one, with columns in record-field order", () => {
    for (const element of universe.elements) {
      const table = tables.get(element.name);
      expect(table !== undefined, element.name).toBe(element.hasOwnTable);
      if (table === undefined) continue;
      expect(table.columns.map((c) => c.name)).toEqual(element.recordFields);
      expect(table.primaryKey).toEqual(element.required.map((d) => element.keyField(d.name)));
    }
    expect(tables.has("band")).toBe(false);
    expect(tables.has("htm7")).toBe(false);
  });

  it("refers to the tables of required and implied dimensions, but never to band, which has none", () => {
    expect(tables.get("exposure")?.foreignKeys.map((fk) => fk.table)).toEqual([
      "instrument",
      "day_obs",
      "group",
      "physical_filter",
    ]);
    expect(tables.get("physical_filter")?.columns.map((c) => c.name)).toContain("band");
    expect(tables.get("physical_filter")?.foreignKeys.map((fk) => fk.table)).toEqual(["instrument"]);
    expect(tables.get("subfilter")?.foreignKeys).toEqual([]);
    expect(dimensionForeignKey(universe.dimension("band"))).toBeNull();
    expect(dimensionForeignKey(universe.dimension("patch"))).toEqual({
      table: "patch",
      source: ["skymap", "tract", "patch"],
      target: ["skymap", "tract", "id"],
      addIndex: true,
    });
  });

  it("makes alternate keys unique with the required dependencies, and leaves them and metadata nullable", () => {
    const detector = tables.get("detector") as TableSpec;
    expect(detector.unique).toEqual([["instrument", "full_name"]]);
    expect(detector.columns.find((c) => c.name === "full_name")).toMatchObject({
      nullable: true,
      length: 32,
    });
    // daf_butler drops a metadata column's `nullable: false` when it makes the SQL column.
    expect(tables.get("patch")?.columns.find((c) => c.name === "cell_x")).toMatchObject({ nullable: true });
    expect(tables.get("visit")?.columns.find((c) => c.name === "physical_filter")).toMatchObject({
      nullable: false,
    });
    expect(tables.get("skymap")?.columns.find((c) => c.name === "hash")).toMatchObject({
      type: "hash",
      nbytes: 40,
    });
  });

  it("adds skypix overlap tables for spatial elements and a pair of legacy tables per cross-family pair", () => {
    const overlapNames = [...tables.keys()].filter((name) => name.includes("overlap"));
    expect(overlapNames.sort()).toEqual(
      [
        ...["tract", "patch", "visit", "visit_detector_region"].flatMap((e) => [
          `${e}_skypix_overlap`,
          `${e}_skypix_overlap_summary`,
        ]),
        ...[
          "tract_visit",
          "tract_visit_detector_region",
          "patch_visit",
          "patch_visit_detector_region",
        ].flatMap((pair) => [`${pair}_overlap`, `${pair}_overlap_summary`]),
      ].sort(),
    );
    const overlap = tables.get("visit_detector_region_skypix_overlap") as TableSpec;
    expect(overlap.primaryKey).toEqual([
      "skypix_system",
      "skypix_level",
      "instrument",
      "detector",
      "visit",
      "skypix_index",
    ]);
    expect(overlap.indexes).toEqual([
      ["skypix_system", "skypix_level", "skypix_index", "instrument", "detector", "visit"],
    ]);
    expect(overlap.foreignKeys[0]).toMatchObject({
      table: "visit_detector_region_skypix_overlap_summary",
      source: ["skypix_system", "skypix_level", "instrument"],
      onDelete: "CASCADE",
    });
    expect(tables.get("patch_visit_detector_region_overlap")?.primaryKey).toEqual([
      "skymap",
      "instrument",
      "tract",
      "patch",
      "detector",
      "visit",
    ]);
  });

  it("adds a collection summary table per governor", () => {
    const summaries = [...tables.keys()].filter((name) => name.startsWith("collection_summary_"));
    expect(summaries).toEqual(universe.governors.map((g) => `collection_summary_${g.name}`));
    expect(tables.get("collection_summary_skymap")?.primaryKey).toEqual(["collection_id", "skymap"]);
  });

  it("rejects two spatial families under one governor, which daf_butler's overlap tables cannot hold", () => {
    const document = structuredClone(defaultDocument) as { topology: { spatial: Record<string, string[]> } };
    document.topology.spatial = {
      detector_regions: ["visit_detector_region"],
      visit_regions: ["visit"],
      skymap_regions: ["patch", "tract"],
    };
    const universe = DimensionUniverse.fromDocument(document);
    expect(() => dimensionTables(universe)).toThrow(ConfigError);
    expect(() => dimensionTables(universe)).toThrow(
      'topology.spatial: spatial elements "visit" and "visit_detector_region" are in different families but share governor "instrument"',
    );
  });
});

describeWithFixtures("dimensionTables() of older universes", () => {
  it("derives every table from the universe it is given", async () => {
    const universe = await loadDimensionUniverse(fixturePath("dimensions", "daf_butler_universe2.yaml"));
    const tables = byName(dimensionTables(universe));
    expect(tables.has("day_obs")).toBe(false);
    expect(tables.get("instrument")?.columns[0]).toMatchObject({ name: "name", type: "string", length: 16 });
    expect(tables.get("visit")?.columns.find((c) => c.name === "instrument")).toMatchObject({ length: 16 });
  });
});
