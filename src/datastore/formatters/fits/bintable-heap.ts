import { FormatterError } from "../../../errors.ts";
import { elementBytes, fitsWhere } from "./bintable-format.ts";
import type { BinaryTableColumnLayout, BinaryTableLayout } from "./bintable-layout.ts";
import type { FitsLocation } from "./fits-types.ts";

/**
 * The heap span `[start in data, element count]` of one row's variable-length array, read from the row
 * bytes at `rowStart` in `rowData`.
 * @throws {FormatterError} when the descriptor points outside the heap.
 */
export function heapCell(
  layout: BinaryTableLayout,
  column: BinaryTableColumnLayout,
  row: number,
  rowData: Uint8Array,
  rowStart: number,
  location: FitsLocation,
): [number, number] {
  const { format } = column;
  if (format.repeat === 0) return [layout.heapOffset, 0];
  const at = rowStart + column.byteOffset;
  const view = new DataView(rowData.buffer, rowData.byteOffset, rowData.byteLength);
  const count = format.heap === "P" ? view.getUint32(at) : Number(view.getBigUint64(at));
  const offset = format.heap === "P" ? view.getUint32(at + 4) : Number(view.getBigUint64(at + 8));
  const start = layout.heapOffset + offset;
  const end = start + elementBytes(format.code, count);
  if (!Number.isSafeInteger(end) || end > layout.dataBytes) {
    throw new FormatterError(
      `Binary table column "${column.name}" row ${row + 1}: heap descriptor (${count} elements at heap offset ${offset}) points outside the ${layout.dataBytes - layout.heapOffset}-byte heap`,
      { ...fitsWhere(location, row * layout.rowBytes + column.byteOffset), hint: "The file is corrupt." },
    );
  }
  return [start, count];
}
