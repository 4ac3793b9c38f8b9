import { describe, expect, it } from "vitest";
import { parseYaml } from "../config/read-yaml.ts";
import { ConfigError } from "../errors.ts";
import { defaultUniverse } from "./default-universe.ts";
import { parseDimensionConfig } from "./dimension-config.ts";
import { DimensionUniverse } from "./universe.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests edit an untyped YAML document freely.
type Doc = Record<string, any>;

/** The default universe's document with one change applied. */
function variant(change: (doc: Doc) => void): Doc {
  const doc = structuredClone(defaultUniverse().config.document) as Doc;
  change(doc);
  return doc;
}

function failure(doc: unknown): ConfigError {
  try {
    DimensionUniverse.fromDocument(doc);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

const badConfigs: Array<[string, (doc: Doc) => void, string]> = [
  [
    "an unknown required dimension",
    (d) => {
      d.elements.visit.requires = ["instrumnet"];
    },
    'elements.visit.requires[0]: unknown dimension "instrumnet"',
  ],
  [
    "an implied combination",
    (d) => d.elements.visit.implies.push("visit_definition"),
    'elements.visit.implies[2]: "visit_definition" is a dimension combination (it has no keys), not a dimension',
  ],
  [
    "a dependency cycle",
    (d) => {
      d.elements.physical_filter.requires = ["instrument", "visit"];
    },
    "elements: dependency cycle: physical_filter -> visit -> physical_filter",
  ],
  [
    "a self-dependency",
    (d) => {
      d.elements.detector.requires = ["instrument", "detector"];
    },
    'elements.detector.requires[1]: element "detector" cannot depend on itself',
  ],
  [
    "a misspelt top-level key",
    (d) => {
      d.elemnts = {};
    },
    'elemnts: unknown key "elemnts"',
  ],
  [
    "a misspelt element key",
    (d) => {
      d.elements.visit.requries = [];
    },
    'elements.visit.requries: unknown key "requries"',
  ],
  [
    "a key column of a forbidden type",
    (d) => {
      d.elements.visit.keys[0].type = "uuid";
    },
    'elements.visit.keys[0].type: type "uuid" is not allowed for a key column; use one of int, string, hash',
  ],
  [
    "a string column without length",
    (d) => {
      delete d.elements.detector.keys[1].length;
    },
    'elements.detector.keys[1]: missing required key "length"',
  ],
  [
    "a hash primary key",
    (d) => d.elements.skymap.keys.reverse(),
    "elements.skymap.keys: the primary key (first of keys) must be int or string, not hash",
  ],
  [
    "always_join on a dimension",
    (d) => {
      d.elements.visit.always_join = true;
    },
    "elements.visit.always_join: a dimension (an element with keys) may not have always_join",
  ],
  [
    "a combination without requires",
    (d) => {
      d.elements.visit_definition.requires = [];
      delete d.elements.visit_definition.populated_by;
    },
    "elements.visit_definition.requires: an element without keys (a dimension combination) must require at least one dimension",
  ],
  [
    "a governor with requires",
    (d) => {
      d.elements.instrument.requires = ["skymap"];
    },
    "elements.instrument.requires: a governor dimension may not have requires",
  ],
  [
    "a governor with an integer key",
    (d) => {
      d.elements.skymap.keys[0] = { name: "id", type: "int" };
    },
    "elements.skymap.keys: a governor's primary key must be a string of length at most 128",
  ],
  [
    "an unknown family member",
    (d) => {
      d.topology.spatial.observation_regions[0] = "visit_detector_regoin";
    },
    'topology.spatial.observation_regions[0]: unknown element "visit_detector_regoin"',
  ],
  [
    "an element in two families of one space",
    (d) => d.topology.spatial.observation_regions.push("tract"),
    'topology.spatial.skymap_regions[1]: "tract" is already a member of the spatial family "observation_regions"',
  ],
  [
    "a family spanning two governors",
    (d) => d.topology.temporal.observation_timespans.push("tract"),
    "topology.temporal.observation_timespans: family members must share exactly one governor dimension; found instrument, skymap",
  ],
  [
    "an unknown common skypix",
    (d) => {
      d.skypix.common = "htm99";
    },
    'skypix.common: "htm99" is not a skypix dimension of this universe',
  ],
  [
    "a missing version",
    (d) => {
      delete d.version;
    },
    '(top): missing required key "version"',
  ],
  [
    "a version that is not an integer",
    (d) => {
      d.version = "8";
    },
    'version: expected an integer, found string "8"',
  ],
  [
    "an element named like a skypix dimension",
    (d) => {
      d.elements.htm7 = { keys: [{ name: "id", type: "int" }] };
    },
    'elements.htm7: name "htm7" is already used by skypix.htm',
  ],
  [
    "an unknown legacy storage class",
    (d) => {
      d.elements.visit.storage.cls = "lsst.Whatever";
    },
    'elements.visit.storage.cls: unknown storage class "lsst.Whatever"',
  ],
  [
    "an implied-union target that does not imply it",
    (d) => {
      d.elements.band.storage.nested.view_of = "detector";
    },
    'elements.band: implied-union target "detector" must be a dimension that implies "band"',
  ],
  [
    "populated_by that is not required",
    (d) => {
      d.elements.visit_detector_region.populated_by = "exposure";
    },
    'elements.visit_detector_region.populated_by: populated_by "exposure" must be one of the element\'s required dimensions',
  ],
  [
    "an element that is not a mapping",
    (d) => {
      d.elements.visit = [1];
    },
    "elements.visit: expected a mapping, found a list",
  ],
  [
    "a repeated dependency",
    (d) => {
      d.elements.visit.requires = ["instrument", "instrument"];
    },
    'elements.visit.requires[1]: "instrument" is listed twice',
  ],
  [
    "an invalid element name",
    (d) => {
      d.elements["bad-name"] = { requires: ["instrument"] };
    },
    'elements.bad-name: element "bad-name" is not a valid name (letters, digits and _, not starting with a digit)',
  ],
  [
    "an unknown pixelization without max_level",
    (d) => {
      d.skypix.htm.class = "my.Pixelization";
      delete d.skypix.htm.max_level;
    },
    'skypix.htm.class: unknown pixelization class "my.Pixelization" and no max_level given',
  ],
  [
    "a column defined twice",
    (d) => d.elements.visit.metadata.push({ name: "seq_num", type: "int" }),
    'elements.visit.metadata[7]: column "seq_num" is defined twice',
  ],
];

describe("bad dimension configs", () => {
  it.each(badConfigs)("rejects %s", (_what, change, message) => {
    const error = failure(variant(change));
    expect(error.code).toBe("ConfigError");
    expect(error.message).toBe(message);
  });

  it("suggests the intended name", () => {
    expect(failure(variant((d) => (d.elements.visit.requires = ["instrumnet"]))).hint).toBe(
      'Did you mean "instrument"?',
    );
    expect(failure(variant((d) => (d.elemnts = {}))).hint).toBe('Did you mean "elements"?');
  });

  it("rejects a document that is not a mapping", () => {
    expect(() => parseDimensionConfig([1, 2])).toThrow("(top): expected a mapping, found a list");
  });

  it("reports YAML syntax errors with their position", () => {
    expect(() => parseYaml("version: 8\nelements: [\n", "dimensions.yaml")).toThrow(
      /^Cannot parse dimensions\.yaml at line \d+, column \d+: /,
    );
    expect(() => parseYaml("a: 1\na: 2\n", "dup.yaml")).toThrow(ConfigError);
  });

  it("translates the legacy storage key and defaults namespace and min_level", () => {
    const config = parseDimensionConfig(variant((d) => delete d.namespace));
    expect(config.namespace).toBe("daf_butler");
    const band = config.elements.find((e) => e.name === "band");
    expect(band?.impliedUnionTarget).toBe("physical_filter");
    expect(band?.isCached).toBe(true);
    expect(config.skyPixSystems.map((s) => [s.name, s.minLevel, s.maxLevel])).toEqual([
      ["htm", 1, 24],
      ["healpix", 1, 17],
    ]);
  });
});
