import { ArgumentError } from "../errors.ts";
import type { Box, Extent, ImageOrigin, Point } from "./box.ts";
import type { Image } from "./image.ts";
import type { Mask } from "./mask.ts";

/** What makes a masked image: its image, and a mask and variance of the same box when it has them. */
export interface MaskedImageInit {
  readonly image: Image;
  readonly mask?: Mask | null;
  readonly variance?: Image | null;
}

/**
 * An image with its mask and variance planes (afw's MaskedImage), all on the same pixel box. Frozen.
 * @example
 * const cut = maskedImage.subimage(Box.parse("0,0,99,99"));
 */
export class MaskedImage {
  readonly image: Image;
  readonly mask: Mask | null;
  readonly variance: Image | null;

  /** @throws {ArgumentError} when the mask or variance box differs from the image's. */
  constructor(init: MaskedImageInit) {
    checkPlanes(init);
    this.image = init.image;
    this.mask = init.mask ?? null;
    this.variance = init.variance ?? null;
    if (new.target === MaskedImage) Object.freeze(this);
  }

  /** The pixel box in parent coordinates. */
  get bbox(): Box {
    return this.image.bbox;
  }

  /** Width and height. */
  get dimensions(): Extent {
    return this.image.bbox.dimensions;
  }

  /** Parent position of the first pixel. */
  get xy0(): Point {
    return this.image.xy0;
  }

  toJSON(): Record<string, unknown> {
    return { bbox: this.bbox.toJSON(), image: this.image, mask: this.mask, variance: this.variance };
  }

  /**
   * The planes cut to `box`.
   * @throws {ArgumentError} when the box is not inside the image.
   */
  subimage(box: Box, origin: ImageOrigin = "PARENT"): MaskedImage {
    return new MaskedImage(subPlanes(this, box, origin));
  }
}

/** The image, mask and variance cut to `box`. */
export function subPlanes(planes: MaskedImageInit, box: Box, origin: ImageOrigin): MaskedImageInit {
  return {
    image: planes.image.subimage(box, origin),
    mask: planes.mask?.subimage(box, origin) ?? null,
    variance: planes.variance?.subimage(box, origin) ?? null,
  };
}

/** @throws {ArgumentError} when the mask or variance box differs from the image's. */
function checkPlanes(init: MaskedImageInit): void {
  for (const [name, plane] of [
    ["mask", init.mask],
    ["variance", init.variance],
  ] as const) {
    if (plane != null && !plane.bbox.equals(init.image.bbox)) {
      throw new ArgumentError(`The ${name} box ${plane.bbox} differs from the image box ${init.image.bbox}`, {
        hint: "Image, mask and variance must cover the same pixels.",
      });
    }
  }
}
