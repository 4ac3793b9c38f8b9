import { ArgumentError } from "../errors.ts";
import type { Point } from "./box.ts";
import { Image, type ImageInit } from "./image.ts";

/** afw's default mask planes: name -> bit number. */
export const DEFAULT_MASK_PLANES: Readonly<Record<string, number>> = Object.freeze({
  BAD: 0,
  SAT: 1,
  INTRP: 2,
  CR: 3,
  EDGE: 4,
  DETECTED: 5,
  DETECTED_NEGATIVE: 6,
  SUSPECT: 7,
  NO_DATA: 8,
});

/**
 * A mask (afw's MaskX): an image of 32-bit integers whose bits are named planes (`BAD` is bit 0, ...),
 * written to FITS as `MP_<name>` cards. Frozen.
 */
export class Mask extends Image<Int32Array> {
  /** Plane name -> bit number. */
  readonly planes: Readonly<Record<string, number>>;

  /** @throws {ArgumentError} for pixels that are not an Int32Array, or a bit number outside 0..31. */
  constructor(init: ImageInit<Int32Array> & { readonly planes?: Readonly<Record<string, number>> }) {
    if (!(init.array instanceof Int32Array)) throw new ArgumentError("Mask pixels must be an Int32Array");
    super(init);
    const planes = init.planes ?? DEFAULT_MASK_PLANES;
    for (const [name, bit] of Object.entries(planes)) {
      if (!Number.isInteger(bit) || bit < 0 || bit > 31) {
        throw new ArgumentError(`Mask plane "${name}" has bit ${bit}; bits go from 0 to 31`);
      }
    }
    this.planes = Object.freeze({ ...planes });
    Object.freeze(this);
  }

  /** A mask with no bit set. */
  static blank(width: number, height: number, xy0?: Point, planes?: Readonly<Record<string, number>>): Mask {
    return new Mask({
      array: new Int32Array(width * height),
      width,
      height,
      ...(xy0 === undefined ? {} : { xy0 }),
      ...(planes === undefined ? {} : { planes }),
    });
  }

  /**
   * The bit value (`1 << bit`) of the named planes, ORed.
   * @throws {ArgumentError} for a plane it does not have.
   */
  bitmask(...names: readonly string[]): number {
    let value = 0;
    for (const name of names) {
      const bit = this.planes[name];
      if (bit === undefined) {
        throw new ArgumentError(`Mask has no plane "${name}"`, {
          hint: `Its planes: ${Object.keys(this.planes).join(", ")}.`,
        });
      }
      value |= 1 << bit;
    }
    return value;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), planes: this.planes };
  }

  override withPixels(array: Int32Array, width: number, height: number, xy0: Point): this {
    return new Mask({ array, width, height, xy0, planes: this.planes }) as this;
  }
}
