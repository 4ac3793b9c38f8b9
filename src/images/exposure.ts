import type { Box, Extent, ImageOrigin, Point } from "./box.ts";
import type { Image } from "./image.ts";
import type { Mask } from "./mask.ts";
import { checkPlanes, MaskedImage, type MaskedImageInit, subPlanes } from "./masked-image.ts";
import { PropertyList } from "./property-list.ts";
import type { SkyWcs } from "./sky-wcs.ts";

/** What makes an exposure: a masked image, its metadata and its WCS. */
export interface ExposureInit extends MaskedImageInit {
  readonly metadata?: PropertyList;
  readonly wcs?: SkyWcs | null;
}

/**
 * An image with its mask, variance, metadata and celestial WCS (afw's Exposure, for the components butler-ts
 * models). Its components are properties of those names; `bbox`, `dimensions` and `xy0` are derived. Frozen.
 * @example
 * const cutout = exposure.subimage(Box.parse("100,100,199,199"));
 * cutout.wcs?.pixelToSky(150, 150); // same sky position as in the full exposure
 */
export class Exposure {
  readonly image: Image;
  readonly mask: Mask | null;
  readonly variance: Image | null;
  readonly metadata: PropertyList;
  readonly wcs: SkyWcs | null;

  /** @throws {ArgumentError} when the mask or variance box differs from the image's. */
  constructor(init: ExposureInit) {
    checkPlanes(init);
    this.image = init.image;
    this.mask = init.mask ?? null;
    this.variance = init.variance ?? null;
    this.metadata = init.metadata ?? new PropertyList();
    this.wcs = init.wcs ?? null;
    Object.freeze(this);
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

  /** Its image, mask and variance. */
  get maskedImage(): MaskedImage {
    return new MaskedImage(this);
  }

  /** A plain form for JSON output: box, planes, metadata and WCS. */
  toJSON(): Record<string, unknown> {
    const { image, mask, variance, metadata, wcs } = this;
    return { bbox: this.bbox.toJSON(), image, mask, variance, metadata, wcs };
  }

  /**
   * The exposure cut to `box`: pixels copied, metadata and WCS kept (the WCS is in PARENT coordinates, so
   * it stays right for the cut).
   * @throws {ArgumentError} when the box is not inside the image.
   */
  subimage(box: Box, origin: ImageOrigin = "PARENT"): Exposure {
    return new Exposure({ ...subPlanes(this, box, origin), metadata: this.metadata, wcs: this.wcs });
  }
}
