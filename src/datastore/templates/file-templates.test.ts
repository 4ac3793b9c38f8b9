import { describe, expect, it } from "vitest";
import { thrown } from "../../../test/support/caught.ts";
import { DatasetType } from "../../datasets/dataset-type.ts";
import type { DataCoordinate } from "../../dimensions/data-coordinate.ts";
import { defaultUniverse } from "../../dimensions/default-universe.ts";
import { standardizeDataId } from "../../dimensions/standardize-data-id.ts";
import { ConfigError, FileTemplateError } from "../../errors.ts";
import { DEFAULT_TEMPLATE, FileTemplates, RAW_TEMPLATE, RAW_TEMPLATE_KEY } from "./file-templates.ts";

const universe = defaultUniverse();
const type = (name: string, dimensions: string[], storageClass = "ExposureF") =>
  DatasetType.make(universe, { name, dimensions, storageClass });
const hsc = standardizeDataId(universe, { instrument: "HSC", visit: 1, detector: 2 });
const lsst = standardizeDataId(universe, { instrument: "LSSTCam", visit: 1, detector: 2 });

/** A template text that tells which key chose it. */
const marked = (mark: string) => `{run}/${mark}/{visit:?}_{detector:?}_{exposure:?}_{instrument:?}`;
const markOf = (templates: FileTemplates, datasetType: DatasetType, dataId: DataCoordinate | null = hsc) =>
  templates.lookup(datasetType, dataId).text.split("/")[1];

describe("FileTemplates.lookup priority", () => {
  const calexp = type("calexp", ["visit", "detector"]);
  const wcs = type("calexp.wcs", ["visit", "detector"], "Wcs");
  const raw = type("raw", ["exposure", "detector"], "Exposure");
  const all = FileTemplates.fromConfig({
    default: marked("default"),
    ExposureF: marked("storageClass"),
    "visit+detector": marked("dimensions"),
    calexp: marked("parent"),
    "calexp.wcs": marked("component"),
    "instrument<HSC>": { ExposureF: marked("hscStorageClass") },
  });

  it("prefers an instrument<NAME> section matching the data ID's instrument", () => {
    expect(markOf(all, calexp, hsc)).toBe("hscStorageClass");
    expect(markOf(all, calexp, lsst)).toBe("parent");
    expect(markOf(all, calexp, null)).toBe("parent");
  });

  it("prefers the full component name to the parent name", () => {
    expect(markOf(all, wcs, lsst)).toBe("component");
  });

  it("falls back to the parent name for a component", () => {
    const templates = FileTemplates.fromConfig({ calexp: marked("parent"), Wcs: marked("storageClass") });
    expect(markOf(templates, wcs)).toBe("parent");
  });

  it("prefers the dataset type name to the dimensions", () => {
    const templates = FileTemplates.fromConfig({
      "visit+detector": marked("dimensions"),
      calexp: marked("name"),
    });
    expect(markOf(templates, calexp)).toBe("name");
  });

  it("matches dimension keys as sets, after adding the dimensions they require and imply", () => {
    const templates = FileTemplates.fromConfig({
      "detector+visit": marked("dimensions"),
      ExposureF: marked("sc"),
    });
    expect(markOf(templates, calexp)).toBe("dimensions");
    expect(markOf(templates, type("other", ["visit"]))).toBe("sc");
    const rawLike = FileTemplates.fromConfig({
      [RAW_TEMPLATE_KEY]: marked("raw"),
      default: marked("default"),
    });
    expect(markOf(rawLike, raw)).toBe("raw");
    expect(markOf(rawLike, type("dark", ["detector", "instrument"]))).toBe("default");
    expect(markOf(FileTemplates.fromConfig({ "visit+": marked("one") }), type("v", ["visit"]))).toBe("one");
  });

  it("prefers the dimensions to the storage class", () => {
    const templates = FileTemplates.fromConfig({
      ExposureF: marked("sc"),
      "visit+detector": marked("dimensions"),
    });
    expect(markOf(templates, calexp)).toBe("dimensions");
  });

  it("prefers the storage class to the default", () => {
    const templates = FileTemplates.fromConfig({ default: marked("default"), ExposureF: marked("sc") });
    expect(markOf(templates, calexp)).toBe("sc");
    expect(markOf(templates, raw)).toBe("default");
  });

  it("uses the top level when the instrument section has nothing for the dataset type", () => {
    expect(markOf(all, raw, hsc)).toBe("default");
    expect(markOf(all, wcs, hsc)).toBe("component");
  });

  it("never matches a dimension key naming unknown dimensions", () => {
    const templates = FileTemplates.fromConfig({
      "visit+detectr": marked("typo"),
      default: marked("default"),
    });
    expect(markOf(templates, calexp)).toBe("default");
  });

  it("says so when nothing matches and there is no default", () => {
    const error = thrown(() => FileTemplates.fromConfig({ flat: marked("flat") }).lookup(calexp, hsc));
    expect(error).toBeInstanceOf(FileTemplateError);
    expect(error.message).toBe(
      'No file template for dataset type "calexp": no key matches it and there is no default',
    );
    expect(error.hint).toBe(
      'Add a template keyed by "calexp" (or its storage class "ExposureF") or a "default" to datastore.templates.',
    );
  });
});

