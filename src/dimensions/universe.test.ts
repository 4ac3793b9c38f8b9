import { readFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { describeWithFixtures, fixturePath } from "../../test/support/shared-fixtures.ts";
import { ConfigError, DimensionNameError } from "../errors.ts";
import { defaultUniverse } from "./default-universe.ts";
import { Dimension, SkyPixDimension } from "./elements.ts";
import { loadDimensionUniverse } from "./load-universe.ts";
import { DimensionUniverse } from "./universe.ts";

const universe = defaultUniverse();

describe("the default universe", () => {
  it("is daf_butler's version 8", () => {
    expect(universe.namespace).toBe("daf_butler");
    expect(universe.version).toBe(8);
    expect(String(universe)).toBe("daf_butler@8");
    expect(universe.commonSkyPix.name).toBe("htm7");
    expect(defaultUniverse()).toBe(universe);
  });

  it("generates one skypix dimension per level of each system", () => {
    const [healpix, htm] = universe.skyPixSystems;
    expect([healpix?.name, htm?.name]).toEqual(["healpix", "htm"]);
    expect(htm?.dimensions.map((d) => d.name)).toEqual(Array.from({ length: 24 }, (_, i) => `htm${i + 1}`));
    expect(healpix?.level(17)?.name).toBe("healpix17");
    const htm7 = universe.dimension("htm7");
    expect(htm7).toBeInstanceOf(SkyPixDimension);
    expect(htm7.kind).toBe("skypix");
    expect(htm7.recordFields).toEqual(["id", "region"]);
    expect(htm7.spatial?.name).toBe("htm");
    expect(htm7.hasOwnTable).toBe(false);
  });

  it("orders elements as daf_butler does: dependency rounds, ties by name", () => {
    const names = universe.elements.filter((e) => e.kind !== "skypix").map((e) => e.name);
    expect(names).toEqual([
      "band",
      "instrument",
      "skymap",
      "ssp_hypothesis_table",
      "day_obs",
      "detector",
      "group",
      "physical_filter",
      "ssp_balanced_index",
      "ssp_hypothesis_bundle",
      "subfilter",
      "tract",
      "visit_system",
      "exposure",
      "patch",
      "visit",
      "visit_definition",
      "visit_detector_region",
      "visit_system_membership",
    ]);
    expect(universe.getElementIndex("band")).toBe(0);
    expect(universe.getElementIndex("healpix1")).toBe(1);
    expect(universe.getDimensionIndex("visit")).toBeLessThan(universe.dimensions.length);
  });

  it("describes each element's kind, keys, dependencies and flags", () => {
    const visit = universe.dimension("visit");
    expect(visit.kind).toBe("dimension");
    expect(visit.required.map(String)).toEqual(["instrument", "visit"]);
    expect(visit.implied.map(String)).toEqual(["day_obs", "physical_filter"]);
    expect(visit.primaryKey.name).toBe("id");
    expect(visit.alternateKeys.map((k) => k.name)).toEqual(["name"]);
    expect(visit.governor?.name).toBe("instrument");
    expect(visit.spatial?.name).toBe("observation_regions");
    expect(visit.temporal?.name).toBe("observation_timespans");
    expect(visit.minimalGroup.required).toEqual(["instrument", "visit"]);

    const instrument = universe.dimension("instrument");
    expect(instrument.isGovernor).toBe(true);
    expect(instrument.governor).toBe(instrument);
    expect(universe.governors.map(String)).toEqual(["instrument", "skymap"]);

    const band = universe.dimension("band");
    expect(band.impliedUnionTarget).toBe("physical_filter");
    expect(band.hasOwnTable).toBe(false);
    expect(band.governor).toBeNull();

    const definition = universe.element("visit_definition");
    expect(definition).not.toBeInstanceOf(Dimension);
    expect(definition.kind).toBe("combination");
    expect(definition.alwaysJoin).toBe(true);
    expect(definition.populatedBy?.name).toBe("visit");
    expect(definition.required.map(String)).toEqual(["instrument", "exposure", "visit"]);

    const cached = universe.elements.filter((e) => e.isCached).map(String);
    expect(cached).toEqual([
      "band",
      "instrument",
      "skymap",
      "detector",
      "physical_filter",
      "subfilter",
      "visit_system",
    ]);
    expect(universe.dimension("patch").metadata.map((c) => [c.name, c.nullable])).toEqual([
      ["cell_x", false],
      ["cell_y", false],
    ]);
  });

  it("lays out record fields: required keys, implied, alternate keys, metadata, region, timespan", () => {
    expect(universe.element("detector").recordFields).toEqual([
      "instrument",
      "id",
      "full_name",
      "name_in_raft",
      "raft",
      "purpose",
    ]);
    expect(universe.element("visit").recordFields.slice(0, 5)).toEqual([
      "instrument",
      "id",
      "day_obs",
      "physical_filter",
      "name",
    ]);
    expect(universe.element("visit").recordFields.slice(-2)).toEqual(["region", "timespan"]);
    expect(universe.element("visit_detector_region").keyField("visit")).toBe("visit");
    expect(universe.element("visit").keyField("visit")).toBe("id");
  });

  it("relates families to their members and governor", () => {
    const regions = universe.family("observation_regions");
    expect(regions.space).toBe("spatial");
    expect("members" in regions && regions.members.map(String)).toEqual(["visit_detector_region", "visit"]);
    expect("governor" in regions && regions.governor.name).toBe("instrument");
    expect(universe.families.map(String)).toEqual([
      "observation_regions",
      "skymap_regions",
      "observation_timespans",
    ]);
  });

  it("names unknown elements and non-dimensions in typed errors", () => {
    expect(() => universe.element("visitt")).toThrow(DimensionNameError);
    try {
      universe.dimension("visitt");
    } catch (error) {
      expect((error as DimensionNameError).message).toBe(
        'Unknown dimension "visitt" in universe daf_butler@8',
      );
      expect((error as DimensionNameError).hint).toBe('Did you mean "visit"?');
    }
    expect(() => universe.dimension("visit_detector_region")).toThrow(
      '"visit_detector_region" is a dimension element but not a dimension (it has no keys)',
    );
    expect(() => universe.family("nope")).toThrow(DimensionNameError);
  });

  it("is frozen", () => {
    expect(Object.isFrozen(universe)).toBe(true);
    expect(Object.isFrozen(universe.dimension("visit"))).toBe(true);
    expect(Object.isFrozen(universe.elements)).toBe(true);
  });
});

describeWithFixtures("daf_butler's universe configs", () => {
  const versions = [0, 1, 2, 3, 4, 5, 6, 7, 8];

  it.each(versions)("version %i loads and validates", async (version) => {
    const loaded = await loadDimensionUniverse(
      fixturePath("dimensions", `daf_butler_universe${version}.yaml`),
    );
    expect(loaded.version).toBe(version);
    expect(loaded.namespace).toBe("daf_butler");
    expect(loaded.commonSkyPix.name).toBe("htm7");
    expect(loaded.conform(["visit", "detector"]).required).toEqual(["instrument", "detector", "visit"]);
    expect(loaded.dimension("exposure").governor?.name).toBe("instrument");
  });

  it("tracks the history of the universe", async () => {
    const load = (v: number) =>
      loadDimensionUniverse(fixturePath("dimensions", `daf_butler_universe${v}.yaml`));
    const [v0, v1, v2, v6, v8] = await Promise.all([0, 1, 2, 6, 8].map(load));
    expect(v0?.skyPixSystems.map(String)).toEqual(["htm"]);
    expect(v1?.skyPixSystems.map(String)).toEqual(["healpix", "htm"]);
    expect(v0?.element("visit_definition").implied.map(String)).toEqual(["visit"]);
    expect(v2?.has("visit_system_membership")).toBe(true);
    expect(v0?.has("day_obs")).toBe(false);
    expect(v6?.dimension("exposure").implied.map(String)).toEqual(["day_obs", "group", "physical_filter"]);
    expect(v8?.has("ssp_hypothesis_table")).toBe(true);
  });

  it("ships a default universe identical to daf_butler's dimensions.yaml", () => {
    const document = YAML.parse(readFileSync(fixturePath("dimensions", "dimensions.yaml"), "utf8"));
    expect(universe.config.document).toEqual(document);
  });

  it("orders record fields exactly like the columns of daf_butler's own tables", () => {
    const db = new DatabaseSync(fixturePath("repos", "small", "gen3.sqlite3"), { readOnly: true });
    try {
      for (const element of universe.elements.filter((e) => e.hasOwnTable)) {
        const columns = db
          .prepare(`PRAGMA table_info("${element.name}")`)
          .all()
          .map((row) => row.name);
        const expected = element.recordFields.flatMap((f) =>
          f === "timespan" ? ["timespan_begin", "timespan_end"] : [f],
        );
        expect(columns, element.name).toEqual(expected);
      }
    } finally {
      db.close();
    }
  });

  it("puts required dimensions in the order daf_butler stores dimension groups", () => {
    const db = new DatabaseSync(fixturePath("repos", "small", "gen3.sqlite3"), { readOnly: true });
    try {
      const rows = db
        .prepare("SELECT dimension_graph_id AS id, dimension_name AS name FROM dimension_graph_definition")
        .all();
      const groups = new Map<unknown, string[]>();
      for (const row of rows) groups.set(row.id, [...(groups.get(row.id) ?? []), String(row.name)]);
      expect(groups.size).toBeGreaterThan(0);
      for (const names of groups.values()) expect(universe.conform(names).required).toEqual(names);
    } finally {
      db.close();
    }
  });
});

describe("loadDimensionUniverse", () => {
  it("reports an unreadable file as a ConfigError", async () => {
    await expect(loadDimensionUniverse("/nonexistent/dimensions.yaml")).rejects.toThrow(
      "Cannot read /nonexistent/dimensions.yaml: ENOENT",
    );
    await expect(loadDimensionUniverse("/nonexistent/dimensions.yaml")).rejects.toBeInstanceOf(ConfigError);
  });

  it("builds from a document as well as from the shipped default", () => {
    const copy = DimensionUniverse.fromDocument(universe.config.document);
    expect(copy.elements.map(String)).toEqual(universe.elements.map(String));
    expect(copy).not.toBe(universe);
    expect(copy.isCompatibleWith(universe)).toBe(true);
  });
});
