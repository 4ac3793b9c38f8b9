import type { NumericType } from "../arrays/numeric-array.ts";
import { Box, type ImageOrigin } from "./box.ts";
import { Exposure } from "./exposure.ts";
import { Image } from "./image.ts";
import { Mask } from "./mask.ts";
import { MaskedImage } from "./masked-image.ts";
import { SkyWcs } from "./sky-wcs.ts";

/** How the storage classes of afw's image types see their objects (the shape of a storage-class delegate). */
export interface ImageTypeDelegate {
  readonly expected: string;
  accepts(object: unknown): boolean;
  derive?(object: unknown, component: string): unknown;
  applyParameters?(object: unknown, parameters: Readonly<Record<string, unknown>>): unknown;
}

interface Cuttable {
  subimage(box: Box, origin: ImageOrigin): unknown;
  readonly bbox: Box;
  readonly dimensions?: unknown;
  readonly xy0: unknown;
}

/** Apply the `bbox` and `origin` read parameters: the object cut to the box. */
function cut(object: unknown, parameters: Readonly<Record<string, unknown>>): unknown {
  if (parameters.bbox === undefined) return object;
  const origin = (parameters.origin ?? "PARENT") as ImageOrigin;
  return (object as Cuttable).subimage(Box.parse(parameters.bbox), origin);
}

/** Derived components of anything with a pixel box. */
function derive(object: unknown, component: string): unknown {
  const boxed = object as Cuttable;
  if (component === "bbox") return boxed.bbox;
  if (component === "dimensions") return boxed.bbox.dimensions;
  if (component === "xy0") return boxed.xy0;
  return undefined;
}

/** The delegate of an image type: what it expects, which objects it accepts; box components and cutouts shared. */
const imageType = (expected: string, accepts: (o: unknown) => boolean): ImageTypeDelegate => ({
  expected,
  accepts,
  derive,
  applyParameters: cut,
});

const image = (what: string, dtype?: NumericType): ImageTypeDelegate =>
  imageType(
    `${what} (an Image${dtype === undefined ? "" : ` of ${dtype} pixels`})`,
    (o) => o instanceof Image && !(o instanceof Mask) && (dtype === undefined || o.dtype === dtype),
  );
const maskedImage = imageType("a masked image (a MaskedImage)", (o) => o instanceof MaskedImage);
const exposure = imageType("an exposure (an Exposure)", (o) => o instanceof Exposure);
const mask = imageType("a mask (a Mask)", (o) => o instanceof Mask);

const isXy = (o: unknown): boolean =>
  o !== null &&
  typeof o === "object" &&
  Number.isInteger((o as { x: unknown }).x) &&
  Number.isInteger((o as { y: unknown }).y);

/** Delegates for afw's image types and the geometry of their derived components, by Python type. */
export const IMAGE_DELEGATES: Readonly<Record<string, ImageTypeDelegate>> = Object.freeze({
  "lsst.afw.image.Image": image("an image"),
  "lsst.afw.image.ImageF": image("an image", "float32"),
  "lsst.afw.image.ImageD": image("an image", "float64"),
  "lsst.afw.image.ImageI": image("an image", "int32"),
  "lsst.afw.image.ImageU": image("an image", "uint16"),
  "lsst.afw.image.ImageL": image("an image", "int64"),
  "lsst.afw.image.Mask": mask,
  "lsst.afw.image.MaskX": mask,
  "lsst.afw.image.MaskedImage": maskedImage,
  "lsst.afw.image.Exposure": exposure,
  "lsst.afw.geom.skyWcs.SkyWcs": { expected: "a WCS (a SkyWcs)", accepts: (o) => o instanceof SkyWcs },
  "lsst.geom.Box2I": {
    expected: "a pixel box (a Box)",
    accepts: (o) =>
      o instanceof Box ||
      (o !== null &&
        typeof o === "object" &&
        ["x0", "y0", "x1", "y1"].every((k) => Number.isInteger((o as Record<string, unknown>)[k]))),
  },
  "lsst.geom.Point2I": { expected: "a pixel position {x, y}", accepts: isXy },
  "lsst.geom.Extent2I": { expected: "a pixel size {x, y}", accepts: isXy },
});
