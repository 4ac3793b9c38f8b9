import { FormatterError } from "../../../errors.ts";
import type { ColumnType } from "../../../tables/column-type.ts";
import { selectColumns } from "../../../tables/select-columns.ts";
import { isTable, makeTable, type Table } from "../../../tables/table.ts";
import type { TableColumn, TableColumnInit } from "../../../tables/table-column.ts";
import type { ByteSource, Formatter, FormatterReadOptions } from "../formatter.ts";
import { writeParametersOf } from "../write-parameters.ts";
import { readBinaryTable } from "./bintable-read.ts";
import type { FitsColumn, FitsNumericArray } from "./bintable-types.ts";
import { encodeBinaryTable } from "./bintable-write.ts";
import type { HeaderCard } from "./fits-card.ts";
import { BLOCK_SIZE, FitsHeader } from "./fits-header.ts";
import { openFitsReader } from "./fits-reader.ts";
import type { FitsValue } from "./fits-types.ts";
import { writeFits } from "./fits-writer.ts";

/** TFORM (and TZERO for the unsigned conventions) of each table column type. */
const TFORMS: Readonly<Record<Exclude<ColumnType, "string">, { code: string; zero?: number | bigint }>> = {
  bool: { code: "L" },
  int8: { code: "B", zero: -128 },
  uint8: { code: "B" },
  int16: { code: "I" },
  uint16: { code: "I", zero: 32768 },
  int32: { code: "J" },
  uint32: { code: "J", zero: 2147483648 },
  int64: { code: "K" },
  uint64: { code: "K", zero: 9223372036854775808n },
  float32: { code: "E" },
  float64: { code: "D" },
};

/** Keywords of a BINTABLE header that describe its structure and columns, not the table's metadata. */
const TABLE_KEYWORD =
  /^(XTENSION|BITPIX|NAXIS\d*|PCOUNT|GCOUNT|TFIELDS|T(TYPE|FORM|UNIT|NULL|SCAL|ZERO|DIM|DISP)\d+|END)$/;

const COMPONENTS = ["columns", "rowcount"];

function fitsColumnOf(column: TableColumn): FitsColumn {
  if (column.type === "string") {
    const values = column.values as readonly string[];
    const width = Math.max(1, ...values.map((v) => v.length));
    return { name: column.name, format: `${width}A`, cell: "scalar", values, ...unitOf(column) };
  }
  const { code, zero } = TFORMS[column.type];
  if (column.type === "bool") {
    const values = (column.values as readonly boolean[]).map((v, i) => (column.mask?.[i] ? null : v));
    return { name: column.name, format: code, cell: "scalar", values, ...unitOf(column) };
  }
  return {
    name: column.name,
    format: code,
    cell: "scalar",
    values: column.values as FitsNumericArray,
    ...unitOf(column),
    ...(zero === undefined ? {} : { zero }),
  };
}

function unitOf(column: TableColumn): { unit?: string } {
  return column.unit === undefined ? {} : { unit: column.unit };
}

function metadataCards(table: Table): HeaderCard[] {
  return Object.entries(table.meta).map(([key, value]) => {
    if (!["string", "number", "bigint", "boolean"].includes(typeof value)) {
      throw new FormatterError(`Cannot write table metadata "${key}" to a FITS header: it is not a scalar`, {
        hint: "FITS header cards hold strings, numbers and logicals; store structured metadata as a separate dataset.",
      });
    }
    return { key: key.toUpperCase(), value: value as FitsValue };
  });
}

/**
 * The bytes of a FITS file holding a table: an empty primary HDU, then one BINTABLE with a column per
 * table column (unsigned integers by the TZERO conventions, masked logicals as nulls) and the table's
 * scalar metadata as header cards.
 * @throws {FormatterError} for a table with non-scalar metadata or non-ASCII strings.
 */
export function writeFitsTable(table: Table): Uint8Array {
  const { cards, data } = encodeBinaryTable({
    rows: table.rowcount,
    columns: table.columns.map(fitsColumnOf),
  });
  const primary = writeFits([{}]);
  const header = new FitsHeader([...cards, ...metadataCards(table)]).toBytes();
  const out = new Uint8Array(
    primary.length + header.length + Math.ceil(data.length / BLOCK_SIZE) * BLOCK_SIZE,
  );
  out.set(primary);
  out.set(header, primary.length);
  out.set(data, primary.length + header.length);
  return out;
}