describe("FileTemplates.defaults", () => {
  it("holds daf_butler's default and raw templates", () => {
    expect(FileTemplates.defaults().toConfig()).toEqual({
      default: DEFAULT_TEMPLATE,
      [RAW_TEMPLATE_KEY]: RAW_TEMPLATE,
    });
    const raw = type("raw", ["exposure", "detector"], "Exposure");
    expect(FileTemplates.defaults().lookup(raw, null).text).toBe(RAW_TEMPLATE);
    expect(FileTemplates.defaults().lookup(type("calexp", ["visit", "detector"]), null).text).toBe(
      DEFAULT_TEMPLATE,
    );
  });

  it("validate common dataset types of the default universe", () => {
    FileTemplates.defaults().validate([
      type("raw", ["exposure", "detector"], "Exposure"),
      type("calexp", ["visit", "detector"]),
      type("calexp.wcs", ["visit", "detector"], "Wcs"),
      type("deepCoadd", ["tract", "patch", "band", "skymap"]),
      type("skyMap", ["skymap"], "SkyMap"),
      type("notes", ["instrument", "detector"], "StructuredDataDict"),
      type("refcat", ["htm7"], "ArrowAstropy"),
      type("isr_config", [], "Config"),
    ]);
  });
});

describe("FileTemplates.validate", () => {
  it("lists every failure with the key that chose the template, with the first hint", () => {
    const templates = FileTemplates.fromConfig({
      calexp: "{run}/{visit}",
      "detector+instrument": "{run}/{component}/{detector}_{instrument}",
    });
    const error = thrown(() =>
      templates.validate([
        type("calexp", ["visit", "detector"]),
        type("bias", ["detector"], "Exposure"),
        type("flat", ["detector", "physical_filter"], "Exposure"),
      ]),
    );
    expect(error).toBeInstanceOf(FileTemplateError);
    expect(error.message).toBe(
      [
        "3 file template validation failures:",
        'File template "{run}/{visit}" cannot be used for dataset type "calexp" {band, instrument, day_obs, detector, physical_filter, visit}: required dimensions "instrument", "detector" are not in the template, so its paths would not be unique (via key "calexp");',
        'File template "{run}/{component}/{detector}_{instrument}" cannot be used for dataset type "bias" {instrument, detector}: {component} is mandatory but it is not a component (via key "detector+instrument");',
        'No file template for dataset type "flat": no key matches it and there is no default',
      ].join("\n"),
    );
    expect(error.hint).toBe(
      "Add {instrument} (or a record field of it, such as {instrument.id}) to the template.",
    );
  });

  it("throws a single failure as it is, and checks instrument sections when asked", () => {
    const templates = FileTemplates.fromConfig({
      default: DEFAULT_TEMPLATE,
      "instrument<HSC>": { calexp: "{run}/{visit}_{instrument}" },
    });
    const calexp = type("calexp", ["visit", "detector"]);
    templates.validate([calexp]);
    const error = thrown(() => templates.validate([calexp], { instruments: ["HSC", "LSSTCam"] }));
    expect(error.message).toBe(
      'File template "{run}/{visit}_{instrument}" cannot be used for dataset type "calexp" {band, instrument, day_obs, detector, physical_filter, visit}: required dimension "detector" is not in the template, so its paths would not be unique (via key "instrument<HSC>.calexp")',
    );
  });
});

