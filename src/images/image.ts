import {
  makeNumericArray,
  type NumericArray,
  type NumericType,
  numericTypeOf,
} from "../arrays/numeric-array.ts";
import { ArgumentError } from "../errors.ts";
import { Box, type ImageOrigin, type Point } from "./box.ts";

/** What makes an image: its pixels row-major (x fastest), its size and the parent position of its first pixel. */
export interface ImageInit<A extends NumericArray = NumericArray> {
  readonly array: A;
  readonly width: number;
  readonly height: number;
  /** Parent coordinates of pixel (0, 0) of the array; (0, 0) when absent. */
  readonly xy0?: Point;
}

/**
 * A 2-d image (afw's Image): a typed array of pixels, row-major with x fastest, placed in its parent's
 * pixel coordinates by `xy0`. Pixel coordinates are 0-based and PARENT unless said otherwise. The object
 * is frozen; its array is not copied on construction and should be treated as read-only.
 * @example
 * const image = new Image({ array: new Float32Array(100 * 50), width: 100, height: 50, xy0: { x: 10, y: 20 } });
 * const cut = image.subimage(Box.parse("20,30,29,39"));
 */
export class Image<A extends NumericArray = NumericArray> {
  readonly array: A;
  readonly width: number;
  readonly height: number;
  readonly xy0: Point;
  readonly dtype: NumericType;

  /** @throws {ArgumentError} when the array is not a typed pixel array or its length is not width x height. */
  constructor(init: ImageInit<A>) {
    const dtype = numericTypeOf(init.array);
    if (dtype === undefined)
      throw new ArgumentError("Image pixels must be a typed array (Float32Array, ...)");
    if (
      !Number.isSafeInteger(init.width) ||
      !Number.isSafeInteger(init.height) ||
      init.width < 0 ||
      init.height < 0 ||
      init.width * init.height !== init.array.length
    ) {
      throw new ArgumentError(
        `Image of ${init.width}x${init.height} pixels cannot hold an array of ${init.array.length}`,
      );
    }
    const xy0 = init.xy0 ?? { x: 0, y: 0 };
    if (!Number.isSafeInteger(xy0.x) || !Number.isSafeInteger(xy0.y)) {
      throw new ArgumentError(`Image xy0 must be integers; got (${xy0.x}, ${xy0.y})`);
    }
    this.array = init.array;
    this.width = init.width;
    this.height = init.height;
    this.xy0 = Object.freeze({ x: xy0.x, y: xy0.y });
    this.dtype = dtype;
    if (new.target === Image) Object.freeze(this);
  }

  /** A zero-filled image. */
  static zeros(dtype: NumericType, width: number, height: number, xy0?: Point): Image {
    return new Image({
      array: makeNumericArray(dtype, width * height),
      width,
      height,
      ...(xy0 ? { xy0 } : {}),
    });
  }

  /** Its pixels' box in parent coordinates. */
  get bbox(): Box {
    return Box.fromSize(this.xy0.x, this.xy0.y, this.width, this.height);
  }

  /**
   * The pixel at (`x`, `y`).
   * @throws {ArgumentError} for a position outside the image.
   */
  get(x: number, y: number, origin: ImageOrigin = "PARENT"): A[number] {
    const [lx, ly] = origin === "PARENT" ? [x - this.xy0.x, y - this.xy0.y] : [x, y];
    if (!(lx >= 0 && ly >= 0 && lx < this.width && ly < this.height && Number.isInteger(lx + ly))) {
      throw new ArgumentError(`Pixel (${x}, ${y}) ${origin} is outside image ${this.bbox}`);
    }
    return this.array[ly * this.width + lx] as A[number];
  }

  /**
   * A copy of the pixels inside `box`, with `xy0` at the box's parent min corner.
   * @param origin Whether `box` is in PARENT coordinates (the default) or LOCAL ones (0 at the array's first pixel).
   * @throws {ArgumentError} when the box is not inside the image.
   */
  subimage(box: Box, origin: ImageOrigin = "PARENT"): this {
    const local = localBox(box, this.bbox, origin);
    const array = makeNumericArray(this.dtype, local.width * local.height) as A;
    for (let row = 0; row < local.height; row += 1) {
      const start = (local.y0 + row) * this.width + local.x0;
      (array as { set(a: ArrayLike<unknown>, at: number): void }).set(
        this.array.subarray(start, start + local.width),
        row * local.width,
      );
    }
    return this.withPixels(array, local.width, local.height, {
      x: local.x0 + this.xy0.x,
      y: local.y0 + this.xy0.y,
    });
  }

  /**
   * A plain form for JSON output: pixel type, box and the pixels as rows (64-bit integers as strings,
   * which JSON numbers cannot hold exactly).
   */
  toJSON(): Record<string, unknown> {
    const rows: unknown[][] = [];
    for (let y = 0; y < this.height; y += 1) {
      const row = Array.from(
        this.array.subarray(y * this.width, (y + 1) * this.width) as ArrayLike<number | bigint>,
      );
      rows.push(typeof row[0] === "bigint" ? row.map(String) : row);
    }
    return { dtype: this.dtype, bbox: this.bbox.toJSON(), pixels: rows };
  }

  /** An image of the same kind (and mask planes, for a Mask) with other pixels. */
  withPixels(array: A, width: number, height: number, xy0: Point): this {
    return new Image({ array, width, height, xy0 }) as this;
  }
}

/**
 * `box` in the LOCAL coordinates of an image whose parent box is `bbox`.
 * @throws {ArgumentError} when the box is not inside the image.
 */
export function localBox(box: Box, bbox: Box, origin: ImageOrigin): Box {
  if (origin !== "PARENT" && origin !== "LOCAL") {
    throw new ArgumentError(`Unknown image origin ${JSON.stringify(origin)}`, {
      hint: 'Use "PARENT" (the default) or "LOCAL".',
    });
  }
  const parent = origin === "PARENT" ? box : box.shifted(bbox.x0, bbox.y0);
  if (!bbox.contains(parent)) {
    throw new ArgumentError(`Box ${box} (${origin}) is not inside the image, whose box is ${bbox} (PARENT)`, {
      hint: `Ask for a box inside ${bbox}; PARENT coordinates include the image's xy0 (${bbox.x0}, ${bbox.y0}).`,
    });
  }
  return parent.shifted(-bbox.x0, -bbox.y0);
}
