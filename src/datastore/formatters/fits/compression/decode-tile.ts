import { FormatterError } from "../../../../errors.ts";
import { type FitsNumericCode, readElements } from "../bintable-elements.ts";
import { fitsWhere } from "../bintable-format.ts";
import type { FitsNumericArray } from "../bintable-types.ts";
import type { FitsLocation } from "../fits-types.ts";
import type { CompressedImageLayout } from "./compressed-layout.ts";
import { unquantize } from "./dither.ts";
import { gzipDecode } from "./gzip-decode.ts";
import { riceDecode } from "./rice-decode.ts";
import type { HeapSpan, TileCells } from "./tile-cells.ts";
import { type PixelBox, placeTile, tileBox } from "./tile-grid.ts";

const INTEGER_CODE = { 1: "B", 2: "I", 4: "J", 8: "K" } as const;

/**
 * Decode tile `row` and copy its pixels into `out`, the pixels of `box` (the whole image or a region).
 * @throws {FormatterError} as {@link decodeTile}.
 */
export function decodeTileInto(
  layout: CompressedImageLayout,
  row: number,
  cells: TileCells,
  bytesOf: (span: HeapSpan) => Uint8Array,
  location: FitsLocation,
  out: FitsNumericArray,
  box: PixelBox,
): void {
  const at = tileBox(layout, row);
  const count = at.shape.reduce((product, n) => product * n, 1);
  placeTile(decodeTile(layout, row, count, cells, bytesOf, location), at, out, box);
}

/**
 * The pixels of tile `row` (0-based), `count` of them, as the image's typed array (`ZBITPIX`): from
 * COMPRESSED_DATA, or for a float tile that could not be quantized from GZIP_COMPRESSED_DATA or
 * UNCOMPRESSED_DATA. `bytesOf` gives a span's bytes.
 * @throws {FormatterError} naming the tile and the byte offset of its data when the data is corrupt.
 */
export function decodeTile(
  layout: CompressedImageLayout,
  row: number,
  count: number,
  cells: TileCells,
  bytesOf: (span: HeapSpan) => Uint8Array,
  location: FitsLocation,
): FitsNumericArray {
  const failAt =
    (span: HeapSpan, algorithm: string) =>
    (reason: string, cause?: unknown): FormatterError =>
      new FormatterError(
        `Cannot decompress tile ${row + 1} of ${layout.table.rows} (${algorithm}): ${reason}`,
        {
          ...fitsWhere(location, span.start),
          hint: "The file is corrupt or truncated.",
          ...(cause === undefined ? {} : { cause }),
        },
      );
  const { bitpix, compression } = layout;
  const width = Math.abs(bitpix) / 8;
  if (cells.compressed.count > 0) {
    const span = cells.compressed;
    const fail = failAt(span, compression);
    const bytes = bytesOf(span);
    if (layout.quantize !== undefined) {
      if (cells.scale === undefined) throw fail("the tile has no ZSCALE");
      const ints = decodeIntegers(layout, bytes, count, 4, fail);
      return unquantize(
        ints as Int32Array,
        {
          method: layout.quantize,
          scale: cells.scale,
          zero: cells.zero ?? 0,
          blank: cells.blank,
          seed: row + layout.dither0,
        },
        bitpix === -32 ? new Float32Array(count) : new Float64Array(count),
      );
    }
    if (bitpix > 0) return asImageType(decodeIntegers(layout, bytes, count, width, fail), bitpix);
    if (compression === "RICE_1") throw fail("RICE_1 cannot hold unquantized floating-point pixels");
    const raw =
      compression === "NOCOMPRESS"
        ? enough(bytes, count * width, fail)
        : gzipDecode(bytes, count * width, width, compression === "GZIP_2", fail);
    return readElements(raw, 0, bitpix === -32 ? "E" : "D", count);
  }
  const gzipped = cells.gzipCompressed;
  if (gzipped !== undefined && gzipped.count > 0) {
    const raw = gzipDecode(
      bytesOf(gzipped),
      count * width,
      width,
      false,
      failAt(gzipped, "GZIP_COMPRESSED_DATA"),
    );
    return asImageType(readElements(raw, 0, imageCode(bitpix), count), bitpix);
  }
  const plain = cells.uncompressed;
  if (plain !== undefined && plain.count > 0) {
    if (plain.count !== count) {
      throw failAt(plain, "UNCOMPRESSED_DATA")(`the tile holds ${plain.count} values, expected ${count}`);
    }
    return asImageType(readElements(bytesOf(plain), 0, plain.code as FitsNumericCode, count), bitpix);
  }
  if (count === 0) return asImageType(new Uint8Array(0), bitpix);
  throw failAt(cells.compressed, compression)("the tile has no data");
}

/** Integer pixels of `width` bytes from a tile's compressed bytes. */
function decodeIntegers(
  layout: CompressedImageLayout,
  bytes: Uint8Array,
  count: number,
  width: number,
  fail: (reason: string, cause?: unknown) => FormatterError,
): FitsNumericArray {
  switch (layout.compression) {
    case "RICE_1": {
      const bytePix = layout.bytePix;
      if (bytePix === 8) throw fail("RICE_1 with BYTEPIX = 8 is not supported");
      return riceDecode(bytes, count, layout.blockSize, bytePix, fail);
    }
    case "NOCOMPRESS":
      return readElements(enough(bytes, count * width, fail), 0, integerCode(width), count);
    default: {
      const raw = gzipDecode(bytes, count * width, width, layout.compression === "GZIP_2", fail);
      return readElements(raw, 0, integerCode(width), count);
    }
  }
}

function enough(bytes: Uint8Array, length: number, fail: (reason: string) => FormatterError): Uint8Array {
  if (bytes.length < length) throw fail(`the tile holds ${bytes.length} bytes, expected ${length}`);
  return bytes;
}

function integerCode(width: number): FitsNumericCode {
  return INTEGER_CODE[width as 1 | 2 | 4 | 8];
}

function imageCode(bitpix: number): FitsNumericCode {
  return bitpix === -32 ? "E" : bitpix === -64 ? "D" : integerCode(bitpix / 8);
}

/** Values converted to the typed array of `ZBITPIX` (unchanged when they already are one). */
export function asImageType(values: FitsNumericArray, bitpix: number): FitsNumericArray {
  const out = emptyImage(bitpix, values.length);
  if (out.constructor === values.constructor) return values;
  if (out instanceof BigInt64Array) {
    for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i] as number);
  } else if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
  } else {
    (out as Float64Array).set(values as Float64Array);
  }
  return out;
}

/** A zeroed typed array for `length` pixels of `ZBITPIX`. */
export function emptyImage(bitpix: number, length: number): FitsNumericArray {
  switch (bitpix) {
    case 8:
      return new Uint8Array(length);
    case 16:
      return new Int16Array(length);
    case 32:
      return new Int32Array(length);
    case 64:
      return new BigInt64Array(length);
    case -32:
      return new Float32Array(length);
    default:
      return new Float64Array(length);
  }
}