function tableColumnOf(column: FitsColumn, file: string | undefined): TableColumnInit {
  const unit = column.unit === undefined || column.unit === "" ? {} : { unit: column.unit };
  if (column.cell === "scalar" && !/[CM]/.test(column.format)) {
    const values = column.values;
    if (ArrayBuffer.isView(values)) {
      const nulls = column.nullValue;
      const mask =
        nulls === undefined
          ? undefined
          : Array.from(values as ArrayLike<number | bigint>, (v) => v === nulls);
      return { name: column.name, values: values as FitsNumericArray, ...unit, ...(mask ? { mask } : {}) };
    }
    if (typeof values[0] === "string" || /A/.test(column.format)) {
      return { name: column.name, values: values as readonly string[], ...unit };
    }
    const logicals = values as readonly (boolean | null)[];
    return {
      name: column.name,
      values: logicals.map((v) => v === true),
      mask: logicals.map((v) => v === null),
      ...unit,
    };
  }
  throw new FormatterError(
    `Cannot read FITS column "${column.name}" (TFORM ${column.format}) into a table: it holds ${column.cell === "array" ? "an array" : "a complex number"} per row`,
    {
      ...(file === undefined ? {} : { file }),
      hint: "butler-ts tables hold one real, integer, logical or string value per row; select the other columns with the columns parameter.",
    },
  );
}

async function readFitsTable(source: ByteSource, options: FormatterReadOptions = {}, file?: string) {
  const reader = await openFitsReader(source, file);
  const hdu = reader.hdus.find((h) => h.kind === "bintable");
  if (hdu === undefined) {
    throw new FormatterError("FITS file holds no binary table", {
      ...(file === undefined ? {} : { file }),
      hint: "Read images with an image storage class (ImageF, ExposureF, ...).",
    });
  }
  const names = Array.from({ length: Number(hdu.header.get("TFIELDS") ?? 0) }, (_, i) =>
    String(hdu.header.get(`TTYPE${i + 1}`) ?? `COL${i + 1}`),
  );
  if (options.component === "columns") return names;
  if (options.component === "rowcount") return hdu.shape[1] ?? 0;
  const wanted = options.parameters?.columns;
  const picked =
    wanted === undefined ? names : selectColumns(names, wanted as string | readonly string[], file);
  const table = readBinaryTable(hdu.header, await reader.readData(hdu), {
    ...(file === undefined ? {} : { file }),
    offset: hdu.dataOffset,
  });
  const meta: Record<string, unknown> = {};
  for (const card of hdu.header.toCards()) {
    if (card.value !== undefined && !TABLE_KEYWORD.test(card.key)) meta[card.key] = card.value;
  }
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  return makeTable({
    columns: picked.map((name) => tableColumnOf(byName.get(name) as FitsColumn, file)),
    meta,
    rowcount: table.rows,
  });
}

/**
 * Tables as FITS binary tables (butler-ts's formatter, `fits-table`): what astropy's `Table.write(...,
 * format="fits")` reads and writes, for datasets a repository's `datastore.formatters` config maps to it.
 * Reads take the `columns` parameter and the `columns`/`rowcount` components from the header alone.
 */
export const fitsTableFormatter: Formatter = Object.freeze<Formatter>({
  name: "fits-table",
  extension: ".fits",
  extensions: Object.freeze([".fits", ".fit"]),
  storageClasses: Object.freeze(["ArrowAstropy", "AstropyTable", "AstropyQTable", "DataFrame"]),
  writeParameters: Object.freeze([]),
  appliesReadOptions: true,
  read: (source, options, file) => {
    if (options?.component !== undefined && !COMPONENTS.includes(options.component)) {
      return Promise.reject(
        new FormatterError(`FITS tables have no component "${options.component}"`, {
          hint: `Components: ${COMPONENTS.join(", ")}.`,
        }),
      );
    }
    return readFitsTable(source, options, file);
  },
  async write(object, options) {
    writeParametersOf("fits-table", [], options);
    if (!isTable(object)) {
      throw new FormatterError("The fits-table formatter writes tables", {
        hint: "Give a Table (makeTable from butler-ts).",
      });
    }
    return writeFitsTable(object);
  },
});
