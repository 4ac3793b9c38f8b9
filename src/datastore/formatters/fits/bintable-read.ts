import { type FitsNumericCode, readElements, scaleElements } from "./bintable-elements.ts";
import { heapCell } from "./bintable-heap.ts";
import {
  type BinaryTableColumnLayout,
  type BinaryTableLayout,
  binaryTableLayout,
} from "./bintable-layout.ts";
import type { FitsColumn, FitsColumnValues, FitsNumericArray, FitsTable } from "./bintable-types.ts";
import type { FitsHeaderLookup, FitsLocation } from "./fits-types.ts";

/**
 * Reads a BINTABLE HDU's data: the main table and its heap, `NAXIS1 * NAXIS2 + PCOUNT` big-endian bytes
 * as they follow the header in the file (any padding after them is ignored).
 * @throws {FormatterError} for a malformed TFORM or TDIM, `NAXIS1` disagreeing with the TFORM widths,
 *   data shorter than declared, or a heap descriptor pointing outside the heap; `offset` is
 *   `location.offset` plus the position of the offending bytes in `data`.
 * @example
 * const table = readBinaryTable(header, bytes.subarray(dataStart), { file: "calexp.fits", offset: dataStart });
 * const flux = table.columns.find((c) => c.name === "flux")?.values;
 */
export function readBinaryTable(
  header: FitsHeaderLookup,
  data: Uint8Array,
  location: FitsLocation = {},
): FitsTable {
  const layout = binaryTableLayout(header, data.length, location);
  const columns = layout.columns.map((column) => readColumn(layout, column, data, location));
  return { rows: layout.rows, columns };
}

function readColumn(
  layout: BinaryTableLayout,
  column: BinaryTableColumnLayout,
  data: Uint8Array,
  location: FitsLocation,
): FitsColumn {
  const { format } = column;
  let cell: FitsColumn["cell"] = "array";
  let values: FitsColumnValues;
  if (format.heap !== undefined) {
    const rows = heapCells(layout, column, data, location);
    if (format.code === "A") {
      cell = "scalar";
      values = rows.map(([start, count]) => readString(data, start, count));
    } else {
      values = rows.map(([start, count]) => readCell(data, start, count, column)) as FitsColumnValues;
    }
  } else {
    const field = gatherField(layout, column, data);
    const { code, repeat, width } = format;
    if (code === "A") {
      const dims = column.dims;
      const length = dims !== undefined && dims.length >= 2 ? (dims[0] as number) : repeat;
      const count = length === 0 ? 0 : Math.floor(repeat / length);
      cell = length === repeat ? "scalar" : "array";
      const strings = (row: number) =>
        Array.from({ length: count }, (_, k) => readString(field, row * width + k * length, length));
      values = Array.from({ length: layout.rows }, (_, row) =>
        cell === "scalar" ? readString(field, row * width, repeat) : strings(row),
      ) as FitsColumnValues;
    } else if (code === "L" || code === "X") {
      const rows = Array.from({ length: layout.rows }, (_, row) =>
        readCell(field, row * width, repeat, column),
      );
      cell = code === "L" && repeat === 1 ? "scalar" : "array";
      values = (
        cell === "scalar" ? rows.map((row) => (row as (boolean | null)[])[0] ?? null) : rows
      ) as FitsColumnValues;
    } else {
      const all = scaleElements(
        readElements(field, 0, code, layout.rows * repeat),
        code,
        column.scale,
        column.zero,
        column.nullValue,
      );
      const per = code === "C" || code === "M" ? 2 * repeat : repeat;
      cell = repeat === 1 ? "scalar" : "array";
      values =
        cell === "scalar"
          ? all
          : Array.from({ length: layout.rows }, (_, r) => all.subarray(r * per, (r + 1) * per));
    }
  }
  return {
    name: column.name,
    format: column.tform,
    cell,
    values,
    ...(column.unit === undefined ? {} : { unit: column.unit }),
    ...(column.dims === undefined ? {} : { dims: column.dims }),
    ...(column.nullValue === undefined ? {} : { nullValue: column.nullValue }),
    ...(column.scale === undefined ? {} : { scale: column.scale }),
    ...(column.zero === undefined ? {} : { zero: column.zero }),
  };
}

/** One cell of `count` elements at `start`: numbers, logicals or bits (not characters). */
function readCell(
  bytes: Uint8Array,
  start: number,
  count: number,
  column: BinaryTableColumnLayout,
): FitsNumericArray | (boolean | null)[] {
  const { code } = column.format;
  if (code === "L") {
    return Array.from({ length: count }, (_, i) => {
      const byte = bytes[start + i];
      return byte === 0x54 ? true : byte === 0x46 ? false : null;
    });
  }
  if (code === "X") {
    const bits = new Uint8Array(count);
    for (let i = 0; i < count; i++) bits[i] = ((bytes[start + (i >> 3)] as number) >> (7 - (i & 7))) & 1;
    return bits;
  }
  const raw = readElements(bytes, start, code as FitsNumericCode, count);
  return scaleElements(raw, code as FitsNumericCode, column.scale, column.zero, column.nullValue);
}

/** Characters up to the first NUL, without trailing blanks (FITS strings are padded with either). */
function readString(bytes: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && bytes[end] !== 0) end++;
  while (end > start && bytes[end - 1] === 0x20) end--;
  let text = "";
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] as number);
  return text;
}

/** The field of every row, contiguous, so fixed numeric columns convert in one pass. */
function gatherField(
  layout: BinaryTableLayout,
  column: BinaryTableColumnLayout,
  data: Uint8Array,
): Uint8Array {
  const { width } = column.format;
  const field = new Uint8Array(layout.rows * width);
  for (let row = 0; row < layout.rows; row++) {
    const start = row * layout.rowBytes + column.byteOffset;
    field.set(data.subarray(start, start + width), row * width);
  }
  return field;
}

/** The heap span of each row's variable-length array, as `[start in data, element count]`. */
function heapCells(
  layout: BinaryTableLayout,
  column: BinaryTableColumnLayout,
  data: Uint8Array,
  location: FitsLocation,
): [number, number][] {
  return Array.from({ length: layout.rows }, (_, row) =>
    heapCell(layout, column, row, data, row * layout.rowBytes, location),
  );
}
