import type { NumericArray } from "../../../arrays/numeric-array.ts";
import { decompressImageRegion } from "./compression/decompress-region.ts";
import type { FitsHdu } from "./fits-hdu.ts";
import { pixelEncodingOf, scalePixels } from "./fits-pixels.ts";
import type { FitsReader, PixelSpan } from "./fits-reader.ts";

/** Axis lengths of the image an HDU holds, width first: `ZNAXISn` of a tile-compressed image. */
export function imageShape(hdu: FitsHdu): readonly number[] {
  if (hdu.kind !== "compressed-image") return hdu.shape;
  const axes = hdu.header.get("ZNAXIS");
  const shape: number[] = [];
  for (let axis = 1; typeof axes === "number" && axis <= axes; axis += 1) {
    const length = hdu.header.get(`ZNAXIS${axis}`);
    shape.push(typeof length === "number" ? length : 0);
  }
  return shape;
}

/**
 * Pixels of a tile-compressed image HDU (`ZIMAGE = T`), all or the rectangle `span` of a 2-d one, with
 * BSCALE/BZERO applied as for an uncompressed image; only the tiles covering the rectangle are read.
 * @throws {FormatterError} for a compressed image the codec cannot decode; {@link ArgumentError} for a
 * span outside the image.
 */
export async function readCompressedPixels(
  reader: FitsReader,
  hdu: FitsHdu,
  span?: PixelSpan,
): Promise<NumericArray> {
  const shape = imageShape(hdu);
  const box =
    span === undefined
      ? { start: shape.map(() => 0), shape }
      : { start: [span.x0, span.y0], shape: [span.x1 - span.x0 + 1, span.y1 - span.y0 + 1] };
  const location = { ...(reader.file === undefined ? {} : { file: reader.file }), offset: hdu.dataOffset };
  const image = await decompressImageRegion(
    hdu.header,
    (offset, length) => reader.readDataRange(hdu, offset, length),
    box,
    location,
  );
  const cards = image.cards;
  const encoding = pixelEncodingOf({ get: (key) => cards.find((card) => card.key === key)?.value }, location);
  return scalePixels(image.pixels as NumericArray, encoding);
}
