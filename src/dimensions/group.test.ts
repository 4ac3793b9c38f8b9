import { describe, expect, it } from "vitest";
import { DimensionNameError } from "../errors.ts";
import { defaultUniverse } from "./default-universe.ts";

const universe = defaultUniverse();
const group = (...names: string[]) => universe.conform(names);

describe("DimensionGroup", () => {
  it("expands to dependencies, sorted in universe order", () => {
    const visit = group("visit");
    expect(visit.names).toEqual(["band", "instrument", "day_obs", "physical_filter", "visit"]);
    expect(visit.required).toEqual(["instrument", "visit"]);
    expect(visit.implied).toEqual(["band", "day_obs", "physical_filter"]);
    expect(visit.dataCoordinateKeys).toEqual(["instrument", "visit", "band", "day_obs", "physical_filter"]);
  });

  it("splits required from implied per group", () => {
    expect(group("physical_filter").required).toEqual(["instrument", "physical_filter"]);
    expect(group("physical_filter").implied).toEqual(["band"]);
    expect(group("visit").implied).toContain("physical_filter");
  });

  it("orders data ID keys as daf_butler's CLI prints them", () => {
    expect(group("visit", "detector").dataCoordinateKeys).toEqual([
      "instrument",
      "detector",
      "visit",
      "band",
      "day_obs",
      "physical_filter",
    ]);
    expect(group("instrument", "detector", "physical_filter").dataCoordinateKeys).toEqual([
      "instrument",
      "detector",
      "physical_filter",
      "band",
    ]);
  });

  it("includes join elements whose dimensions are all present", () => {
    expect(group("visit", "detector").elements).toContain("visit_detector_region");
    expect(group("visit").elements).not.toContain("visit_detector_region");
    expect(group("exposure", "visit").elements).toContain("visit_definition");
    expect(group("visit", "detector").hasElement("visit_detector_region")).toBe(true);
    expect(group("visit", "detector").hasDimension("visit_detector_region")).toBe(false);
  });

  it("lists governors, skypix dimensions and topological families", () => {
    const g = group("htm7", "tract", "visit", "detector");
    expect(g.governors).toEqual(["instrument", "skymap"]);
    expect(g.skypix).toEqual(["htm7"]);
    expect(g.spatial.map(String)).toEqual(["htm", "skymap_regions", "observation_regions"]);
    expect(g.temporal.map(String)).toEqual(["observation_timespans"]);
    expect(group("detector").spatial).toEqual([]);
  });

  it("orders record lookups so implying elements come first", () => {
    expect(group("visit", "detector").lookupOrder).toEqual([
      "instrument",
      "detector",
      "visit",
      "day_obs",
      "physical_filter",
      "band",
      "visit_detector_region",
    ]);
  });

  it("is cached: one object per set of dimensions", () => {
    expect(group("detector", "visit")).toBe(group("visit", "detector", "instrument"));
    expect(universe.conform(group("visit"))).toBe(group("visit"));
    expect(universe.empty.names).toEqual([]);
    expect(universe.conform([])).not.toBe(undefined);
  });

  it("has set algebra", () => {
    const vd = group("visit", "detector");
    const ed = group("exposure", "detector");
    expect(vd.union(ed)).toBe(group("visit", "exposure", "detector"));
    expect(group("visit").union(group("detector")).elements).toContain("visit_detector_region");
    expect(vd.intersection(ed)).toBe(group("detector", "physical_filter", "day_obs"));
    expect(vd.difference(group("detector"))).toBe(group("visit"));
    expect(group("visit").isSubsetOf(vd)).toBe(true);
    expect(vd.isSupersetOf(group("detector"))).toBe(true);
    expect(vd.isSubsetOf(ed)).toBe(false);
    expect(group("tract").isDisjointFrom(group("detector"))).toBe(true);
    expect(vd.equals(group("detector", "visit"))).toBe(true);
    expect(String(group("detector"))).toBe("{instrument, detector}");
  });

  it("rejects unknown dimensions and join elements with typed errors", () => {
    expect(() => group("visitt")).toThrow(DimensionNameError);
    expect(() => group("visitt")).toThrow('Unknown dimension "visitt" in universe daf_butler@8');
    expect(() => group("visit_detector_region")).toThrow("is a dimension element but not a dimension");
  });
});
