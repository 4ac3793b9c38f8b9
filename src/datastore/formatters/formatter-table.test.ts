import { describe, expect, it } from "vitest";
import { thrown } from "../../../test/support/caught.ts";
import { DatasetType } from "../../datasets/dataset-type.ts";
import { defaultUniverse } from "../../dimensions/default-universe.ts";
import { standardizeDataId } from "../../dimensions/standardize-data-id.ts";
import { ConfigError, FormatterError, MissingDependencyError } from "../../errors.ts";
import type { ByteSource } from "./formatter.ts";
import { formatterForRecord, recordNameOf } from "./formatter-names.ts";
import { FormatterTable } from "./formatter-table.ts";

const universe = defaultUniverse();
const type = (name: string, dimensions: string[], storageClass: string) =>
  DatasetType.make(universe, { name, dimensions, storageClass });
const empty: ByteSource = {
  size: async () => 0,
  read: async () => new Uint8Array(),
  readAll: async () => new Uint8Array(),
};
const defaults = FormatterTable.defaults();

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e as Error,
  );
}

describe("FormatterTable.defaults", () => {
  it.each([
    ["StructuredDataDict", "yaml"],
    ["int", "json"],
    ["TaskMetadata", "json"],
    ["Timespan", "json"],
    ["Packages", "packages"],
    ["Text", "text"],
    ["ArrowAstropy", "parquet"],
    ["AstropyTable", "ecsv"],
    ["NumpyArray", "pickle"],
    ["ButlerLogRecords", "logs"],
    ["Plot", "matplotlib"],
    ["ExposureF", "fits-exposure"],
    ["MaskX", "fits-mask"],
  ])("chooses daf_butler's formatter for %s", (storageClass, name) => {
    expect(defaults.lookup(type("x", ["instrument"], storageClass))?.name).toBe(name);
    expect(defaults.forStorageClass(storageClass)?.name).toBe(name);
  });

  it("has no formatter for an unknown storage class", () => {
    expect(defaults.lookup(type("x", [], "NoSuchClass"))).toBeNull();
    expect(defaults.forStorageClass("StructuredDataList")).toBeNull();
  });

  it("gives configured write parameters to every write", async () => {
    const packages = defaults.forStorageClass("Packages");
    expect(new TextDecoder().decode(await packages?.write({ b: "2", a: "1" }))).toBe(
      "!<lsst.utils.packages.Packages>\na: '1'\nb: '2'\n",
    );
    expect(defaults.forStorageClass("PropertyList")?.name).toBe("yaml");
  });

  it("names formatters it cannot run and refuses their reads and writes clearly", async () => {
    const ecsv = defaults.forStorageClass("AstropyTable");
    const error = await rejection(ecsv?.read(empty, {}, "u/run/sources.ecsv") as Promise<unknown>);
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(error.message).toBe(
      "Cannot read u/run/sources.ecsv (an astropy ECSV table): butler-ts has no ecsv formatter yet",
    );
    const pickle = await rejection(defaults.forStorageClass("NumpyArray")?.write([1]) as Promise<unknown>);
    expect(pickle).toBeInstanceOf(FormatterError);
    expect(pickle.message).toBe("Cannot write a Python pickle: butler-ts has no pickle formatter");
    const fits = await rejection(defaults.forStorageClass("Psf")?.write({}) as Promise<unknown>);
    expect(fits.code).toBe("MissingDependencyError");
    expect(fits.message).toBe(
      "Cannot write a file of FitsGenericFormatter: butler-ts has no lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter formatter yet",
    );
  });
});

