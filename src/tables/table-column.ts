import { FormatterError } from "../errors.ts";
import {
  type ColumnType,
  type ColumnValues,
  columnTypeOf,
  fitsColumnType,
  isColumnType,
} from "./column-type.ts";

/**
 * One column of a {@link Table}: a name, a type, the values and, as astropy columns have, an optional
 * unit, description, display format and metadata. Masked (missing) values are marked in `mask`. Frozen;
 * typed arrays cannot be frozen, so treat `values` as read-only.
 */
export interface TableColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly values: ColumnValues;
  /** True where a value is missing (astropy's masked values, Parquet's nulls); absent when none is. */
  readonly mask?: readonly boolean[] | undefined;
  /** Unit as astropy writes it (`deg`, `nJy`). */
  readonly unit?: string | undefined;
  readonly description?: string | undefined;
  /** Display format (`%.3f`, `{:.3f}`). */
  readonly format?: string | undefined;
  /** Column metadata (astropy's `Column.meta`). */
  readonly meta?: Readonly<Record<string, unknown>> | undefined;
}

/** What a column is made of: {@link TableColumn} with the type optional (taken from the values). */
export type TableColumnInit = Omit<TableColumn, "type"> & { readonly type?: ColumnType | undefined };

/**
 * A frozen column from its parts: the type taken from the values when not given, checked against them
 * otherwise; a mask without any missing value dropped.
 * @throws {FormatterError} for values of no column type, values that do not fit the type, or a mask of
 * another length.
 */
export function makeColumn(init: TableColumnInit): TableColumn {
  const type = init.type ?? columnTypeOf(init.values);
  if (type === undefined || !isColumnType(type)) {
    throw new FormatterError(`Column "${init.name}" has values of no column type`, {
      hint: "Use a typed array (Float64Array, BigInt64Array, ...), an array of booleans or of strings.",
    });
  }
  if (!fitsColumnType(init.values, type)) {
    throw new FormatterError(`Column "${init.name}" of type ${type} has values of another type`, {
      hint: `Give ${type} values (${columnTypeOf(init.values) ?? "unknown"} were given).`,
    });
  }
  const mask = init.mask?.some(Boolean) === true ? Object.freeze([...init.mask]) : undefined;
  if (mask !== undefined && mask.length !== init.values.length) {
    throw new FormatterError(
      `Column "${init.name}" has ${init.values.length} values but a mask of ${mask.length}`,
    );
  }
  const values = Array.isArray(init.values) ? Object.freeze([...init.values]) : init.values;
  return Object.freeze({
    name: init.name,
    type,
    values: values as ColumnValues,
    ...(mask === undefined ? {} : { mask }),
    ...(init.unit ? { unit: init.unit } : {}),
    ...(init.description ? { description: init.description } : {}),
    ...(init.format ? { format: init.format } : {}),
    ...(init.meta === undefined || Object.keys(init.meta).length === 0
      ? {}
      : { meta: Object.freeze({ ...init.meta }) }),
  });
}

/** The value of row `row` of a column, `null` when it is masked. */
export function cellOf(column: TableColumn, row: number): number | bigint | boolean | string | null {
  if (column.mask?.[row] === true) return null;
  return (column.values as ArrayLike<number | bigint | boolean | string>)[row] ?? null;
}
