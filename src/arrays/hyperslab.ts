import { ArgumentError } from "../errors.ts";

/**
 * A rectangular part of an n-dimensional array: `[start, stop]` per axis (stop excluded), read as Python
 * slices are — negative values count from the end, `null` is the open end, values past the ends are clipped.
 * Axes left out (or given as `null`) are taken whole.
 */
export type Hyperslab = readonly (readonly [number | null, number | null] | null)[];

/** A hyperslab made concrete for one shape: first index and length along every axis. */
export interface ResolvedHyperslab {
  readonly start: readonly number[];
  readonly count: readonly number[];
}

/** An inclusive pixel box on the last two axes (x: columns, the last axis; y: rows), as afw's `Box2I`. */
export interface PixelBox {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

function bound(value: number | null, size: number, fallback: number, what: string): number {
  if (value === null) return fallback;
  if (!Number.isSafeInteger(value)) {
    throw new ArgumentError(`Slice ${what} must be an integer; got ${String(value)}`);
  }
  const from = value < 0 ? value + size : value;
  return Math.min(Math.max(from, 0), size);
}

/**
 * The start and count along each axis of `shape` that a hyperslab selects.
 * @throws {ArgumentError} for more ranges than axes, or a range that is not two integers (or nulls).
 */
export function resolveHyperslab(shape: readonly number[], slab: Hyperslab): ResolvedHyperslab {
  if (!Array.isArray(slab) || slab.length > shape.length) {
    throw new ArgumentError(
      `A slice needs at most one [start, stop] range per axis; got ${JSON.stringify(slab)} for shape [${shape.join(", ")}]`,
    );
  }
  const start: number[] = [];
  const count: number[] = [];
  shape.forEach((size, axis) => {
    const range = slab[axis] ?? null;
    if (range !== null && (!Array.isArray(range) || range.length !== 2)) {
      throw new ArgumentError(
        `Slice range of axis ${axis} must be [start, stop]; got ${JSON.stringify(range)}`,
      );
    }
    const first = bound(range?.[0] ?? null, size, 0, "start");
    const stop = bound(range?.[1] ?? null, size, size, "stop");
    start.push(first);
    count.push(Math.max(stop - first, 0));
  });
  return Object.freeze({ start: Object.freeze(start), count: Object.freeze(count) });
}

/**
 * The hyperslab of an inclusive pixel box, on the last two axes of `shape` (an image stored as a 2-D
 * array, or a stack of them).
 * @throws {ArgumentError} for an array of rank below 2, or a box that is empty or not inside the array.
 */
export function pixelBoxHyperslab(shape: readonly number[], box: PixelBox): Hyperslab {
  const rank = shape.length;
  if (rank < 2) {
    throw new ArgumentError(
      `A bbox needs an array of at least 2 dimensions; got shape [${shape.join(", ")}]`,
    );
  }
  const height = shape[rank - 2] as number;
  const width = shape[rank - 1] as number;
  const { x0, y0, x1, y1 } = box;
  const integers = [x0, y0, x1, y1].every(Number.isSafeInteger);
  if (!integers || x0 > x1 || y0 > y1 || x0 < 0 || y0 < 0 || x1 >= width || y1 >= height) {
    throw new ArgumentError(
      `bbox {x0: ${x0}, y0: ${y0}, x1: ${x1}, y1: ${y1}} is not a non-empty box of whole pixels inside the ${width}x${height} image`,
      { hint: "x runs over columns (0 to width-1), y over rows (0 to height-1); both ends are included." },
    );
  }
  return [...Array.from({ length: rank - 2 }, () => null), [y0, y1 + 1], [x0, x1 + 1]];
}
