import { describe, expect, it } from "vitest";
import { constructYamlBool, constructYamlFloat, constructYamlInt } from "./pyyaml-construct.ts";

describe("PyYAML's scalar constructors", () => {
  it("constructYamlInt() reads every int form exactly, and no digits as undefined", () => {
    expect(
      ["0", "-0", "0b101", "017", "0x_1F", "-1_000", "1:30", "+9007199254740993"].map(constructYamlInt),
    ).toEqual([0n, 0n, 5n, 15n, 31n, -1000n, 90n, 9007199254740993n]);
    expect(constructYamlInt("0x_")).toBeUndefined();
  });

  it("constructYamlFloat() reads separators, base 60, signed infinities and NaN", () => {
    expect(["1_000.5", "-1.0e+5", ".5", "1:30.5", "-.inf", "+.INF"].map(constructYamlFloat)).toEqual([
      1000.5,
      -100_000,
      0.5,
      90.5,
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
    ]);
    expect(constructYamlFloat(".NaN")).toBeNaN();
    expect(Object.is(constructYamlFloat("-0.0"), -0)).toBe(true);
  });

  it("constructYamlBool() reads yes, true and on in any of PyYAML's cases as true", () => {
    expect(["yes", "True", "ON", "no", "False", "off"].map(constructYamlBool)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
