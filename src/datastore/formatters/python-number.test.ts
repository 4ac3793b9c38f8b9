import { describe, expect, it } from "vitest";
import { pythonFloatRepr, pythonNumber } from "./python-number.ts";

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
});

describe("pythonNumber", () => {
  it("writes safe integers as ints and anything else as floats", () => {
    expect(pythonNumber(42)).toBe("42");
    expect(pythonNumber(-0)).toBe("0");
    expect(pythonNumber(Number.MAX_SAFE_INTEGER)).toBe("9007199254740991");
    expect(pythonNumber(2 ** 60)).toBe("1.152921504606847e+18");
    expect(pythonNumber(2.5)).toBe("2.5");
  });
});
