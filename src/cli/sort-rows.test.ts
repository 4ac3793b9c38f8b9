import { describe, expect, it } from "vitest";
import { defaultUniverse } from "../dimensions/default-universe.ts";
import { compareCells, defaultSortKeys, sortRows } from "./sort-rows.ts";

describe("defaultSortKeys()", () => {
  const universe = defaultUniverse();

  it("puts the required dimensions of spatial and temporal dimensions first, as sortAstropyTable", () => {
    const columns = universe.conform(["visit", "detector"]).dataCoordinateKeys;
    expect(columns).toEqual(["instrument", "detector", "visit", "band", "day_obs", "physical_filter"]);
    expect(defaultSortKeys(universe, columns)).toEqual([
      "instrument",
      "visit",
      "day_obs",
      "detector",
      "band",
      "physical_filter",
    ]);
  });

  it("keeps sort_first in front and names each column once", () => {
    expect(defaultSortKeys(universe, ["instrument", "detector"], ["type", "run"])).toEqual([
      "type",
      "run",
      "instrument",
      "detector",
    ]);
    expect(defaultSortKeys(universe, ["skymap", "tract", "patch"])).toEqual(["skymap", "tract", "patch"]);
  });
});

describe("sortRows()", () => {
  it("sorts numbers numerically and text by code point, first key first, stably", () => {
    const rows = [
      ["b", 10, "x"],
      ["a", 9, "y"],
      ["a", 10, "z"],
      ["B", 2, "w"],
      ["a", 9, "v"],
    ];
    expect(sortRows(["s", "n", "t"], rows, ["s", "n"])).toEqual([
      ["B", 2, "w"],
      ["a", 9, "y"],
      ["a", 9, "v"],
      ["a", 10, "z"],
      ["b", 10, "x"],
    ]);
  });

  it("ignores keys that are not columns and puts nulls last", () => {
    expect(sortRows(["n"], [[null], [3], [1]], ["missing", "n"])).toEqual([[1], [3], [null]]);
    expect(compareCells(2, 10)).toBeLessThan(0);
    expect(compareCells("2", "10")).toBeGreaterThan(0);
  });
});
