import type { NumericArray } from "../../../arrays/numeric-array.ts";
import type { HeaderCard } from "./fits-card.ts";
import { fitsError } from "./fits-error.ts";
import { BLOCK_SIZE, FitsHeader } from "./fits-header.ts";
import { bytesPerPixel, encodingForPixels, type PixelEncoding, writeStoredPixels } from "./fits-pixels.ts";

/** One image HDU to write: its pixels (none for an empty HDU) and the cards after the mandatory ones. */
export interface FitsImageHduInput {
  /** Pixels row-major, NAXIS1 fastest, with the axis lengths in FITS order (width first). */
  readonly pixels?: { readonly array: NumericArray; readonly shape: readonly number[] };
  /** Cards to write after the structural ones; structural keywords among them are dropped. */
  readonly cards?: readonly HeaderCard[];
}

/** Keywords the writer owns: taken from the pixels, never from the cards given. */
const STRUCTURAL = /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|BSCALE|BZERO|BLANK|GROUPS|END)$/;

/** Whether a keyword is one the FITS writer sets itself (SIMPLE, BITPIX, NAXISn, BZERO, ...). */
export function isStructuralKeyword(key: string): boolean {
  return STRUCTURAL.test(key);
}

/**
 * The bytes of a FITS file of image HDUs: the first is the primary HDU, the others IMAGE extensions;
 * mandatory keywords first and in order, BITPIX and BZERO chosen by the pixel type (unsigned integers
 * with the BZERO convention), headers padded with spaces and data with zeros to 2880-byte blocks.
 * @throws {FormatterError} when there is no HDU, a shape does not match its pixels, or a card cannot be written.
 */
export function writeFits(hdus: readonly FitsImageHduInput[]): Uint8Array {
  if (hdus.length === 0)
    throw fitsError("Cannot write a FITS file without HDUs", {}, "Give at least one HDU.");
  const parts: { header: Uint8Array; pixels?: NumericArray; dataBytes: number }[] = [];
  hdus.forEach((hdu, index) => {
    const primary = index === 0;
    const pixels = hdu.pixels;
    const shape = pixels?.shape ?? [];
    const count = shape.length === 0 ? 0 : shape.reduce((a, b) => a * b, 1);
    if (pixels !== undefined && count !== pixels.array.length) {
      throw fitsError(
        `Cannot write HDU ${index}: shape ${shape.join("x")} holds ${count} pixels, the array ${pixels.array.length}`,
        {},
        "Give the shape of the array, width first.",
      );
    }
    const encoding: PixelEncoding =
      pixels === undefined ? { bitpix: 8, bscale: 1, bzero: 0 } : encodingForPixels(pixels.array);
    const cards: HeaderCard[] = [
      primary
        ? { key: "SIMPLE", value: true, comment: "conforms to FITS standard" }
        : { key: "XTENSION", value: "IMAGE", comment: "Image extension" },
      { key: "BITPIX", value: encoding.bitpix, comment: "array data type" },
      { key: "NAXIS", value: shape.length, comment: "number of array dimensions" },
      ...shape.map((length, axis) => ({ key: `NAXIS${axis + 1}`, value: length })),
      ...(primary
        ? [{ key: "EXTEND", value: true }]
        : [
            { key: "PCOUNT", value: 0, comment: "number of parameters" },
            { key: "GCOUNT", value: 1, comment: "number of groups" },
          ]),
      ...(Number(encoding.bzero) === 0
        ? []
        : [
            { key: "BSCALE", value: 1 },
            { key: "BZERO", value: encoding.bzero },
          ]),
      ...(hdu.cards ?? []).filter((card) => !isStructuralKeyword(card.key)),
    ];
    const header = new FitsHeader(cards).toBytes();
    const dataBytes = pixels === undefined ? 0 : pixels.array.length * bytesPerPixel(encoding);
    parts.push({ header, dataBytes, ...(pixels === undefined ? {} : { pixels: pixels.array }) });
  });
  const padded = (bytes: number) => Math.ceil(bytes / BLOCK_SIZE) * BLOCK_SIZE;
  // One buffer for the whole file, pixels encoded straight into it: no copy per HDU for big images.
  const out = new Uint8Array(
    parts.reduce((sum, part) => sum + part.header.length + padded(part.dataBytes), 0),
  );
  let at = 0;
  for (const part of parts) {
    out.set(part.header, at);
    at += part.header.length;
    if (part.pixels !== undefined) writeStoredPixels(part.pixels, out.subarray(at, at + part.dataBytes));
    at += padded(part.dataBytes);
  }
  return out;
}
