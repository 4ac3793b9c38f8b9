import { describe, expect, it } from "vitest";
import { thrown } from "../../test/support/caught.ts";
import { ArgumentError } from "../errors.ts";
import { pixelBoxHyperslab, resolveHyperslab } from "./hyperslab.ts";

describe("resolveHyperslab()", () => {
  it("gives start and count per axis, whole axes for the ones left out", () => {
    expect(resolveHyperslab([10, 20], [[2, 5]])).toEqual({ start: [2, 0], count: [3, 20] });
    expect(resolveHyperslab([10], [[-3, null]])).toEqual({ start: [7], count: [3] });
    expect(resolveHyperslab([], [])).toEqual({ start: [], count: [] });
  });

  it("refuses a range that is not [start, stop]", () => {
    const error = thrown(() => resolveHyperslab([4], [[1, 2, 3] as unknown as [number, number]]));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toBe("Slice range of axis 0 must be [start, stop]; got [1,2,3]");
  });
});

describe("pixelBoxHyperslab()", () => {
  it("selects the inclusive box on the last two axes", () => {
    expect(pixelBoxHyperslab([100, 200], { x0: 10, y0: 20, x1: 19, y1: 24 })).toEqual([
      [20, 25],
      [10, 20],
    ]);
    expect(pixelBoxHyperslab([3, 100, 200], { x0: 0, y0: 0, x1: 0, y1: 0 })).toEqual([null, [0, 1], [0, 1]]);
  });

  it("refuses a box outside the image, and arrays of rank below 2", () => {
    const error = thrown(() => pixelBoxHyperslab([100, 200], { x0: 0, y0: 0, x1: 200, y1: 5 }));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toBe(
      "bbox {x0: 0, y0: 0, x1: 200, y1: 5} is not a non-empty box of whole pixels inside the 200x100 image",
    );
    expect(thrown(() => pixelBoxHyperslab([5], { x0: 0, y0: 0, x1: 0, y1: 0 })).message).toBe(
      "A bbox needs an array of at least 2 dimensions; got shape [5]",
    );
  });
});
