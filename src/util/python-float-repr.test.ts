import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../test/support/property.ts";
import { describeWithPython, runPython } from "../../test/support/python.ts";
import { pythonFloatRepr } from "./python-float-repr.ts";

describe("pythonFloatRepr", () => {
  it.each([
    [1.5, "1.5"],
    [1, "1.0"],
    [-0, "-0.0"],
    [0.1, "0.1"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1.5e-7, "1.5e-07"],
    [123.456, "123.456"],
    [1e15, "1000000000000000.0"],
    [1e16, "1e+16"],
    [1.2345e22, "1.2345e+22"],
    [-2.5e-300, "-2.5e-300"],
    [5e-324, "5e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [0.30000000000000004, "0.30000000000000004"],
  ])("writes %d as Python's repr() does", (value, text) => {
    expect(pythonFloatRepr(value)).toBe(text);
  });

  it("prints floats as Python's repr does", () => {
    expect(pythonFloatRepr(5)).toBe("5.0");
    expect(pythonFloatRepr(123.456)).toBe("123.456");
    expect(pythonFloatRepr(1e-7)).toBe("1e-07");
    expect(pythonFloatRepr(9999999999999998)).toBe("9999999999999998.0");
    expect(pythonFloatRepr(Number.NaN)).toBe("nan");
    expect(pythonFloatRepr(Number.NEGATIVE_INFINITY)).toBe("-inf");
  });
});

describeWithPython("json", "pythonFloatRepr() agrees with Python", (python) => {
  it("on any finite double", () => {
    // JSON carries neither NaN, the infinities nor the sign of zero: the cases above cover them.
    const values = fc.sample(
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => x !== 0),
      { ...PROPERTY_OPTIONS, numRuns: 5000 },
    );
    const expected = runPython<string[]>(
      python,
      "import json, sys\nprint(json.dumps([repr(float(x)) for x in json.load(sys.stdin)]))",
      values,
    );
    expect(values.map(pythonFloatRepr)).toEqual(expected);
  });
});
