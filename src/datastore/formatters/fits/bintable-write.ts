import { FormatterError } from "../../../errors.ts";
import { type BinaryTableFormat, parseBinaryTableFormat } from "./bintable-format.ts";
import type { FitsColumn, FitsTable } from "./bintable-types.ts";
import type { FitsCard } from "./fits-types.ts";

type Cell = ArrayLike<number | bigint | boolean | null> | string | readonly string[];

/**
 * The header cards (`XTENSION` through `TFIELDS`, then `TTYPEn TFORMn TUNITn TNULLn TSCALn TZEROn TDIMn`
 * per column) and the unpadded big-endian data of a binary table of fixed-width columns. Values follow
 * the model of {@link FitsColumn}; scaled columns are stored as `round((value - TZERO) / TSCAL)`, NaN as
 * `TNULL`. The HDU writer appends `EXTNAME` or other cards and pads the data to 2880 bytes.
 * @throws {FormatterError} for a heap (`P`/`Q`) column, a malformed TFORM, values that do not match the
 *   row count or TFORM, a value out of the stored type's range, or a non-ASCII or too long string.
 * @example
 * const { cards, data } = encodeBinaryTable({
 *   rows: 2,
 *   columns: [{ name: "id", format: "J", cell: "scalar", values: new Int32Array([1, 2]) }],
 * });
 */
export function encodeBinaryTable(table: FitsTable): { cards: FitsCard[]; data: Uint8Array } {
  const formats = table.columns.map((column, i) => {
    const format = parseBinaryTableFormat(column.format, i + 1);
    if (format.heap !== undefined) {
      throw new FormatterError(
        `Cannot write column "${column.name}": variable-length (${column.format}) columns are not supported`,
        {
          hint: "Write fixed-width columns (a repeat count) instead.",
        },
      );
    }
    return format;
  });
  const rowBytes = formats.reduce((sum, format) => sum + format.width, 0);
  const data = new Uint8Array(rowBytes * table.rows);
  const view = new DataView(data.buffer);
  let offset = 0;
  table.columns.forEach((column, i) => {
    const format = formats[i] as BinaryTableFormat;
    for (let row = 0; row < table.rows; row++) {
      writeCell(view, row * rowBytes + offset, column, format, cellOf(column, format, row, table.rows), row);
    }
    offset += format.width;
  });
  return { cards: tableCards(table, rowBytes), data };
}

function tableCards(table: FitsTable, rowBytes: number): FitsCard[] {
  const cards: FitsCard[] = [
    { key: "XTENSION", value: "BINTABLE", comment: "binary table extension" },
    { key: "BITPIX", value: 8, comment: "array data type" },
    { key: "NAXIS", value: 2, comment: "number of array dimensions" },
    { key: "NAXIS1", value: rowBytes, comment: "length of dimension 1" },
    { key: "NAXIS2", value: table.rows, comment: "length of dimension 2" },
    { key: "PCOUNT", value: 0, comment: "number of group parameters" },
    { key: "GCOUNT", value: 1, comment: "number of groups" },
    { key: "TFIELDS", value: table.columns.length, comment: "number of table fields" },
  ];
  table.columns.forEach((column, i) => {
    const n = i + 1;
    cards.push({ key: `TTYPE${n}`, value: column.name }, { key: `TFORM${n}`, value: column.format.trim() });
    if (column.unit !== undefined) cards.push({ key: `TUNIT${n}`, value: column.unit });
    if (column.nullValue !== undefined) cards.push({ key: `TNULL${n}`, value: column.nullValue });
    if (column.scale !== undefined) cards.push({ key: `TSCAL${n}`, value: column.scale });
    if (column.zero !== undefined) cards.push({ key: `TZERO${n}`, value: column.zero });
    if (column.dims !== undefined) cards.push({ key: `TDIM${n}`, value: `(${column.dims.join(",")})` });
  });
  return cards;
}

/** The value(s) of one row, checked against the row count and the column's cell model. */
function cellOf(column: FitsColumn, format: BinaryTableFormat, row: number, rows: number): Cell {
  const values = column.values as ArrayLike<unknown>;
  const complex = format.code === "C" || format.code === "M";
  const scalar = column.cell === "scalar";
  const perRow = scalar && complex && ArrayBuffer.isView(values) ? 2 : 1;
  if (values.length !== rows * perRow) {
    throw new FormatterError(
      `Cannot write column "${column.name}": it has ${values.length} values for ${rows} rows`,
    );
  }
  if (!scalar) return values[row] as Cell;
  if (format.code === "A") return values[row] as string;
  if (ArrayBuffer.isView(values)) return (values as Uint8Array).subarray(row * perRow, (row + 1) * perRow);
  return [values[row] as number | boolean | null];
}

