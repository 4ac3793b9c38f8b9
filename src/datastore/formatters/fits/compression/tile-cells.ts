import { type FitsNumericCode, readElements } from "../bintable-elements.ts";
import { elementBytes } from "../bintable-format.ts";
import { heapCell } from "../bintable-heap.ts";
import type { BinaryTableColumnLayout } from "../bintable-layout.ts";
import type { FitsLocation } from "../fits-types.ts";
import type { CompressedImageLayout } from "./compressed-layout.ts";

/** Where a variable-length cell's bytes are: offset from the start of the data, length, element count. */
export interface HeapSpan {
  readonly start: number;
  readonly bytes: number;
  readonly count: number;
  readonly code: BinaryTableColumnLayout["format"]["code"];
}

/** What one table row says about its tile: the heap spans of its data columns and its scalars. */
export interface TileCells {
  readonly compressed: HeapSpan;
  readonly uncompressed?: HeapSpan;
  readonly gzipCompressed?: HeapSpan;
  readonly scale?: number;
  readonly zero?: number;
  readonly blank?: number;
}

/**
 * Reads tile `row`'s descriptors and scalar columns from its row bytes (at `rowStart` in `rowData`).
 * @throws {FormatterError} when a descriptor points outside the heap.
 */
export function tileCells(
  layout: CompressedImageLayout,
  row: number,
  rowData: Uint8Array,
  rowStart: number,
  location: FitsLocation,
): TileCells {
  const { columns, keywords, table } = layout;
  const span = (column: BinaryTableColumnLayout): HeapSpan => {
    const [start, count] = heapCell(table, column, row, rowData, rowStart, location);
    return { start, count, bytes: elementBytes(column.format.code, count), code: column.format.code };
  };
  const scalar = (column: BinaryTableColumnLayout | undefined, fallback: number | undefined) => {
    if (column === undefined) return fallback;
    const value = readElements(
      rowData,
      rowStart + column.byteOffset,
      column.format.code as FitsNumericCode,
      1,
    )[0];
    return Number(value);
  };
  const cells: {
    -readonly [K in keyof TileCells]: TileCells[K];
  } = { compressed: span(columns.compressed) };
  if (columns.uncompressed !== undefined) cells.uncompressed = span(columns.uncompressed);
  if (columns.gzipCompressed !== undefined) cells.gzipCompressed = span(columns.gzipCompressed);
  const scale = scalar(columns.scale, keywords.scale);
  const zero = scalar(columns.zero, keywords.zero);
  const blank = scalar(columns.blank, keywords.blank);
  if (scale !== undefined) cells.scale = scale;
  if (zero !== undefined) cells.zero = zero;
  if (blank !== undefined) cells.blank = blank;
  return cells;
}
