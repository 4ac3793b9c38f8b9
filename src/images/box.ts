import { ArgumentError } from "../errors.ts";

/** An integer pixel position (lsst.geom's Point2I). */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** An integer size, `x` the width and `y` the height (lsst.geom's Extent2I). */
export interface Extent {
  readonly x: number;
  readonly y: number;
}

/** Which pixel coordinates a box is in: the parent image's (afw's default) or the array's own, 0 at the first pixel. */
export type ImageOrigin = "PARENT" | "LOCAL";

/**
 * An integer pixel box with inclusive corners, like afw's Box2I: `x0 <= x <= x1`, `y0 <= y <= y1`. A box
 * with `x1 = x0 - 1` (or the same in y) is empty. Frozen.
 * @example
 * const box = Box.parse("100,200,199,299"); // 100x100 pixels from (100, 200)
 */
export class Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;

  /** @throws {ArgumentError} for corners that are not integers, or a max corner more than one below a min. */
  constructor(x0: number, y0: number, x1: number, y1: number) {
    for (const [name, value] of [
      ["x0", x0],
      ["y0", y0],
      ["x1", x1],
      ["y1", y1],
    ] as const) {
      if (!Number.isSafeInteger(value)) {
        throw new ArgumentError(`Box corner ${name} must be an integer; got ${String(value)}`);
      }
    }
    if (x1 < x0 - 1 || y1 < y0 - 1) {
      throw new ArgumentError(`Box max corner (${x1}, ${y1}) lies before its min corner (${x0}, ${y0})`, {
        hint: "Corners are inclusive: a box of one pixel has x0 = x1 and y0 = y1.",
      });
    }
    this.x0 = x0;
    this.y0 = y0;
    this.x1 = x1;
    this.y1 = y1;
    Object.freeze(this);
  }

  /**
   * The box of `width` x `height` pixels whose min corner is (`x0`, `y0`).
   * @throws {ArgumentError} for a negative size or non-integer values.
   */
  static fromSize(x0: number, y0: number, width: number, height: number): Box {
    if (width < 0 || height < 0) throw new ArgumentError(`Box size ${width}x${height} is negative`);
    return new Box(x0, y0, x0 + width - 1, y0 + height - 1);
  }

  /**
   * A box from a read parameter: a Box, an object `{x0, y0, x1, y1}` (or afw's `{minX, minY, maxX, maxY}`),
   * the string `"x0,y0,x1,y1"` or the array `[x0, y0, x1, y1]`; corners inclusive.
   * @throws {ArgumentError} for anything else, quoting it.
   */
  static parse(value: unknown): Box {
    if (value instanceof Box) return value;
    if (typeof value === "string") {
      const parts = value.split(",").map((part) => part.trim());
      if (parts.length === 4 && parts.every((part) => /^[+-]?\d+$/.test(part))) {
        const [x0, y0, x1, y1] = parts.map(Number) as [number, number, number, number];
        return new Box(x0, y0, x1, y1);
      }
    } else if (Array.isArray(value)) {
      if (value.length === 4 && value.every((v) => typeof v === "number")) {
        const [x0, y0, x1, y1] = value as [number, number, number, number];
        return new Box(x0, y0, x1, y1);
      }
    } else if (value !== null && typeof value === "object") {
      const record = value as Record<string, unknown>;
      const corners = ["x0", "y0", "x1", "y1"].map((key) => record[key]);
      const afw = ["minX", "minY", "maxX", "maxY"].map((key) => record[key]);
      for (const set of [corners, afw]) {
        if (set.every((v) => typeof v === "number")) {
          const [x0, y0, x1, y1] = set as [number, number, number, number];
          return new Box(x0, y0, x1, y1);
        }
      }
    }
    throw new ArgumentError(`Cannot read ${describe(value)} as a pixel box`, {
      hint: 'Give the inclusive corners as "x0,y0,x1,y1" or as an object {x0, y0, x1, y1}.',
    });
  }

  /** Number of columns. */
  get width(): number {
    return this.x1 - this.x0 + 1;
  }

  /** Number of rows. */
  get height(): number {
    return this.y1 - this.y0 + 1;
  }

  /** Whether it holds no pixel. */
  get isEmpty(): boolean {
    return this.width === 0 || this.height === 0;
  }

  /** Its min corner. */
  get min(): Point {
    return Object.freeze({ x: this.x0, y: this.y0 });
  }

  /** Its size. */
  get dimensions(): Extent {
    return Object.freeze({ x: this.width, y: this.height });
  }

  /** Whether `other` lies entirely inside it (an empty box lies inside any box). */
  contains(other: Box): boolean {
    if (other.isEmpty) return true;
    return other.x0 >= this.x0 && other.y0 >= this.y0 && other.x1 <= this.x1 && other.y1 <= this.y1;
  }

  /** The same box moved by (`dx`, `dy`). */
  shifted(dx: number, dy: number): Box {
    return new Box(this.x0 + dx, this.y0 + dy, this.x1 + dx, this.y1 + dy);
  }

  /** Whether both have the same corners. */
  equals(other: Box): boolean {
    return this.x0 === other.x0 && this.y0 === other.y0 && this.x1 === other.x1 && this.y1 === other.y1;
  }

  /** `"x0,y0,x1,y1"`, which {@link Box.parse} reads back. */
  toString(): string {
    return `${this.x0},${this.y0},${this.x1},${this.y1}`;
  }

  toJSON(): { x0: number; y0: number; x1: number; y1: number } {
    return { x0: this.x0, y0: this.y0, x1: this.x1, y1: this.y1 };
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || typeof value !== "object") return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return "an object";
  }
}
