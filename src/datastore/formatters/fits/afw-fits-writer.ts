import { FormatterError } from "../../../errors.ts";
import { Exposure } from "../../../images/exposure.ts";
import { Image } from "../../../images/image.ts";
import { DEFAULT_MASK_PLANES, Mask } from "../../../images/mask.ts";
import { MaskedImage } from "../../../images/masked-image.ts";
import { PropertyList } from "../../../images/property-list.ts";
import type { SkyWcs } from "../../../images/sky-wcs.ts";
import { skyWcsToCards, xy0ToCards } from "../../../images/sky-wcs-cards.ts";
import type { HeaderCard } from "./fits-card.ts";
import { type FitsImageHduInput, writeFits } from "./fits-writer.ts";

/** The in-memory image types the FITS formatters write. */
export type AfwImageObject = Image | Mask | MaskedImage | Exposure;

/** Whether `object` is one of the image types the FITS formatters write. */
export function isAfwImageObject(object: unknown): object is AfwImageObject {
  return object instanceof Image || object instanceof MaskedImage;
}

/**
 * The bytes of an image object in afw's FITS layout, which afw, astropy and DS9 read: an Image or Mask in
 * the primary HDU with its xy0 cards (`LTV1/2` and the `A` pixel WCS), a Mask with `MP_*` plane cards; a
 * MaskedImage or Exposure as an empty primary HDU (holding the metadata) followed by `IMAGE`, `MASK` and
 * `VARIANCE` extensions, each with the WCS cards. A missing mask or variance is written zero-filled, as afw
 * always has them.
 * @throws {FormatterError} for an object of another type, or metadata FITS cannot hold.
 */
export function writeAfwFits(object: unknown): Uint8Array {
  if (object instanceof Image) {
    return writeFits([plane(object, object instanceof Mask ? "MASK" : undefined, null)]);
  }
  if (object instanceof MaskedImage) {
    const exposure = object instanceof Exposure ? object : undefined;
    const { image } = object;
    const mask = object.mask ?? Mask.blank(image.width, image.height, image.xy0, DEFAULT_MASK_PLANES);
    const variance = object.variance ?? Image.zeros("float32", image.width, image.height, image.xy0);
    const wcs = exposure?.wcs ?? null;
    return writeFits([
      { cards: metadataCards(exposure?.metadata ?? new PropertyList()) },
      plane(image, "IMAGE", wcs),
      plane(mask, "MASK", wcs),
      plane(variance, "VARIANCE", wcs),
    ]);
  }
  throw new FormatterError(`Cannot write ${describe(object)} as a FITS image`, {
    hint: "The FITS formatters write Image, Mask, MaskedImage and Exposure objects.",
  });
}

function plane(image: Image, extname: string | undefined, wcs: SkyWcs | null): FitsImageHduInput {
  const cards: HeaderCard[] = [
    ...(extname === undefined
      ? []
      : [
          { key: "EXTNAME", value: extname },
          { key: "EXTTYPE", value: extname },
          { key: "INHERIT", value: true },
        ]),
    ...(wcs === null ? [] : skyWcsToCards(wcs, image.xy0)),
    ...xy0ToCards(image.xy0),
    ...(image instanceof Mask
      ? Object.entries(image.planes).map(([name, bit]) => ({ key: `MP_${name}`, value: bit }))
      : []),
  ];
  return { pixels: { array: image.array, shape: [image.width, image.height] }, cards };
}

/** Metadata entries as header cards (entries read from FITS keep their card text). */
function metadataCards(metadata: PropertyList): HeaderCard[] {
  return metadata.entries.map((entry) => entry as HeaderCard);
}

function describe(object: unknown): string {
  if (object === null) return "null";
  if (typeof object !== "object") return `a ${typeof object}`;
  const name = (object as { constructor?: { name?: string } }).constructor?.name;
  return name === undefined || name === "Object" ? "a plain object" : `a ${name}`;
}
