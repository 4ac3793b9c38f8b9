import type { Box, ImageOrigin } from "./box.ts";
import { MaskedImage, type MaskedImageInit, subPlanes } from "./masked-image.ts";
import { PropertyList } from "./property-list.ts";
import type { SkyWcs } from "./sky-wcs.ts";

/** What makes an exposure: a masked image, its metadata and its WCS. */
export interface ExposureInit extends MaskedImageInit {
  readonly metadata?: PropertyList;
  readonly wcs?: SkyWcs | null;
}

/**
 * An image with its mask, variance, metadata and celestial WCS (afw's Exposure, for the components butler-ts
 * models): a {@link MaskedImage} with metadata and WCS. Its components are properties of those names;
 * `bbox`, `dimensions` and `xy0` are derived. Frozen.
 * @example
 * const cutout = exposure.subimage(Box.parse("100,100,199,199"));
 * cutout.wcs?.pixelToSky(150, 150); // same sky position as in the full exposure
 */
export class Exposure extends MaskedImage {
  readonly metadata: PropertyList;
  readonly wcs: SkyWcs | null;

  /** @throws {ArgumentError} when the mask or variance box differs from the image's. */
  constructor(init: ExposureInit) {
    super(init);
    this.metadata = init.metadata ?? new PropertyList();
    this.wcs = init.wcs ?? null;
    Object.freeze(this);
  }

  /** Its image, mask and variance alone. */
  get maskedImage(): MaskedImage {
    return new MaskedImage(this);
  }

  /** A plain form for JSON output: box, planes, metadata and WCS. */
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), metadata: this.metadata, wcs: this.wcs };
  }

  /**
   * The exposure cut to `box`: pixels copied, metadata and WCS kept (the WCS is in PARENT coordinates, so
   * it stays right for the cut).
   * @throws {ArgumentError} when the box is not inside the image.
   */
  override subimage(box: Box, origin: ImageOrigin = "PARENT"): Exposure {
    return new Exposure({ ...subPlanes(this, box, origin), metadata: this.metadata, wcs: this.wcs });
  }
}