describe("FileTemplates.fromConfig", () => {
  it("reads default: false as no default", () => {
    const templates = FileTemplates.defaults().merged(FileTemplates.fromConfig({ default: false }));
    expect(thrown(() => templates.lookup(type("calexp", ["visit", "detector"]), null)).message).toContain(
      "there is no default",
    );
    expect(templates.toConfig()).toEqual({ default: false, [RAW_TEMPLATE_KEY]: RAW_TEMPLATE });
  });

  it.each([
    ["a list", [], "datastore.templates: expected a mapping, found a list"],
    ["a number", { calexp: 3 }, "datastore.templates.calexp: expected a template string, found 3"],
    [
      "a mapping outside instrument<NAME>",
      { calexp: { a: "b" } },
      "datastore.templates.calexp: expected a template string, found a mapping or list",
    ],
    [
      "another data ID section",
      { "detector<1>": { calexp: "{run}/{visit}" } },
      'datastore.templates.detector<1>: only instrument<NAME> sections are supported, not "detector<1>"',
    ],
    [
      "a default inside an instrument section",
      { "instrument<HSC>": { default: "{run}/{visit}" } },
      'datastore.templates.instrument<HSC>.default: "default" is only allowed at the top level of the templates',
    ],
    ["a bad default", { default: 7 }, "datastore.templates.default: expected a template string, found 7"],
  ])("refuses %s with a ConfigError naming the key", (_, raw, message) => {
    const error = thrown(() => FileTemplates.fromConfig(raw));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(message);
  });

  it("checks every template's syntax when loading, naming the key", () => {
    const error = thrown(() =>
      FileTemplates.fromConfig({ "instrument<HSC>": { calexp: "{visit}" } }, "templates"),
    );
    expect(error).toBeInstanceOf(FileTemplateError);
    expect(error.message).toBe(
      'templates.instrument<HSC>.calexp: Invalid file template "{visit}": it has neither {run} nor {id}, so paths would not be unique',
    );
    expect(error.hint).toBe("Add {run} to the template (or {id} in the file name).");
  });

  it("checks dimension keys against a universe when given one", () => {
    const error = thrown(() => FileTemplates.fromConfig({ "visit+detectr": "{run}/{visit}" }, "t", universe));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `t.visit+detectr: "detectr" in dimension key "visit+detectr" is not a dimension of ${universe}`,
    );
    expect(error.hint).toBe('Did you mean "detector"?');
  });
});

describe("FileTemplates.merged and toConfig", () => {
  it("overrides key by key, instrument sections included, and dumps the plain mapping", () => {
    const base = FileTemplates.fromConfig({
      default: "{run}/{visit}_{instrument}_{detector}",
      calexp: "{run}/c/{visit}",
      "instrument<HSC>": { calexp: "{run}/h/{visit}", raw: "{run}/r/{exposure}" },
    });
    const overrides = FileTemplates.fromConfig({
      calexp: "{run}/C/{visit}",
      "instrument<HSC>": { raw: "{run}/R/{exposure}" },
      "instrument<LSSTCam>": { bias: "{run}/b/{detector}" },
    });
    const merged = base.merged(overrides);
    expect(merged.toConfig()).toEqual({
      default: "{run}/{visit}_{instrument}_{detector}",
      calexp: "{run}/C/{visit}",
      "instrument<HSC>": { calexp: "{run}/h/{visit}", raw: "{run}/R/{exposure}" },
      "instrument<LSSTCam>": { bias: "{run}/b/{detector}" },
    });
    expect(FileTemplates.fromConfig(merged.toConfig()).toConfig()).toEqual(merged.toConfig());
    expect(base.toConfig().calexp).toBe("{run}/c/{visit}");
    expect(Object.isFrozen(merged)).toBe(true);
  });
});