function writeCell(
  view: DataView,
  at: number,
  column: FitsColumn,
  format: BinaryTableFormat,
  cell: Cell,
  row: number,
): void {
  const fail = (what: string) =>
    new FormatterError(
      `Cannot write column "${column.name}" (TFORM ${column.format}) row ${row + 1}: ${what}`,
    );
  if (format.code === "A") {
    const strings = typeof cell === "string" ? [cell] : (cell as readonly string[]);
    const dims = column.dims;
    // A TDIM of two or more axes splits the field into strings of TDIM[0] characters each.
    const length =
      column.cell === "array" && dims !== undefined && dims.length >= 2 ? (dims[0] as number) : format.repeat;
    if (strings.length * length > format.repeat)
      throw fail(`${strings.length} strings of ${length} characters do not fit`);
    strings.forEach((text, k) => {
      if (typeof text !== "string" || text.length > length || !/^[\x20-\x7e]*$/.test(text)) {
        throw fail(`${JSON.stringify(text)} is not printable ASCII of at most ${length} characters`);
      }
      // NUL padding, as astropy writes: readers end the string at the first NUL.
      for (let c = 0; c < length; c++)
        view.setUint8(at + k * length + c, c < text.length ? text.charCodeAt(c) : 0);
    });
    return;
  }
  const items = cell as ArrayLike<number | bigint | boolean | null>;
  const count = format.code === "C" || format.code === "M" ? 2 * format.repeat : format.repeat;
  if (typeof items !== "object" || items === null || items.length !== count) {
    throw fail(
      `expected ${count} values, found ${typeof items === "object" && items !== null ? items.length : typeof items}`,
    );
  }
  for (let i = 0; i < count; i++) {
    const value = items[i] as number | bigint | boolean | null;
    if (format.code === "L") view.setUint8(at + i, value === true ? 0x54 : value === false ? 0x46 : 0);
    else if (format.code === "X") {
      if (value === 1 || value === true)
        view.setUint8(at + (i >> 3), view.getUint8(at + (i >> 3)) | (0x80 >> (i & 7)));
    } else writeNumber(view, at, i, format.code, stored(value, column), fail);
  }
}

/** The number the file holds for a value: TZERO and TSCAL removed, NaN replaced by TNULL. */
function stored(value: number | bigint | boolean | null, column: FitsColumn): number | bigint {
  const scale = column.scale ?? 1;
  const zero = column.zero ?? 0;
  const integerZero = typeof zero === "bigint" || Number.isInteger(zero);
  if (typeof value === "bigint" && scale === 1 && integerZero) return value - BigInt(zero);
  const number = Number(value);
  if (scale === 1 && (zero === 0 || zero === 0n)) return number;
  if (Number.isNaN(number) && column.nullValue !== undefined) return column.nullValue;
  // Offsets past 2^53 (the unsigned 64-bit convention) must be subtracted exactly.
  if (scale === 1 && typeof zero === "bigint" && Number.isInteger(number)) return BigInt(number) - zero;
  return (number - Number(zero)) / scale;
}

const RANGES = { B: [0, 255], I: [-32768, 32767], J: [-2147483648, 2147483647] } as const;

function writeNumber(
  view: DataView,
  at: number,
  i: number,
  code: BinaryTableFormat["code"],
  value: number | bigint,
  fail: (what: string) => FormatterError,
): void {
  if (code === "E" || code === "C") view.setFloat32(at + 4 * i, Number(value));
  else if (code === "D" || code === "M") view.setFloat64(at + 8 * i, Number(value));
  else if (code === "K") {
    const integer =
      typeof value === "bigint" ? value : Number.isFinite(value) ? BigInt(Math.round(value)) : undefined;
    if (integer === undefined || BigInt.asIntN(64, integer) !== integer)
      throw fail(`${value} does not fit a 64-bit integer`);
    view.setBigInt64(at + 8 * i, integer);
  } else {
    const number = Math.round(Number(value));
    const [min, max] = RANGES[code as "B" | "I" | "J"];
    if (!(number >= min && number <= max))
      throw fail(`${value} is outside the stored range [${min}, ${max}]`);
    if (code === "B") view.setUint8(at + i, number);
    else if (code === "I") view.setInt16(at + 2 * i, number);
    else view.setInt32(at + 4 * i, number);
  }
}
