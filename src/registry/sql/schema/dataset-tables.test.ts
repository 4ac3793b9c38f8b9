import { describe, expect, it } from "vitest";
import { defaultUniverse } from "../../../dimensions/default-universe.ts";
import { TAI_MAX_NS, TAI_MIN_NS } from "../../../time/tai-range.ts";
import {
  datasetCalibsTable,
  datasetCalibsTableName,
  datasetTagsTable,
  datasetTagsTableName,
} from "./dataset-tables.ts";

const universe = defaultUniverse();

describe("dataset tables", () => {
  it("are named by the zero-padded key of their dimension group", () => {
    expect(datasetTagsTableName(7)).toBe("dataset_tags_00000007");
    expect(datasetCalibsTableName(123456789)).toBe("dataset_calibs_123456789");
    expect(() => datasetTagsTableName(-1)).toThrow(
      new RangeError("dimensions key must be a non-negative integer, not -1"),
    );
    expect(() => datasetCalibsTable(universe.empty, 1.5)).toThrow(RangeError);
  });

  it("datasetTagsTable() has one column per required dimension, unique per type, collection and data ID", () => {
    const tags = datasetTagsTable(universe.conform(["visit", "detector"]), 3);
    expect(tags.name).toBe("dataset_tags_00000003");
    expect(tags.columns.map((c) => c.name)).toEqual([
      "dataset_type_id",
      "dataset_id",
      "collection_id",
      "instrument",
      "detector",
      "visit",
    ]);
    expect(tags.columns.every((c) => !c.nullable)).toBe(true);
    expect(tags.primaryKey).toEqual(["dataset_id", "collection_id"]);
    expect(tags.unique).toEqual([["dataset_type_id", "collection_id", "instrument", "detector", "visit"]]);
    expect(tags.foreignKeys.map((fk) => [fk.table, fk.source.join(","), fk.onDelete])).toEqual([
      ["dataset_type", "dataset_type_id", undefined],
      ["dataset", "dataset_id", "CASCADE"],
      ["collection", "collection_id", "CASCADE"],
      ["collection_summary_dataset_type", "collection_id,dataset_type_id", undefined],
      ["instrument", "instrument", undefined],
      ["collection_summary_instrument", "collection_id,instrument", undefined],
      ["detector", "instrument,detector", undefined],
      ["visit", "instrument,visit", undefined],
    ]);
  });

  it("refer to no table for a dimension that has none", () => {
    const tags = datasetTagsTable(universe.conform(["band"]), 9);
    expect(tags.columns.map((c) => c.name)).toContain("band");
    expect(tags.foreignKeys.map((fk) => fk.table)).not.toContain("band");
  });

  it("datasetCalibsTable() adds a key and an unbounded validity range that may not overlap", () => {
    const calibs = datasetCalibsTable(universe.conform(["detector", "physical_filter"]), 1);
    expect(calibs.name).toBe("dataset_calibs_00000001");
    expect(calibs.columns[0]).toEqual({ name: "id", type: "bigint", nullable: false, autoincrement: true });
    expect(calibs.columns.at(-1)).toEqual({
      name: "timespan",
      type: "timespan",
      nullable: false,
      default: [TAI_MIN_NS, TAI_MAX_NS],
    });
    expect(calibs.primaryKey).toEqual(["id"]);
    expect(calibs.unique).toEqual([]);
    expect(calibs.exclusions).toEqual([
      {
        equal: ["dataset_type_id", "collection_id", "instrument", "detector", "physical_filter"],
        overlap: "timespan",
      },
    ]);
  });
});