describe("formatter names of datastore records", () => {
  it.each([
    ["lsst.daf.butler.formatters.yaml.YamlFormatter", "yaml"],
    ["lsst.daf.butler.formatters.json.JsonFormatter", "json"],
    ["lsst.daf.butler.formatters.yamlFormatter.YamlFormatter", "yaml"],
    ["lsst.daf.butler.formatters.parquet.ParquetFormatter", "parquet"],
    ["lsst.daf.butler.formatters.packages.PackagesFormatter", "packages"],
    ["json", "json"],
    ["text", "text"],
  ])("reads %s as our %s", (recorded, ours) => {
    expect(formatterForRecord(recorded).name).toBe(ours);
  });

  it("records daf_butler's class names so daf_butler reads our files", () => {
    expect(recordNameOf(formatterForRecord("yaml"))).toBe("lsst.daf.butler.formatters.yaml.YamlFormatter");
    expect(recordNameOf(formatterForRecord("lsst.daf.butler.formatters.jsonFormatter.JsonFormatter"))).toBe(
      "lsst.daf.butler.formatters.json.JsonFormatter",
    );
    expect(defaults.recordNameOf(formatterForRecord("text"))).toBe("text");
  });

  it("keeps a class it does not know intact, with its extension when known", () => {
    const fits = defaults.forRecord("lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter");
    expect(defaults.recordNameOf(fits)).toBe("lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter");
    expect(fits.extension).toBe(".fits");
    expect(defaults.forRecord("some.other.Formatter").extension).toBe("");
  });

  it("finds formatters by extension, preferring runnable ones", () => {
    expect(defaults.forExtension(".json")?.name).toBe("json");
    expect(defaults.forExtension("YML")?.name).toBe("yaml");
    expect(defaults.forExtension(".yaml")?.name).toBe("yaml");
    expect(defaults.forExtension(".txt")?.name).toBe("text");
    expect(defaults.forExtension(".parq")?.name).toBe("parquet");
    expect(defaults.forExtension(".log")?.name).toBe("logs");
    expect(defaults.forExtension(".fits")?.name).toBe("fits-exposure");
  });

  it("refuses an unknown undotted name, suggesting close ones", () => {
    const error = thrown(() => defaults.get("jsn"));
    expect(error).toBeInstanceOf(FormatterError);
    expect(error.message).toBe('Unknown formatter "jsn"');
    expect(error.hint).toBe('Did you mean "json"?');
  });
});

describe("FormatterTable.withOverrides", () => {
  const table = defaults.withOverrides(
    {
      calexp: "json",
      "calexp.wcs": "lsst.daf.butler.formatters.yaml.YamlFormatter",
      "visit+detector": { formatter: "yaml", parameters: { unsafe_dump: true } },
      "instrument<HSC>": { StructuredDataDict: "json" },
      default: { yaml: { unsafe_dump: false } },
      write_recipes: { "lsst.obs.base.formatters.fitsExposure.FitsExposureFormatter": { lossless: {} } },
    },
    "datastore.formatters",
  );
  const hsc = standardizeDataId(universe, { instrument: "HSC", detector: 1, visit: 2 });
  const cam = standardizeDataId(universe, { instrument: "Cam1", detector: 1, visit: 2 });

  it("follows daf_butler's priority: component, parent, dimensions, storage class; instrument section first", () => {
    const notes = type("notes", ["instrument", "detector"], "StructuredDataDict");
    expect(table.lookup(type("calexp.wcs", ["visit", "detector"], "Wcs"))?.name).toBe("yaml");
    expect(table.lookup(type("calexp.psf", ["visit", "detector"], "Psf"))?.name).toBe("json");
    expect(table.lookup(type("other", ["visit", "detector"], "Wcs"))?.name).toBe("yaml");
    expect(table.lookup(notes, cam)?.name).toBe("yaml");
    expect(table.lookup(notes, hsc)?.name).toBe("json");
    expect(table.lookup(notes)?.name).toBe("yaml");
  });

  it("keeps the defaults it does not override", () => {
    expect(table.lookup(type("n", [], "int"))?.name).toBe("json");
  });

  it.each([
    [{ calexp: "jsn" }, 'datastore.formatters.calexp: Unknown formatter "jsn"', 'Did you mean "json"?'],
    [
      { calexp: { formatter: "json", parameters: { indent: 2 } } },
      'datastore.formatters.calexp.parameters.indent: formatter "json" has no write parameter "indent"',
      "It takes none: remove it.",
    ],
    [
      { calexp: { formatter: "yaml", params: {} } },
      'datastore.formatters.calexp.params: unknown key "params"',
      undefined,
    ],
    [
      { "visit<1>": { calexp: "json" } },
      'datastore.formatters.visit<1>: only instrument<NAME> sections are supported, not "visit<1>"',
      undefined,
    ],
    [{ calexp: 3 }, "datastore.formatters.calexp: expected a mapping, found number 3", undefined],
  ])("refuses a malformed entry, naming its path", (raw, message, hint) => {
    const error = thrown(() => defaults.withOverrides(raw, "datastore.formatters"));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe("ConfigError");
    expect(error.message).toBe(message);
    if (hint !== undefined) expect(error.hint).toBe(hint);
  });
});
