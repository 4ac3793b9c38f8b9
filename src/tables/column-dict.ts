import { FormatterError } from "../errors.ts";
import { type ColumnType, type ColumnValues, columnFromValues, columnTypeOf } from "./column-type.ts";
import { makeTable, type Table } from "./table.ts";
import { cellOf } from "./table-column.ts";

/**
 * A table as a plain object of columns (the in-memory form of the `ArrowNumpyDict` storage class, like
 * daf_butler's dict of numpy arrays): column name -> values. A column with missing values is a plain
 * array with `null` where they are missing (daf_butler gives a numpy masked array).
 */
export type ColumnDict = Readonly<Record<string, ColumnValues | readonly (ColumnValue | null)[]>>;

/** One value of a table. */
export type ColumnValue = number | bigint | boolean | string;

/** The columns of a table as a {@link ColumnDict}; units, descriptions and metadata are left behind. */
export function columnDictOf(table: Table): ColumnDict {
  const dict: Record<string, ColumnValues | (ColumnValue | null)[]> = {};
  for (const column of table.columns) {
    dict[column.name] =
      column.mask === undefined
        ? column.values
        : Array.from({ length: column.values.length }, (_, i) => cellOf(column, i));
  }
  return Object.freeze(dict);
}

/** Whether `object` is a non-empty plain object whose every value is an array (or typed array). */
export function isColumnDict(object: unknown): object is ColumnDict {
  if (object === null || typeof object !== "object" || Object.getPrototypeOf(object) !== Object.prototype) {
    return false;
  }
  const values = Object.values(object);
  return (
    values.length > 0 &&
    values.every((v) => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)))
  );
}

/**
 * A table from a {@link ColumnDict}: typed arrays keep their type; plain arrays of booleans or strings
 * are `bool`/`string` columns, of bigints `int64`, of other numbers `float64` (`int64` when all are
 * integers is not guessed: give a BigInt64Array); `null` marks a missing value.
 * @throws {FormatterError} for a column of mixed or unsupported values, or columns of different lengths.
 */
export function tableFromColumnDict(dict: ColumnDict): Table {
  return makeTable({
    columns: Object.entries(dict).map(([name, values]) => {
      const type = columnTypeOf(values) ?? inferType(name, values as readonly unknown[]);
      return { name, type, ...columnFromValues(type, values as ArrayLike<unknown>) };
    }),
  });
}

function inferType(name: string, values: readonly unknown[]): ColumnType {
  const present = values.filter((v) => v !== null && v !== undefined);
  const kinds = new Set(present.map((v) => typeof v));
  if (kinds.size <= 1) {
    const kind = kinds.values().next().value ?? "number";
    if (kind === "number") return "float64";
    if (kind === "bigint") return "int64";
    if (kind === "boolean") return "bool";
    if (kind === "string") return "string";
  }
  throw new FormatterError(`Column "${name}" holds values of kinds ${[...kinds].join(", ")}`, {
    hint: "A column holds numbers, bigints, booleans or strings (null for missing values), one kind only.",
  });
}
