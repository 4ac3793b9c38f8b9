import { FormatterError, MissingDependencyError } from "../../../errors.ts";
import { Box, type ImageOrigin } from "../../../images/box.ts";
import { Exposure } from "../../../images/exposure.ts";
import { type Image, localBox } from "../../../images/image.ts";
import type { Mask } from "../../../images/mask.ts";
import { MaskedImage } from "../../../images/masked-image.ts";
import { skyWcsFromCards, xy0FromCards } from "../../../images/sky-wcs-cards.ts";
import type { ByteSource, Formatter, FormatterReadOptions } from "../formatter.ts";
import { writeParametersOf } from "../write-parameters.ts";
import { findPlanes, planeBox, planeCards, readMetadata, readPlane } from "./afw-fits-layout.ts";
import { writeAfwFits } from "./afw-fits-writer.ts";
import { openFitsReader } from "./fits-reader.ts";

/** What an afw FITS file is read as. */
type ImageKind = "image" | "mask" | "maskedImage" | "exposure";

const COMPONENTS = ["image", "mask", "variance", "metadata", "wcs", "bbox", "dimensions", "xy0"];

/** The kind a storage class name asks for (`ExposureF` -> exposure), or undefined for others. */
function kindOfStorageClass(name: string | undefined): ImageKind | undefined {
  if (name === undefined) return undefined;
  if (name.startsWith("Exposure")) return "exposure";
  if (name.startsWith("MaskedImage")) return "maskedImage";
  if (name.startsWith("Mask")) return "mask";
  if (name.startsWith("Image") || name.startsWith("DecoratedImage")) return "image";
  return undefined;
}

/**
 * An afw image file read as `kind` (or as the storage class or component the options ask for), reading only
 * the headers and the pixels needed: `bbox` (inclusive, PARENT coordinates unless `origin` is LOCAL) cuts
 * while reading; components `metadata`, `wcs`, `bbox`, `dimensions` and `xy0` read headers only.
 * @throws {FormatterError} for a file that is not FITS or holds no image; {@link ArgumentError} for a box
 * outside the image.
 */
export async function readAfwFits(
  source: ByteSource,
  kind: ImageKind,
  options: FormatterReadOptions = {},
  file?: string,
): Promise<unknown> {
  const parameters = options.parameters ?? {};
  for (const [key, value] of Object.entries(parameters)) {
    if (value === undefined || key === "bbox" || key === "origin") continue;
    throw new MissingDependencyError(`butler-ts cannot apply read parameter "${key}" to a FITS image yet`, {
      hint: "Read without it; butler-ts applies bbox and origin.",
    });
  }
  const bbox = parameters.bbox === undefined ? undefined : Box.parse(parameters.bbox);
  const origin = (parameters.origin ?? "PARENT") as ImageOrigin;
  const reader = await openFitsReader(source, file);
  const planes = findPlanes(reader);
  const wanted = kindOfStorageClass(options.storageClass) ?? kind;
  const component = options.component;
  if (component !== undefined && !COMPONENTS.includes(component)) {
    throw new FormatterError(`Cannot read component "${component}" of a FITS image`, {
      ...(file === undefined ? {} : { file }),
      hint: `Components read from FITS files: ${COMPONENTS.join(", ")}.`,
    });
  }
  const full = planeBox(reader, planes.image);
  const cut = bbox === undefined ? full : localBox(bbox, full, origin).shifted(full.x0, full.y0);
  const cards = planeCards(reader, planes.image);
  const wcs = () => skyWcsFromCards(cards, xy0FromCards(cards)) ?? null;
  switch (component) {
    case "metadata":
      return readMetadata(reader, planes);
    case "wcs":
      return wcs();
    case "bbox":
      return cut;
    case "dimensions":
      return cut.dimensions;
    case "xy0":
      return cut.min;
  }
  const plane = (name: "image" | "mask" | "variance"): Promise<Image | null> => {
    const hdu = name === "mask" && wanted === "mask" && !planes.extensions ? planes.image : planes[name];
    if (hdu === undefined) return Promise.resolve(null);
    return readPlane(reader, hdu, name === "mask" ? "mask" : "image", bbox, origin);
  };
  if (component !== undefined) return plane(component as "image" | "mask" | "variance");
  if (wanted === "image" || wanted === "mask") return plane(wanted);
  const [image, mask, variance] = await Promise.all([plane("image"), plane("mask"), plane("variance")]);
  const planesRead = { image: image as Image, mask: mask as Mask | null, variance };
  if (wanted === "maskedImage") return new MaskedImage(planesRead);
  return new Exposure({ ...planesRead, metadata: readMetadata(reader, planes), wcs: wcs() });
}

function fitsFormatter(name: string, kind: ImageKind, storageClasses: readonly string[]): Formatter {
  return Object.freeze<Formatter>({
    name,
    extension: ".fits",
    extensions: Object.freeze([".fits", ".fit"]),
    storageClasses: Object.freeze([...storageClasses]),
    // obs_base's compression recipe: accepted so daf_butler configs load; files are written uncompressed.
    writeParameters: Object.freeze(["recipe"]),
    appliesReadOptions: true,
    read: (source, options, file) => readAfwFits(source, kind, options, file),
    async write(object, options) {
      writeParametersOf(name, ["recipe"], options);
      return writeAfwFits(object);
    },
  });
}

const suffixed = (base: string, suffixes: readonly string[]) => [base, ...suffixes.map((s) => `${base}${s}`)];

/** afw images (`Image`, `ImageF`, ...) in FITS, as obs_base's FitsImageFormatter reads and writes them. */
export const fitsImageFormatter: Formatter = fitsFormatter("fits-image", "image", [
  ...suffixed("Image", ["F", "I", "U"]),
  ...suffixed("DecoratedImage", ["U"]),
]);

/** afw masks in FITS, as obs_base's FitsMaskFormatter reads and writes them. */
export const fitsMaskFormatter: Formatter = fitsFormatter("fits-mask", "mask", suffixed("Mask", ["X"]));

/** afw masked images in FITS, as obs_base's FitsMaskedImageFormatter reads and writes them. */
export const fitsMaskedImageFormatter: Formatter = fitsFormatter(
  "fits-masked-image",
  "maskedImage",
  suffixed("MaskedImage", ["F", "I", "U"]),
);

/**
 * afw exposures in FITS (image, mask, variance, metadata and WCS), as obs_base's FitsExposureFormatter
 * reads and writes them; it reads any afw image file as any of the image types.
 */
export const fitsExposureFormatter: Formatter = fitsFormatter("fits-exposure", "exposure", [
  ...suffixed("Exposure", ["F", "I", "U"]),
  "DecoratedImageU",
]);
