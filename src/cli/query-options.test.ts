import { describe, expect, it } from "vitest";
import { CommandLineError } from "../errors.ts";
import { limitPlan, parseBind } from "./query-options.ts";

describe("parseBind()", () => {
  it("reads numbers as numbers and anything else as text", () => {
    expect(parseBind(["visit=42", "ratio=-1.5e2", "name=HSC", "hex=0x10", "empty=", "eq=a=b"])).toEqual({
      visit: 42,
      ratio: -150,
      name: "HSC",
      hex: "0x10",
      empty: "",
      eq: "a=b",
    });
    expect(parseBind(undefined)).toEqual({});
  });

  it("refuses a pair without a key", () => {
    expect(() => parseBind(["visit"])).toThrow(CommandLineError);
    expect(() => parseBind(["=3"])).toThrow('Invalid --bind "=3": expected KEY=VALUE');
  });
});

describe("limitPlan()", () => {
  it("follows daf_butler's CLI: 0 all, N at most N, -N one more to detect and warn", () => {
    expect(limitPlan(0)).toEqual({ fetch: undefined, keep: undefined, warn: false });
    expect(limitPlan(5)).toEqual({ fetch: 5, keep: 5, warn: false });
    expect(limitPlan(-20_000)).toEqual({ fetch: 20_001, keep: 20_000, warn: true });
  });
});
