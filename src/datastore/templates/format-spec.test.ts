import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../../test/support/property.ts";
import { describeWithPython, runPython } from "../../../test/support/python.ts";
import { type FormatSpec, parseFormatSpec, SpecMismatch, type SpecValue } from "./format-spec.ts";

function spec(text: string): FormatSpec {
  const parsed = parseFormatSpec(text);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
}

/** [value, spec, is a Python float, what Python 3.11's format(value, spec) gives]. */
const PYTHON_RESULTS: readonly [SpecValue, string, boolean, string][] = [
  [52, "05d", false, "00052"],
  [5, "08d", false, "00000005"],
  ["ab", ">5", false, "   ab"],
  ["ab", "*^6", false, "**ab**"],
  ["ab", "05", false, "ab000"],
  ["abcdef", ".3", false, "abc"],
  [-42, "+06d", false, "-00042"],
  [42, "+d", false, "+42"],
  [42, " d", false, " 42"],
  [1234567, ",d", false, "1,234,567"],
  [1234, "010,d", false, "00,001,234"],
  [255, "#x", false, "0xff"],
  [255, "#X", false, "0XFF"],
  [255, "_b", false, "1111_1111"],
  [5, "x<4", false, "5xxx"],
  [30, "", true, "30.0"],
  [1e16, "", true, "1e+16"],
  [1.5e-5, "", true, "1.5e-05"],
  [0.0001, "", true, "0.0001"],
  [2.5, ".3f", true, "2.500"],
  [12345.678, ",.1f", true, "12,345.7"],
  [1234.5, "e", true, "1.234500e+03"],
  [-0, "", true, "-0.0"],
  [-0.0001, "z.2f", true, "0.00"],
  [3, "f", false, "3.000000"],
  [true, "", false, "True"],
  [true, "05", false, "00001"],
  [1e22, "", true, "1e+22"],
  [1.2345678901234568e17, "", true, "1.2345678901234568e+17"],
  [0.1 + 0.2, "", true, "0.30000000000000004"],
  [-1, "08.2f", true, "-0001.00"],
  [Number.POSITIVE_INFINITY, "F", true, "INF"],
  [2.5, ".0f", true, "2"],
  [0.125, ".2f", true, "0.12"],
  [0.375, ".2f", true, "0.38"],
  [2.5, ".0e", true, "2e+00"],
  [3.5, ".0e", true, "4e+00"],
  [9.5, ".0e", true, "1e+01"],
  [1.25e22, ".1f", true, "12499999999999998951424.0"],
];

describe("parseFormatSpec", () => {
  it.each(PYTHON_RESULTS)("format(%j, %j) gives what Python gives", (value, text, isFloat, expected) => {
    expect(spec(text).render(value, isFloat)).toBe(expected);
  });

  it("refuses what Python refuses, as a SpecMismatch", () => {
    expect(() => spec("d").render("ab", false)).toThrow(SpecMismatch);
    expect(() => spec("d").render(2.5, true)).toThrow('format spec "d" does not apply to a float');
    expect(() => spec(".2d").render(5, false)).toThrow('format spec ".2d" does not apply to an integer');
    expect(() => spec("+").render("ab", false)).toThrow('format spec "+" does not apply to a string');
    expect(() => spec(",x").render(5, false)).toThrow('cannot group digits with "," in base x');
  });

  it("rejects malformed and unsupported specs when parsed", () => {
    expect(parseFormatSpec("08q")).toBe('"08q" is not a valid format spec');
    expect(parseFormatSpec(">>>")).toBe('">>>" is not a valid format spec');
    expect(parseFormatSpec(".2%")).toBe(
      'format type "%" is not supported in file templates (use d, s, x, f or e)',
    );
    expect(parseFormatSpec("g")).toBe(
      'format type "g" is not supported in file templates (use d, s, x, f or e)',
    );
  });
});

const PYTHON_FORMAT = [
  "import json, sys",
  "out = []",
  "for value, spec, is_float in json.load(sys.stdin):",
  "    try: out.append(format(float(value) if is_float else value, spec))",
  "    except ValueError: out.append(None)",
  "print(json.dumps(out))",
].join("\n");

/** Cases where our rendering differs from Python's `format()`, with both results. */
function mismatchesWithPython(python: string, cases: readonly [SpecValue, string, boolean][]): unknown[] {
  const expected = runPython<(string | null)[]>(python, PYTHON_FORMAT, cases);
  return cases.flatMap(([value, text, isFloat], i) => {
    const parsed = parseFormatSpec(text);
    let ours: string | null;
    try {
      ours = typeof parsed === "string" ? null : parsed.render(value, isFloat);
    } catch (error) {
      if (!(error instanceof SpecMismatch)) throw error;
      ours = null;
    }
    return ours === expected[i] ? [] : [{ value, spec: text, ours, python: expected[i] }];
  });
}

const flags = {
  fillAlign: fc.constantFrom("", "<", ">", "^", "=", "*<", "0>", "_^"),
  sign: fc.constantFrom("", "+", " ", "-"),
  alternate: fc.constantFrom("", "#"),
  zero: fc.constantFrom("", "0"),
  width: fc.constantFrom("", "1", "5", "12"),
  grouping: fc.constantFrom("", ",", "_"),
};

describeWithPython("json", "parseFormatSpec against Python's format()", (python) => {
  it("renders random integers and strings with random specs exactly as Python 3 does", () => {
    const specs = fc
      .record({ ...flags, type: fc.constantFrom("", "d", "x", "X", "o", "b", "s") })
      .map((p) => `${p.fillAlign}${p.sign}${p.alternate}${p.zero}${p.width}${p.grouping}${p.type}`);
    const values = fc.oneof(fc.integer({ min: -1e9, max: 1e9 }), fc.string({ maxLength: 6 }));
    const cases = fc
      .sample(fc.tuple(values, specs), { seed: PROPERTY_OPTIONS.seed, numRuns: 600 })
      .map(([value, text]): [SpecValue, string, boolean] => [value, text, false]);
    expect(mismatchesWithPython(python, cases)).toEqual([]);
  });

  it("renders random floats (ties included) with random specs exactly as Python 3 does", () => {
    const specs = fc
      .record({
        ...flags,
        precision: fc.constantFrom("", ".0", ".1", ".2", ".6"),
        type: fc.constantFrom("f", "F", "e", "E"),
      })
      .map(
        (p) => `${p.fillAlign}${p.sign}${p.alternate}${p.zero}${p.width}${p.grouping}${p.precision}${p.type}`,
      );
    const plainSpecs = fc.constantFrom("", ">12", "+", "010,");
    const values = fc.oneof(
      fc.double({ min: -1e25, max: 1e25, noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -400, max: 400 }).map((n) => n / 8),
      fc.integer({ min: -1000, max: 1000 }).map((n) => n / 1e6),
    );
    const cases = fc
      .sample(fc.tuple(values, fc.oneof(specs, plainSpecs)), { seed: PROPERTY_OPTIONS.seed, numRuns: 1500 })
      .filter(([value]) => !Object.is(value, -0))
      .map(([value, text]): [SpecValue, string, boolean] => [value, text, true]);
    expect(mismatchesWithPython(python, cases)).toEqual([]);
  });
});
