import { describe, expect, it } from "vitest";
import { thrown } from "../../test/support/caught.ts";
import { ArgumentError } from "../errors.ts";
import { Box } from "./box.ts";

describe("Box", () => {
  it("has inclusive corners like afw's Box2I", () => {
    const box = Box.fromSize(10, 20, 100, 50);
    expect(box.toJSON()).toEqual({ x0: 10, y0: 20, x1: 109, y1: 69 });
    expect([box.width, box.height, box.isEmpty]).toEqual([100, 50, false]);
    expect(box.dimensions).toEqual({ x: 100, y: 50 });
    expect(Box.fromSize(0, 0, 0, 5).isEmpty).toBe(true);
    expect(Object.isFrozen(box)).toBe(true);
  });

  it("parses read parameters: strings, objects, afw's min/max names", () => {
    expect(Box.parse("1, 2,3,4")).toEqual(new Box(1, 2, 3, 4));
    expect(Box.parse([1, 2, 3, 4])).toEqual(new Box(1, 2, 3, 4));
    expect(Box.parse({ x0: -5, y0: 0, x1: 5, y1: 0 })).toEqual(new Box(-5, 0, 5, 0));
    expect(Box.parse({ minX: 1, minY: 2, maxX: 3, maxY: 4 })).toEqual(new Box(1, 2, 3, 4));
    expect(Box.parse(String(new Box(7, 8, 9, 10)))).toEqual(new Box(7, 8, 9, 10));
  });

  it("refuses what is not a box, quoting it", () => {
    const error = thrown(() => Box.parse("1,2,3"));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.code).toBe("ArgumentError");
    expect(error.message).toBe('Cannot read "1,2,3" as a pixel box');
    expect(thrown(() => new Box(0, 0, -5, 0)).message).toBe(
      "Box max corner (-5, 0) lies before its min corner (0, 0)",
    );
    expect(thrown(() => new Box(0.5, 0, 1, 1)).message).toBe("Box corner x0 must be an integer; got 0.5");
  });

  it("contains and shifts", () => {
    const box = new Box(0, 0, 9, 9);
    expect(box.contains(new Box(2, 2, 9, 9))).toBe(true);
    expect(box.contains(new Box(2, 2, 10, 9))).toBe(false);
    expect(box.shifted(5, -1)).toEqual(new Box(5, -1, 14, 8));
  });
});
