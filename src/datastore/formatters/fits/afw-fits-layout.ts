import { Box, type ImageOrigin } from "../../../images/box.ts";
import { Image, localBox } from "../../../images/image.ts";
import { Mask } from "../../../images/mask.ts";
import { PropertyList } from "../../../images/property-list.ts";
import { type CardLookup, isWcsKeyword, xy0FromCards } from "../../../images/sky-wcs-cards.ts";
import { imageShape, readCompressedPixels } from "./compressed-plane.ts";
import { fitsError } from "./fits-error.ts";
import type { FitsHdu } from "./fits-hdu.ts";
import type { FitsReader } from "./fits-reader.ts";
import type { FitsValue } from "./fits-types.ts";
import { isStructuralKeyword } from "./fits-writer.ts";

/** The HDUs of an afw image file: the image, and the mask and variance when it has them. */
export interface AfwPlanes {
  readonly image: FitsHdu;
  readonly mask: FitsHdu | undefined;
  readonly variance: FitsHdu | undefined;
  /** Whether the file is afw's multi-extension layout (an empty primary HDU, then the planes). */
  readonly extensions: boolean;
}

/** Keywords afw adds to each plane's HDU and takes out when reading; checksums, which a rewrite invalidates. */
const PLANE_KEYWORDS = new Set(["EXTNAME", "EXTTYPE", "INHERIT", "EXTVER", "CHECKSUM", "DATASUM"]);

/**
 * Where an afw file keeps its planes: `IMAGE`/`MASK`/`VARIANCE` extensions by name, or by position after an
 * empty primary HDU, or a single image in the primary HDU. Planes may be tile-compressed (`ZIMAGE = T`).
 * @throws {FormatterError} when the file holds no 2-d image.
 */
export function findPlanes(reader: FitsReader): AfwPlanes {
  const named = reader.find("IMAGE");
  if (named !== undefined) {
    return { image: named, mask: reader.find("MASK"), variance: reader.find("VARIANCE"), extensions: true };
  }
  const primary = reader.hdus[0] as FitsHdu;
  if (primary.shape.length === 2)
    return { image: primary, mask: undefined, variance: undefined, extensions: false };
  const images = reader.hdus
    .slice(1)
    .filter(
      (hdu) => (hdu.kind === "image" || hdu.kind === "compressed-image") && imageShape(hdu).length === 2,
    );
  const [image, mask, variance] = images;
  if (image === undefined) {
    throw fitsError(
      "FITS file holds no 2-d image HDU",
      { ...(reader.file === undefined ? {} : { file: reader.file }), offset: 0 },
      "Read it with a formatter for its contents (tables, ...).",
    );
  }
  return { image, mask, variance, extensions: true };
}

/** Header lookup of a plane, falling back to the primary header (FITS `INHERIT = T`). */
export function planeCards(reader: FitsReader, hdu: FitsHdu): CardLookup {
  const primary = reader.hdus[0] as FitsHdu;
  if (hdu === primary) return hdu.header;
  return { get: (key) => hdu.header.get(key) ?? primary.header.get(key) };
}

/** The parent box of an image HDU. */
export function planeBox(reader: FitsReader, hdu: FitsHdu): Box {
  const xy0 = xy0FromCards(planeCards(reader, hdu));
  const [width = 0, height = 0] = imageShape(hdu);
  return Box.fromSize(xy0.x, xy0.y, width, height);
}

/**
 * The pixels of a plane, all or inside `bbox` (inclusive, PARENT coordinates unless `origin` is LOCAL),
 * as an Image, or a Mask with its `MP_*` planes.
 * @throws {ArgumentError} when the box is not inside the image.
 */
export async function readPlane(
  reader: FitsReader,
  hdu: FitsHdu,
  kind: "image" | "mask",
  bbox?: Box,
  origin: ImageOrigin = "PARENT",
): Promise<Image> {
  const full = planeBox(reader, hdu);
  const local = bbox === undefined ? undefined : localBox(bbox, full, origin);
  const array =
    hdu.kind === "compressed-image"
      ? await readCompressedPixels(reader, hdu, local)
      : await reader.readPixels(hdu, local);
  const width = local?.width ?? full.width;
  const height = local?.height ?? full.height;
  const xy0 = { x: full.x0 + (local?.x0 ?? 0), y: full.y0 + (local?.y0 ?? 0) };
  if (kind === "image") return new Image({ array, width, height, xy0 });
  const ints = array instanceof Int32Array ? array : Int32Array.from(array as ArrayLike<number>, Number);
  return new Mask({ array: ints, width, height, xy0, planes: maskPlanesOf(hdu.header) });
}

/** Mask planes from `MP_<name> = bit` cards, or afw's defaults when there are none. */
function maskPlanesOf(
  header: CardLookup & { readonly cards: readonly { key: string; value?: FitsValue }[] },
) {
  const planes: Record<string, number> = {};
  for (const card of header.cards) {
    if (card.key.startsWith("MP_") && typeof card.value === "number") planes[card.key.slice(3)] = card.value;
  }
  return Object.keys(planes).length === 0 ? undefined : planes;
}

/**
 * The metadata of a file: the primary header's cards (and, for a single image, its own) without the
 * structural, WCS, mask-plane and afw plane keywords that the other components hold.
 */
export function readMetadata(reader: FitsReader, planes: AfwPlanes): PropertyList {
  const hdu = planes.extensions ? (reader.hdus[0] as FitsHdu) : planes.image;
  return new PropertyList(
    hdu.header.cards.filter(
      (card) =>
        !isStructuralKeyword(card.key) &&
        !isWcsKeyword(card.key) &&
        !PLANE_KEYWORDS.has(card.key) &&
        !card.key.startsWith("MP_") &&
        card.key !== "CONTINUE",
    ),
  );
}
