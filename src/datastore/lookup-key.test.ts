import { describe, expect, it } from "vitest";
import { DatasetType } from "../datasets/dataset-type.ts";
import { defaultUniverse } from "../dimensions/default-universe.ts";
import { ConfigError } from "../errors.ts";
import { LookupTable } from "./lookup-key.ts";

const universe = defaultUniverse();
const type = (name: string, dimensions: string[], storageClass = "ExposureF") =>
  DatasetType.make(universe, { name, dimensions, storageClass });
const asString = (value: unknown) => String(value);

describe("LookupTable.find", () => {
  const table = LookupTable.fromConfig(
    {
      default: "skipped",
      ExposureF: "storageClass",
      "visit+detector": "dimensions",
      "physical_filter+detector+exposure": "raw-like",
      "nosuch+detector": "unknown dimensions",
      calexp: "parent",
      "calexp.wcs": "component",
      "instrument<HSC>": { ExposureF: "hscStorageClass" },
    },
    "lookups",
    asString,
    ["default"],
  );
  const find = (t: DatasetType, instrument?: string) => table.find(t, instrument);

  it("prefers the component, then the parent name, the dimensions and the storage class", () => {
    expect(find(type("calexp.wcs", ["visit", "detector"]))).toStrictEqual({
      key: "calexp.wcs",
      value: "component",
    });
    expect(find(type("calexp.psf", ["visit", "detector"]))).toStrictEqual({ key: "calexp", value: "parent" });
    expect(find(type("deep", ["visit", "detector"]))).toStrictEqual({
      key: "visit+detector",
      value: "dimensions",
    });
    expect(find(type("deep", ["tract", "patch"]))).toStrictEqual({ key: "ExposureF", value: "storageClass" });
    expect(find(type("deep", ["tract"], "Other"))).toBeUndefined();
  });

  it("matches a dimension key once both conform to the same group", () => {
    expect(find(type("raw", ["instrument", "exposure", "detector"]))?.value).toBe("raw-like");
  });

  it("puts every key of the instrument's section before any top-level key", () => {
    expect(find(type("calexp", ["visit", "detector"]), "HSC")).toStrictEqual({
      key: "instrument<HSC>.ExposureF",
      value: "hscStorageClass",
    });
    expect(find(type("calexp", ["visit", "detector"]), "LSSTCam")?.value).toBe("parent");
  });

  it("skips reserved keys and merges key by key, sections included", () => {
    expect(table.get("default")).toBeUndefined();
    const merged = table.merged(
      LookupTable.fromConfig({ calexp: "new", "instrument<HSC>": { calexp: "hsc" } }, "more", asString),
    );
    expect(merged.get("calexp")).toBe("new");
    expect(merged.get("ExposureF")).toBe("storageClass");
    expect(merged.find(type("x", ["tract"]), "HSC")?.value).toBe("hscStorageClass");
    expect(merged.find(type("calexp", ["tract"]), "HSC")?.value).toBe("hsc");
  });

  it("keeps an instrument section apart from the top level, even one named by an empty string", () => {
    const odd = LookupTable.fromConfig(
      { calexp: "top", "instrument<>": { calexp: "unnamed" } },
      "lookups",
      asString,
    );
    expect(odd.find(type("calexp", ["visit"]))?.value).toBe("top");
    expect(odd.find(type("calexp", ["visit"]), "")).toStrictEqual({
      key: "instrument<>.calexp",
      value: "unnamed",
    });
  });

  it("writes its entries back as the config mapping, sections after the top-level keys", () => {
    const config = table.toConfig((value) => value.toUpperCase());
    expect(Object.keys(config).at(-1)).toBe("instrument<HSC>");
    expect(config).toStrictEqual({
      ExposureF: "STORAGECLASS",
      "visit+detector": "DIMENSIONS",
      "physical_filter+detector+exposure": "RAW-LIKE",
      "nosuch+detector": "UNKNOWN DIMENSIONS",
      calexp: "PARENT",
      "calexp.wcs": "COMPONENT",
      "instrument<HSC>": { ExposureF: "HSCSTORAGECLASS" },
    });
  });

  it("gives the parser each value's key and path, and checks dimension keys against a universe", () => {
    const seen: string[] = [];
    LookupTable.fromConfig({ a: 1, "instrument<HSC>": { b: 2 } }, "lookups", (_value, path, key) => {
      seen.push(`${key} at ${path}`);
    });
    expect(seen).toStrictEqual(["a at lookups.a", "b at lookups.instrument<HSC>.b"]);
    const withTypo = { "instrument<HSC>": { "visit+detectr": "x" } };
    expect(() => LookupTable.fromConfig(withTypo, "lookups", asString, [], universe)).toThrow(
      expect.objectContaining({
        constructor: ConfigError,
        code: "ConfigError",
        message: `lookups.instrument<HSC>.visit+detectr: "detectr" in dimension key "visit+detectr" is not a dimension of ${universe}`,
        hint: 'Did you mean "detector"?',
      }),
    );
  });

  it.each([
    [
      { "instrument<HSC>": { "instrument<X>": { a: "b" } } },
      'lookups.instrument<HSC>.instrument<X>: "instrument<X>" cannot be inside another section',
    ],
    [{ " ": "x" }, "lookups. : a lookup key cannot be empty"],
    [{ "instrument<HSC>": "x" }, 'lookups.instrument<HSC>: expected a mapping, found string "x"'],
  ])("refuses a malformed config, naming the path", (raw, message) => {
    expect(() => LookupTable.fromConfig(raw, "lookups", asString)).toThrow(ConfigError);
    expect(() => LookupTable.fromConfig(raw, "lookups", asString)).toThrow(message);
  });
});
