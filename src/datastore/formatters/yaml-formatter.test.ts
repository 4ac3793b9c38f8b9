import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { byteSource } from "../../../test/support/byte-source.ts";
import { rejection as rejectionOf } from "../../../test/support/caught.ts";
import { describeWithFixtures, fixturePath } from "../../../test/support/shared-fixtures.ts";
import { FormatterError } from "../../errors.ts";
import { packagesFormatter } from "./packages-formatter.ts";
import { yamlFormatter } from "./yaml-formatter.ts";

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, FormatterError);

const source = byteSource;
const text = async (object: unknown) => new TextDecoder().decode(await yamlFormatter.write(object));
const read = (yaml: string) => yamlFormatter.read(source(yaml));

describeWithFixtures("yamlFormatter with the notes daf_butler wrote", () => {
  const directory = fixturePath("repos", "small", "u", "test", "notes", "notes");
  const files = readdirSync(directory).filter((name) => name.endsWith(".yaml"));
  const expected = JSON.parse(
    readFileSync(fixturePath("repos", "small-expected", "notes_content.json"), "utf8"),
  ) as Record<string, Record<string, unknown>>;

  it("finds the four notes files", () => {
    expect(files).toHaveLength(4);
  });

  it.each(files)("reads %s to daf_butler's values and writes it back byte for byte", async (name) => {
    const bytes = new Uint8Array(readFileSync(`${directory}/${name}`));
    const value = (await yamlFormatter.read(source(bytes))) as { detector: number };
    expect(value).toStrictEqual(expected[String(value.detector)]);
    expect(Object.keys(value)).toStrictEqual(["detector", "values", "label"]);
    expect(await yamlFormatter.write(value)).toStrictEqual(bytes);
  });
});

describe("yamlFormatter.write", () => {
  it("writes block style in insertion order, sequences not indented under their key", async () => {
    expect(
      await text({ detector: 1, values: [1.5, 2.5, 1], nested: { a: [{ x: 1, y: [] }, [1, 2]], b: {} } }),
    ).toBe(
      "detector: 1\nvalues:\n- 1.5\n- 2.5\n- 1\nnested:\n  a:\n  - x: 1\n    y: []\n  - - 1\n    - 2\n  b: {}\n",
    );
  });

  it.each([
    ["a string PyYAML would read as a bool", "yes", "'yes'"],
    ["y, a string for PyYAML", "y", "y"],
    ["1e5, a string for PyYAML", "1e5", "1e5"],
    ["a float-like string", "1.5", "'1.5'"],
    ["on, a bool for PyYAML", "on", "'on'"],
    ["Off, a bool for PyYAML", "Off", "'Off'"],
    ["a null-like string", "null", "'null'"],
    ["a tilde", "~", "'~'"],
    ["a merge key string", "<<", "'<<'"],
    ["an equals sign", "=", "'='"],
    ["a hexadecimal-like string", "0x1F", "'0x1F'"],
    ["a base-60-like string", "1:30", "'1:30'"],
    ["an infinity-like string", ".inf", "'.inf'"],
    ["a date-like string", "2021-06-01", "'2021-06-01'"],
    ["an empty string", "", "''"],
    ["a string with ': '", "a: b", "'a: b'"],
    ["a leading space", " a", "' a'"],
    ["a quote", "it's", "it's"],
    ["a comment-like string", "a #b", "'a #b'"],
    ["non-ASCII (PyYAML escapes it)", "é😀", '"\\xE9\\U0001F600"'],
    ["a line break", "a\nb", "'a\n\n  b'"],
    ["a tab", "a\tb", '"a\\tb"'],
    ["NaN", Number.NaN, ".nan"],
    ["-Infinity", Number.NEGATIVE_INFINITY, "-.inf"],
    ["a small float", 1e-7, "1.0e-07"],
    ["a large float", 1e300, "1.0e+300"],
    ["null", null, "null"],
    ["a date", new Date(Date.UTC(2021, 5, 1)), "2021-06-01"],
    ["a datetime", new Date(Date.UTC(2021, 5, 1, 12, 30, 0, 250)), "2021-06-01 12:30:00.250000"],
  ])("writes %s as PyYAML does", async (_what, value, yaml) => {
    expect(await text({ k: value })).toBe(`k: ${yaml}\n`);
  });

  it("marks a top-level plain scalar's document end, as PyYAML does", async () => {
    expect(await text(5)).toBe("5\n...\n");
    expect(await text("text")).toBe("text\n...\n");
    expect(await text("yes")).toBe("'yes'\n");
    expect(await text([])).toBe("[]\n");
  });

  it("folds long strings at 80 columns", async () => {
    const long = "word ".repeat(20).trim();
    expect(await text({ k: long })).toBe(`k: ${"word ".repeat(16).trim()}\n  ${"word ".repeat(4).trim()}\n`);
  });

  it("writes a key of 123 characters or more as a complex key", async () => {
    expect(await text({ ["k".repeat(122)]: 1 })).toBe(`${"k".repeat(122)}: 1\n`);
    expect(await text({ ["k".repeat(123)]: 1 })).toBe(`? ${"k".repeat(123)}\n: 1\n`);
  });

  it.each([
    ["a bigint", { a: [1n] }, "Cannot write a bigint as YAML at a[0]"],
    ["undefined", { a: undefined }, "Cannot write undefined as YAML at a"],
    ["a Set", { s: new Set([1]) }, "Cannot write a Set as YAML at s"],
    ["an invalid Date", { d: new Date("nope") }, "Cannot write an invalid Date as YAML at d"],
  ])("refuses %s, naming its path", async (_what, object, message) => {
    const error = await rejection(yamlFormatter.write(object));
    expect(error.code).toBe("FormatterError");
    expect(error.message).toBe(message);
  });

  it("refuses a cycle", async () => {
    const list: unknown[] = [1];
    list.push(list);
    expect((await rejection(yamlFormatter.write({ list }))).message).toBe(
      "Cannot write a circular reference as YAML at list[1]",
    );
  });

  it("accepts daf_butler's unsafe_dump write parameter and no other", async () => {
    expect(
      new TextDecoder().decode(await yamlFormatter.write({ a: 1 }, { parameters: { unsafe_dump: true } })),
    ).toBe("a: 1\n");
    const error = await rejection(yamlFormatter.write({ a: 1 }, { parameters: { sort_keys: true } }));
    expect(error.message).toBe('Formatter "yaml" has no write parameter "sort_keys"');
    expect(error.hint).toBe("It accepts: unsafe_dump.");
  });
});

