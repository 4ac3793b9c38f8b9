import type { NumericArray } from "../../../arrays/numeric-array.ts";
import type { ByteSource } from "../formatter.ts";
import { fitsError } from "./fits-error.ts";
import { type FitsHdu, hduStructure } from "./fits-hdu.ts";
import { BLOCK_SIZE, FitsHeader, findEndCard } from "./fits-header.ts";
import { bytesPerPixel, decodePixels, pixelEncodingOf } from "./fits-pixels.ts";

/** A rectangle of array pixels, 0-based and inclusive, `x` along NAXIS1. */
export interface PixelSpan {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/**
 * Random access to a FITS file through a {@link ByteSource}: its HDUs as listed from their headers alone,
 * and the pixels of an image HDU or a rectangle of them, reading only the bytes needed.
 */
export interface FitsReader {
  /** The file read, for messages. */
  readonly file: string | undefined;
  /** Every HDU, the primary first. */
  readonly hdus: readonly FitsHdu[];
  /** The HDU with this `EXTNAME` (any case) or index, or undefined. */
  find(nameOrIndex: string | number): FitsHdu | undefined;
  /**
   * Pixels of an image HDU (row-major, NAXIS1 fastest), or of the rectangle `span` of a 2-d image, with
   * BSCALE/BZERO applied.
   * @throws {FormatterError} for an HDU that is not an image, or a span outside it.
   */
  readPixels(hdu: FitsHdu, span?: PixelSpan): Promise<NumericArray>;
  /**
   * The data bytes of an HDU, heap included, for codecs of other HDU kinds (binary tables, compressed
   * images); its `dataOffset` is their offset in the file.
   */
  readData(hdu: FitsHdu): Promise<Uint8Array>;
  /**
   * `length` bytes at `offset` from the start of an HDU's data (its heap included), for codecs that read
   * parts of it (a region of a tile-compressed image).
   * @throws {FormatterError} for a range outside the HDU's data.
   */
  readDataRange(hdu: FitsHdu, offset: number, length: number): Promise<Uint8Array>;
}

/** Gaps between wanted byte ranges smaller than this are read through rather than split into two reads. */
const MERGE_GAP = 4096;
/** Reads in flight at once for a rectangle. */
const CONCURRENCY = 16;

/**
 * A reader of the FITS file in `source`, its HDUs listed by reading their headers only.
 * @param file The file's URI or path, for errors.
 * @throws {FormatterError} naming the file and byte offset, for a file that is not FITS, a truncated one,
 * or a header that breaks the standard.
 */
export async function openFitsReader(source: ByteSource, file?: string): Promise<FitsReader> {
  const where = (offset: number) => ({ ...(file === undefined ? {} : { file }), offset });
  const size = await source.size();
  const hdus: FitsHdu[] = [];
  let offset = 0;
  while (offset < size) {
    const primary = hdus.length === 0;
    const start = await readChecked(source, offset, Math.min(size, offset + BLOCK_SIZE), where(offset));
    const magic = new TextDecoder("latin1").decode(start.subarray(0, 9));
    if (primary && magic !== "SIMPLE  =") {
      throw fitsError("Not a FITS file: it does not start with SIMPLE", where(0));
    }
    if (!primary && magic !== "XTENSION=") break; // Trailing bytes after the last HDU, which readers ignore.
    const { header, length } = await readHeader(source, offset, size, start, where(offset));
    const structure = hduStructure(header, primary, where(offset));
    const dataOffset = offset + length;
    if (dataOffset + structure.dataSize > size) {
      throw fitsError(
        `FITS HDU ${hdus.length} declares ${structure.dataSize} bytes of data; the file holds ${Math.max(0, size - dataOffset)}`,
        where(dataOffset),
        "The file is truncated: it may not have been written completely.",
      );
    }
    hdus.push(Object.freeze({ index: hdus.length, header, headerOffset: offset, dataOffset, ...structure }));
    offset = dataOffset + Math.ceil(structure.dataSize / BLOCK_SIZE) * BLOCK_SIZE;
  }
  if (hdus.length === 0) throw fitsError("Not a FITS file: it is empty", where(0));
  return new SourceReader(source, file, hdus);
}

async function readHeader(
  source: ByteSource,
  offset: number,
  size: number,
  first: Uint8Array,
  where: { file?: string; offset: number },
): Promise<{ header: FitsHeader; length: number }> {
  let bytes = first;
  let blocks = 1;
  while (findEndCard(bytes, where) < 0) {
    if (offset + bytes.length >= size) return FitsHeader.parse(bytes, where); // Throws: no END.
    const more = await readChecked(
      source,
      offset + bytes.length,
      Math.min(size, offset + bytes.length + blocks * BLOCK_SIZE),
      { ...where, offset: offset + bytes.length },
    );
    const joined = new Uint8Array(bytes.length + more.length);
    joined.set(bytes);
    joined.set(more, bytes.length);
    bytes = joined;
    blocks *= 2; // Long headers in few reads, short ones without reading into the data.
  }
  return FitsHeader.parse(bytes, where);
}

async function readChecked(
  source: ByteSource,
  start: number,
  end: number,
  where: { file?: string; offset: number },
): Promise<Uint8Array> {
  const bytes = await source.read(start, end);
  if (bytes.length < end - start) {
    throw fitsError(`FITS file ends at byte ${start + bytes.length}, before byte ${end}`, where);
  }
  return bytes;
}

class SourceReader implements FitsReader {
  readonly hdus: readonly FitsHdu[];
  readonly #source: ByteSource;
  readonly file: string | undefined;

