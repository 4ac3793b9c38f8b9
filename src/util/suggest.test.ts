import { describe, expect, it } from "vitest";
import { closeMatches, didYouMean } from "./suggest.ts";

describe("closeMatches", () => {
  const names = ["instrument", "visit", "detector", "exposure", "physical_filter"];

  it("finds typos, swaps and case differences, best first", () => {
    expect(closeMatches("instrumnet", names)).toEqual(["instrument"]);
    expect(closeMatches("visitt", names)).toEqual(["visit"]);
    expect(closeMatches("Detector", names)).toEqual(["detector"]);
  });

  it("suggests nothing for unrelated names", () => {
    expect(closeMatches("zzz", names)).toEqual([]);
    expect(didYouMean("zzz", names)).toBeUndefined();
  });

  it("phrases a hint", () => {
    expect(didYouMean("exposur", names)).toBe('Did you mean "exposure"?');
  });
});
