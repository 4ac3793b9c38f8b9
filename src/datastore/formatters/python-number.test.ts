import { describe, expect, it } from "vitest";
import { pythonNumber } from "./python-number.ts";

describe("pythonNumber", () => {
  it("writes safe integers as ints and anything else as floats", () => {
    expect(pythonNumber(42)).toBe("42");
    expect(pythonNumber(-0)).toBe("0");
    expect(pythonNumber(Number.MAX_SAFE_INTEGER)).toBe("9007199254740991");
    expect(pythonNumber(2 ** 60)).toBe("1.152921504606847e+18");
    expect(pythonNumber(2.5)).toBe("2.5");
  });
});