  constructor(source: ByteSource, file: string | undefined, hdus: readonly FitsHdu[]) {
    this.#source = source;
    this.file = file;
    this.hdus = Object.freeze(hdus);
  }

  find(nameOrIndex: string | number): FitsHdu | undefined {
    if (typeof nameOrIndex === "number") return this.hdus[nameOrIndex];
    const wanted = nameOrIndex.toUpperCase();
    return this.hdus.find((hdu) => hdu.name?.trim().toUpperCase() === wanted);
  }

  async readPixels(hdu: FitsHdu, span?: PixelSpan): Promise<NumericArray> {
    const where = this.#where(hdu.headerOffset);
    if (hdu.kind !== "image") {
      throw fitsError(`FITS HDU ${hdu.index} holds a ${hdu.kind}, not an image`, where, imageHint);
    }
    const encoding = pixelEncodingOf(hdu.header, where);
    const size = bytesPerPixel(encoding);
    const count = hdu.shape.length === 0 ? 0 : hdu.shape.reduce((a, b) => a * b, 1);
    if (span === undefined) {
      const bytes = await this.#read(hdu.dataOffset, hdu.dataOffset + count * size);
      return decodePixels(bytes, count, encoding);
    }
    const [width = 0, height = 0] = hdu.shape;
    if (
      hdu.shape.length !== 2 ||
      !(span.x0 >= 0 && span.y0 >= 0 && span.x1 < width && span.y1 < height) ||
      span.x1 < span.x0 ||
      span.y1 < span.y0
    ) {
      throw fitsError(
        `Cannot read pixels [${span.x0}:${span.x1}, ${span.y0}:${span.y1}] of FITS HDU ${hdu.index} of shape ${hdu.shape.join("x") || "(none)"}`,
        where,
        "Ask for a rectangle inside a 2-d image.",
      );
    }
    const spanWidth = span.x1 - span.x0 + 1;
    const rows = span.y1 - span.y0 + 1;
    const rowBytes = spanWidth * size;
    const out = new Uint8Array(rows * rowBytes);
    const ranges = rowRanges(hdu.dataOffset, width * size, span, size);
    const copyRows = (range: RowRange, bytes: Uint8Array) => {
      for (let row = range.firstRow; row <= range.lastRow; row += 1) {
        const from = range.rowStart(row) - range.start;
        out.set(bytes.subarray(from, from + rowBytes), (row - span.y0) * rowBytes);
      }
    };
    if (this.#source.readMany !== undefined) {
      const parts = await this.#source.readMany(ranges.map((r) => [r.start, r.end] as const));
      ranges.forEach((range, i) => {
        const bytes = parts[i] as Uint8Array;
        if (bytes.length < range.end - range.start) {
          throw fitsError(
            `FITS file ends at byte ${range.start + bytes.length}, before byte ${range.end}`,
            where,
          );
        }
        copyRows(range, bytes);
      });
      return decodePixels(out, spanWidth * rows, encoding);
    }
    for (let i = 0; i < ranges.length; i += CONCURRENCY) {
      await Promise.all(
        ranges.slice(i, i + CONCURRENCY).map(async (range) => {
          copyRows(range, await this.#read(range.start, range.end));
        }),
      );
    }
    return decodePixels(out, spanWidth * rows, encoding);
  }

  readData(hdu: FitsHdu): Promise<Uint8Array> {
    return this.#read(hdu.dataOffset, hdu.dataOffset + hdu.dataSize);
  }

  readDataRange(hdu: FitsHdu, offset: number, length: number): Promise<Uint8Array> {
    if (!(offset >= 0 && length >= 0 && offset + length <= hdu.dataSize)) {
      return Promise.reject(
        fitsError(
          `Cannot read bytes ${offset} to ${offset + length} of FITS HDU ${hdu.index}, which holds ${hdu.dataSize}`,
          this.#where(hdu.dataOffset),
        ),
      );
    }
    return this.#read(hdu.dataOffset + offset, hdu.dataOffset + offset + length);
  }

  #where(offset: number): { file?: string; offset: number } {
    return { ...(this.file === undefined ? {} : { file: this.file }), offset };
  }

  #read(start: number, end: number): Promise<Uint8Array> {
    return readChecked(this.#source, start, end, this.#where(start));
  }
}

const imageHint = "Read tables and compressed images with their own codecs.";

interface RowRange {
  readonly start: number;
  readonly end: number;
  readonly firstRow: number;
  readonly lastRow: number;
  rowStart(row: number): number;
}

/** Byte ranges covering the rows of `span`, rows closer than MERGE_GAP read in one range. */
function rowRanges(dataOffset: number, stride: number, span: PixelSpan, size: number): RowRange[] {
  const rowStart = (row: number) => dataOffset + row * stride + span.x0 * size;
  const rowBytes = (span.x1 - span.x0 + 1) * size;
  const ranges: RowRange[] = [];
  let first = span.y0;
  for (let row = span.y0; row <= span.y1; row += 1) {
    const next = row + 1;
    const joinsNext = next <= span.y1 && rowStart(next) - (rowStart(row) + rowBytes) < MERGE_GAP;
    if (joinsNext) continue;
    ranges.push({
      start: rowStart(first),
      end: rowStart(row) + rowBytes,
      firstRow: first,
      lastRow: row,
      rowStart,
    });
    first = next;
  }
  return ranges;
}
