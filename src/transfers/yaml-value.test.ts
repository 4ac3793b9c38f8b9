import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../test/support/property.ts";
import { describeWithPython, runPython } from "../../test/support/python.ts";
import { INT_TAG, resolvePlain, resolveTagged, Tagged, TIMESTAMP_TAG } from "./yaml-value.ts";

describe("resolvePlain()", () => {
  it.each<[string, unknown]>([
    ["abc", "abc"],
    ["", null],
    ["~", null],
    ["Null", null],
    ["yes", true],
    ["OFF", false],
    ["y", "y"],
    ["0", 0],
    ["-17", -17],
    ["0b101", 5],
    ["017", 15],
    ["0x_1F", 31],
    ["1_000", 1000],
    ["1:30", 90],
    ["1.5", 1.5],
    ["1.0e+5", 100_000],
    ["1e5", "1e5"],
    [".5", 0.5],
    ["-.inf", Number.NEGATIVE_INFINITY],
    [".NaN", Number.NaN],
    ["1:30.5", 90.5],
    ["1.0.2", "1.0.2"],
    ["2020-01-01", new Tagged(TIMESTAMP_TAG, "2020-01-01")],
    ["9007199254740993", new Tagged(INT_TAG, "9007199254740993")],
    ["0b_", new Tagged(INT_TAG, "0b_")],
  ])("reads %j as %o", (text, expected) => {
    expect(resolvePlain(text)).toEqual(expected);
  });
});

describe("resolveTagged()", () => {
  it("resolves core scalar tags and keeps the others", () => {
    expect(resolveTagged("tag:yaml.org,2002:str", "12")).toBe("12");
    expect(resolveTagged("tag:yaml.org,2002:float", "3")).toBe(3);
    expect(resolveTagged("tag:yaml.org,2002:bool", "maybe")).toEqual(
      new Tagged("tag:yaml.org,2002:bool", "maybe"),
    );
    expect(resolveTagged("tag:yaml.org,2002:seq", ["a"])).toEqual(["a"]);
    expect(resolveTagged("!uuid", "x")).toEqual(new Tagged("!uuid", "x"));
  });
});

describeWithPython("yaml", "resolvePlain() agrees with PyYAML", (python) => {
  it("on number-like, boolean-like and null-like text", () => {
    const pieces = [
      "0",
      "1",
      "7",
      "9",
      "_",
      ".",
      ":",
      "-",
      "+",
      "e",
      "E",
      "x",
      "b",
      "a",
      "f",
      "inf",
      "nan",
      "Inf",
      "NaN",
      "yes",
      "No",
      "on",
      "null",
      "~",
    ];
    const texts = fc.sample(
      fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 6 }).map((parts) => parts.join("")),
      { ...PROPERTY_OPTIONS, numRuns: 3000 },
    );
    // What PyYAML's safe loader makes of each as an unquoted scalar: [type, value as text].
    const expected = runPython<[string, string | null][]>(
      python,
      `import json, math, sys, yaml
loader = yaml.SafeLoader("")
def describe(text):
    tag = loader.resolve(yaml.ScalarNode, text, (True, False))
    try:
        value = loader.construct_object(yaml.ScalarNode(tag, text))
    except Exception:
        return ["error", None]
    if isinstance(value, bool): return ["bool", str(value).lower()]
    if isinstance(value, int): return ["int", str(value)]
    if isinstance(value, float): return ["float", "nan" if math.isnan(value) else repr(value)]
    if value is None: return ["null", None]
    return [type(value).__name__, str(value)]
print(json.dumps([describe(t) for t in json.load(sys.stdin)]))`,
      texts,
    );
    const actual = texts.map((text): [string, string | null] => {
      const value = resolvePlain(text);
      if (typeof value === "boolean") return ["bool", String(value)];
      // The integer and float rules differ by the "." (or inf/nan) that only floats have.
      if (typeof value === "number") return [/[.]|inf|nan/i.test(text) ? "float" : "int", String(value)];
      if (value === null) return ["null", null];
      if (value instanceof Tagged) return value.tag === INT_TAG ? ["error", null] : ["timestamp", null];
      return ["str", value as string];
    });
    const normalized = expected.map(([type, text]): [string, string | null] =>
      type === "float" ? [type, String(Number(String(text).replace("inf", "Infinity")))] : [type, text],
    );
    expect(actual.map((entry, i) => [texts[i], ...entry])).toEqual(
      normalized.map((entry, i) => [texts[i], ...entry]),
    );
  });
});
