import { FormatterError } from "../../../errors.ts";
import { type BinaryTableFormat, fitsWhere, parseBinaryTableFormat } from "./bintable-format.ts";
import type { FitsHeaderLookup, FitsLocation, FitsValue } from "./fits-types.ts";

/** Where one column lives in a row, and the header keywords that describe its values. */
export interface BinaryTableColumnLayout {
  /** 1-based column number (the `n` of `TTYPEn`). */
  readonly index: number;
  readonly name: string;
  readonly tform: string;
  readonly format: BinaryTableFormat;
  /** Byte offset of the field inside a row. */
  readonly byteOffset: number;
  readonly unit?: string;
  readonly dims?: readonly number[];
  readonly nullValue?: number | bigint;
  readonly scale?: number;
  readonly zero?: number | bigint;
}

/** The geometry of a binary table's data: rows, row width, heap position and columns. */
export interface BinaryTableLayout {
  readonly rows: number;
  /** `NAXIS1`: bytes per row. */
  readonly rowBytes: number;
  /** Byte offset of the heap from the start of the data (`THEAP`, by default right after the rows). */
  readonly heapOffset: number;
  /** Bytes of data the header declares: `NAXIS1 * NAXIS2 + PCOUNT`. */
  readonly dataBytes: number;
  readonly columns: readonly BinaryTableColumnLayout[];
}

/**
 * The layout a BINTABLE header declares, checked against itself and, when given, the data length.
 * @throws {FormatterError} for a malformed TFORM/TDIM, `NAXIS1` disagreeing with the TFORM widths, a
 *   missing or invalid structural keyword, or data shorter than declared.
 */
export function binaryTableLayout(
  header: FitsHeaderLookup,
  dataLength?: number,
  location: FitsLocation = {},
): BinaryTableLayout {
  const xtension = header.get("XTENSION");
  if (typeof xtension === "string" && xtension.trim() !== "BINTABLE") {
    throw new FormatterError(`Expected a BINTABLE extension, found XTENSION = "${xtension.trim()}"`, {
      ...fitsWhere(location, 0),
    });
  }
  const rowBytes = integerKey(header, "NAXIS1", location);
  const rows = integerKey(header, "NAXIS2", location);
  const pcount = integerKey(header, "PCOUNT", location, 0);
  const fields = integerKey(header, "TFIELDS", location);
  const columns: BinaryTableColumnLayout[] = [];
  let byteOffset = 0;
  for (let n = 1; n <= fields; n++) {
    const tform = header.get(`TFORM${n}`);
    if (typeof tform !== "string") {
      throw new FormatterError(`Binary table column ${n} has no TFORM${n} string (found ${show(tform)})`, {
        ...fitsWhere(location, 0),
      });
    }
    const format = parseBinaryTableFormat(tform, n, location, 0);
    columns.push(columnLayout(header, n, tform.trim(), format, byteOffset, location));
    byteOffset += format.width;
  }
  if (byteOffset !== rowBytes) {
    throw new FormatterError(
      `Binary table NAXIS1 = ${rowBytes} disagrees with its ${fields} TFORM widths, which add up to ${byteOffset} bytes`,
      { ...fitsWhere(location, 0), hint: "The header is corrupt or was edited by hand." },
    );
  }
  const mainBytes = rowBytes * rows;
  const heapOffset = integerKey(header, "THEAP", location, mainBytes);
  const dataBytes = mainBytes + pcount;
  if (heapOffset < mainBytes || heapOffset > dataBytes) {
    throw new FormatterError(
      `Binary table THEAP = ${heapOffset} lies outside the heap area [${mainBytes}, ${dataBytes}]`,
      { ...fitsWhere(location, 0) },
    );
  }
  if (dataLength !== undefined && dataLength < dataBytes) {
    throw new FormatterError(
      `Binary table data is ${dataLength} bytes, shorter than the ${dataBytes} its header declares (NAXIS1 * NAXIS2 + PCOUNT = ${rowBytes} * ${rows} + ${pcount})`,
      { ...fitsWhere(location, dataLength), hint: "The file is truncated." },
    );
  }
  return { rows, rowBytes, heapOffset, dataBytes, columns };
}

function columnLayout(
  header: FitsHeaderLookup,
  n: number,
  tform: string,
  format: BinaryTableFormat,
  byteOffset: number,
  location: FitsLocation,
): BinaryTableColumnLayout {
  const name = header.get(`TTYPE${n}`);
  const unit = header.get(`TUNIT${n}`);
  const tdim = header.get(`TDIM${n}`);
  const tnull = header.get(`TNULL${n}`);
  const tscal = header.get(`TSCAL${n}`);
  const tzero = header.get(`TZERO${n}`);
  return {
    index: n,
    name: typeof name === "string" ? name.trim() : `COL${n}`,
    tform,
    format,
    byteOffset,
    ...(typeof unit === "string" && unit.trim() !== "" ? { unit: unit.trim() } : {}),
    ...(typeof tdim === "string" ? { dims: parseTdim(tdim, n, location) } : {}),
    ...(typeof tnull === "number" || typeof tnull === "bigint" ? { nullValue: tnull } : {}),
    ...(typeof tscal === "number" ? { scale: tscal } : {}),
    ...(typeof tzero === "number" || typeof tzero === "bigint" ? { zero: tzero } : {}),
  };
}

function parseTdim(tdim: string, n: number, location: FitsLocation): number[] {
  const match = /^\s*\(\s*(\d+(?:\s*,\s*\d+)*)\s*\)\s*$/.exec(tdim);
  if (match === null) {
    throw new FormatterError(`Invalid TDIM${n} = "${tdim}"`, {
      ...fitsWhere(location, 0),
      hint: 'TDIM must look like "(3,4)": axis lengths, fastest-varying first.',
    });
  }
  return (match[1] as string).split(",").map((part) => Number(part.trim()));
}

/**
 * A non-negative integer keyword, as a number.
 * @throws {FormatterError} when it is missing (and has no default) or not such an integer.
 */
export function integerKey(
  header: FitsHeaderLookup,
  key: string,
  location: FitsLocation,
  fallback?: number,
): number {
  const value = header.get(key);
  if (value === undefined && fallback !== undefined) return fallback;
  const number = typeof value === "bigint" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isSafeInteger(number) || number < 0) {
    throw new FormatterError(`Expected a non-negative integer ${key}, found ${show(value)}`, {
      ...fitsWhere(location, 0),
    });
  }
  return number;
}

/** A header value quoted for a message. */
export function show(value: FitsValue | undefined): string {
  if (value === undefined) return "no such keyword";
  return typeof value === "string" ? `"${value}"` : String(value);
}