describe("yamlFormatter.read", () => {
  it("reads plain scalars by PyYAML's rules, not YAML 1.2's", async () => {
    expect(
      await read(
        "band: y\nexp: 1e5\nyes_: yes\noff_: Off\noctal: 017\nnot_octal: 09\nbase60: 1:30\ninf: -.inf\nnan: .NaN\nfloat: 1_000.5\nhex: 0x1F\nnull_: ~\n",
      ),
    ).toStrictEqual({
      band: "y",
      exp: "1e5",
      yes_: true,
      off_: false,
      octal: 15,
      not_octal: "09",
      base60: 90,
      inf: Number.NEGATIVE_INFINITY,
      nan: Number.NaN,
      float: 1000.5,
      hex: 31,
      null_: null,
    });
  });

  it("reads timestamps as UTC Dates", async () => {
    expect(
      await read("d: 2021-06-01\nt: 2021-06-01 12:30:00.25\nz: 2021-06-01T12:30:00+02:00\n"),
    ).toStrictEqual({
      d: new Date(Date.UTC(2021, 5, 1)),
      t: new Date(Date.UTC(2021, 5, 1, 12, 30, 0, 250)),
      z: new Date(Date.UTC(2021, 5, 1, 10, 30, 0)),
    });
  });

  it("reads merge keys, anchors, flow style, duplicate keys (last wins) and an empty file", async () => {
    expect(
      await read("base: &b {x: 1, y: [1, 2]}\nderived:\n  <<: *b\n  y: 3\ndup: 1\ndup: 2\n"),
    ).toStrictEqual({
      base: { x: 1, y: [1, 2] },
      derived: { x: 1, y: 3 },
      dup: 2,
    });
    expect(await read("")).toBeNull();
  });

  it("round-trips nested, unicode and empty values", async () => {
    const value = { a: [[], {}, "", [{ b: "ключ 😀\n\ttab" }]], "clé é": { "": null, n: -0.5 } };
    expect(await yamlFormatter.read(source(await yamlFormatter.write(value)))).toStrictEqual(value);
  });

  it("refuses a tag that needs Python", async () => {
    const error = await rejection(read("a: 1\nb: !!python/tuple [1, 2]\n"));
    expect(error.message).toBe(
      "Cannot read YAML: unknown tag: tag:yaml.org,2002:python/tuple at line 2, column 4:",
    );
    expect(error.offset).toBe(8);
  });

  it("reports invalid YAML with the byte offset of the error", async () => {
    const error = await rejection(yamlFormatter.read(source("é: [1, 2\nb: 3\n"), undefined, "notes.yaml"));
    expect(error.code).toBe("FormatterError");
    expect(error.file).toBe("notes.yaml");
    expect(error.message).toMatch(/^Cannot read YAML: .+ \(notes\.yaml at byte \d+\)$/);
    expect(error.offset).toBeGreaterThan(0);
  });

  it("refuses several documents, as yaml.safe_load does", async () => {
    expect((await rejection(read("a: 1\n---\nb: 2\n"))).message).toContain("multiple documents");
  });
});

describe("packagesFormatter", () => {
  const packages = { python: "3.11.7", astropy: "6.0", numpy: "1.26.4" };

  it("writes lsst.utils's tagged YAML with sorted keys, quoting float-like versions", async () => {
    expect(new TextDecoder().decode(await packagesFormatter.write(packages))).toBe(
      "!<lsst.utils.packages.Packages>\nastropy: '6.0'\nnumpy: 1.26.4\npython: 3.11.7\n",
    );
  });

  it("reads its YAML, the old lsst.base tag and the JSON form", async () => {
    expect(await packagesFormatter.read(source(await packagesFormatter.write(packages)))).toStrictEqual(
      packages,
    );
    expect(await packagesFormatter.read(source("!<lsst.base.Packages>\na: '1'\n"))).toStrictEqual({ a: "1" });
    expect(await packagesFormatter.read(source('{"a": "1"}'))).toStrictEqual({ a: "1" });
  });

  it("refuses pickles and formats other than yaml", async () => {
    expect((await rejection(packagesFormatter.read(source(new Uint8Array([0x80, 4]))))).message).toBe(
      "Cannot read packages: they were written as a Python pickle",
    );
    expect(
      (await rejection(packagesFormatter.write(packages, { parameters: { format: "json" } }))).message,
    ).toBe('Cannot write packages as "json": butler-ts writes them as YAML');
  });
});
