import type { FitsNumericArray } from "../bintable-types.ts";
import type { FitsCard, FitsLocation } from "../fits-types.ts";
import { compressedImageLayout } from "./compressed-layout.ts";
import { decodeTileInto, emptyImage } from "./decode-tile.ts";
import { type HeapSpan, tileCells } from "./tile-cells.ts";
import { type CompressedHeader, headerParts, uncompressedHeader } from "./uncompressed-header.ts";

/** A decompressed image (or part of one). */
export interface DecompressedImage {
  /**
   * The uncompressed image's header (see `uncompressedHeader`). `BSCALE`/`BZERO`/`BLANK` stay in it and
   * are not applied to `pixels`. For a region it still describes the whole image.
   */
  readonly cards: FitsCard[];
  /** `ZBITPIX`: 8 → Uint8Array, 16 → Int16Array, 32 → Int32Array, 64 → BigInt64Array, -32/-64 → floats. */
  readonly bitpix: number;
  /** Axis lengths, fastest first (`[NAXIS1, NAXIS2, …]`); the box's shape for a region. */
  readonly shape: number[];
  /** Pixels with the first axis varying fastest (numpy's C order of the reversed shape). */
  readonly pixels: FitsNumericArray;
}

/**
 * Decompresses a tile-compressed image (a `ZIMAGE = T` BINTABLE) from its header and its data: the main
 * table and heap, `NAXIS1 * NAXIS2 + PCOUNT` bytes as they follow the header. Decodes RICE_1, GZIP_1,
 * GZIP_2 and NOCOMPRESS tiles of any shape, restores quantized floats (NO_DITHER, SUBTRACTIVE_DITHER_1
 * and _2, ZBLANK → NaN) and reads tiles stored uncompressed. Give the header as its cards (or a lookup
 * with a `cards` array) to get the full image header back; a plain lookup gives the structural cards.
 * @throws {FormatterError} for a header that is not a compressed image this reader decodes, data
 *   shorter than declared, or a corrupt tile (naming the tile and the byte offset of its data).
 * @example
 * const image = decompressImage(cards, bytes.subarray(dataStart), { file: "calexp.fits", offset: dataStart });
 * image.shape; // [NAXIS1, NAXIS2]
 */
export function decompressImage(
  header: CompressedHeader,
  data: Uint8Array,
  location: FitsLocation = {},
): DecompressedImage {
  const { lookup, cards } = headerParts(header);
  const layout = compressedImageLayout(lookup, data.length, location);
  const count = layout.shape.reduce((product, n) => product * n, layout.shape.length === 0 ? 0 : 1);
  const pixels = emptyImage(layout.bitpix, count);
  const whole = { start: layout.shape.map(() => 0), shape: layout.shape };
  for (let row = 0; row < layout.table.rows; row++) {
    const cells = tileCells(layout, row, data, row * layout.table.rowBytes, location);
    const bytesOf = (span: HeapSpan) => data.subarray(span.start, span.start + span.bytes);
    decodeTileInto(layout, row, cells, bytesOf, location, pixels, whole);
  }
  return {
    cards: uncompressedHeader(lookup, cards),
    bitpix: layout.bitpix,
    shape: [...layout.shape],
    pixels,
  };
}
