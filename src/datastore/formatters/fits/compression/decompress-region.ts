import { ArgumentError, FormatterError } from "../../../../errors.ts";
import { fitsWhere } from "../bintable-format.ts";
import type { FitsLocation } from "../fits-types.ts";
import { compressedImageLayout } from "./compressed-layout.ts";
import { decodeTileInto, emptyImage } from "./decode-tile.ts";
import type { DecompressedImage } from "./decompress-image.ts";
import { type HeapSpan, tileCells } from "./tile-cells.ts";
import { type PixelBox, tilesCovering } from "./tile-grid.ts";
import { type CompressedHeader, headerParts, uncompressedHeader } from "./uncompressed-header.ts";

/** Reads `length` bytes at `offset` from the start of the compressed HDU's data (a range read). */
export type ReadDataBytes = (offset: number, length: number) => Uint8Array | Promise<Uint8Array>;

/**
 * Decompresses only the pixels of `box` (0-based start and shape, FITS axis order) of a tile-compressed
 * image, reading only what the tiles covering the box need: one read of their span of table rows, then
 * one read per heap cell. `read` takes offsets from the start of the HDU's data, so a storage backend
 * with range reads can serve a cutout without fetching the file. The `cards` returned describe the
 * whole image; the caller adjusts `NAXISn` and WCS for the cutout.
 * @throws {ArgumentError} when the box does not lie inside the image.
 * @throws {FormatterError} as `decompressImage` does, and when `read` returns fewer bytes than asked.
 * @example
 * const cutout = await decompressImageRegion(cards, (offset, length) => source.readRange(dataStart + offset, length),
 *   { start: [100, 200], shape: [50, 50] }, { file, offset: dataStart });
 */
export async function decompressImageRegion(
  header: CompressedHeader,
  read: ReadDataBytes,
  box: PixelBox,
  location: FitsLocation = {},
): Promise<DecompressedImage> {
  const { lookup, cards } = headerParts(header);
  const layout = compressedImageLayout(lookup, undefined, location);
  const inside =
    box.start.length === layout.shape.length &&
    box.shape.length === layout.shape.length &&
    layout.shape.every((n, a) => {
      const start = box.start[a] as number;
      const length = box.shape[a] as number;
      return (
        Number.isInteger(start) &&
        Number.isInteger(length) &&
        start >= 0 &&
        length >= 0 &&
        start + length <= n
      );
    });
  if (!inside) {
    throw new ArgumentError(
      `Pixel box start [${box.start.join(", ")}] shape [${box.shape.join(", ")}] is not inside the image of shape [${layout.shape.join(", ")}]`,
      { hint: "Give one 0-based start and one length per axis, NAXIS1 first." },
    );
  }
  const rows = tilesCovering(layout, box);
  const pixels = emptyImage(
    layout.bitpix,
    box.shape.reduce((product, n) => product * n, 1),
  );
  if (rows.length === 0)
    return { cards: uncompressedHeader(lookup, cards), bitpix: layout.bitpix, shape: [...box.shape], pixels };
  const { rowBytes } = layout.table;
  const first = rows[0] as number;
  const last = rows[rows.length - 1] as number;
  const readExactly = async (offset: number, length: number) => {
    const bytes = await read(offset, length);
    if (bytes.length < length) {
      throw new FormatterError(
        `Read ${bytes.length} bytes of compressed image data at ${offset}, expected ${length}`,
        {
          ...fitsWhere(location, offset),
          hint: "The file is truncated.",
        },
      );
    }
    return bytes;
  };
  const rowData = await readExactly(first * rowBytes, (last - first + 1) * rowBytes);
  const tiles = await Promise.all(
    rows.map(async (row) => {
      const cells = tileCells(layout, row, rowData, (row - first) * rowBytes, location);
      const spans = [cells.compressed, cells.gzipCompressed, cells.uncompressed].filter(
        (span): span is HeapSpan => span !== undefined && span.bytes > 0,
      );
      const fetched = new Map(
        await Promise.all(
          spans.map(async (span) => [span, await readExactly(span.start, span.bytes)] as const),
        ),
      );
      return { row, cells, fetched };
    }),
  );
  for (const { row, cells, fetched } of tiles) {
    const bytesOf = (span: HeapSpan) => fetched.get(span) ?? new Uint8Array(0);
    decodeTileInto(layout, row, cells, bytesOf, location, pixels, box);
  }
  return { cards: uncompressedHeader(lookup, cards), bitpix: layout.bitpix, shape: [...box.shape], pixels };
}
