import { isNdArray, type NdArray, type NdArrayInput, ndArray } from "../../../arrays/nd-array.ts";
import type { NdData } from "../../../arrays/nd-dtype.ts";
import { ArgumentError, ButlerError, FormatterError } from "../../../errors.ts";
import { selectColumns } from "../../../tables/select-columns.ts";
import type { FormatterReadOptions } from "../formatter.ts";
import { describeValue, isPlainObject } from "../value-path.ts";
import type { Hdf5GroupReader } from "./hdf5-reader.ts";
import type { Hdf5GroupWriter } from "./hdf5-writer.ts";
import { missingComponent, readParameters } from "./read-options.ts";

/** Root attribute listing the columns in their order (HDF5 lists members by name). */
export const COLUMN_ORDER_ATTRIBUTE = "columns";

/** A column given as a 1-D NdArray, a typed array or a plain array, as a 1-D NdArray; undefined when it is none. */
function columnArray(value: unknown): NdArray | undefined {
  if (isNdArray(value)) return value.ndim === 1 ? value : undefined;
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) return undefined;
  try {
    return ndArray(value as NdArrayInput);
  } catch (error) {
    if (error instanceof ButlerError) return undefined;
    throw error;
  }
}

/**
 * The columns of a table given as a mapping of column name to a 1-D array (a typed array, a plain array of
 * numbers, bigints or strings, or an NdArray), all of one length (daf_butler's `ArrowNumpyDict`).
 * @throws {FormatterError} for anything else, naming the column at fault.
 */
export function columnsOf(object: unknown, storageClass: string): [string, NdArray][] {
  if (!isPlainObject(object)) {
    throw new FormatterError(
      `Cannot write HDF5: storage class "${storageClass}" needs a mapping of column names to 1-D arrays; got ${describeValue(object)}`,
    );
  }
  const columns: [string, NdArray][] = [];
  for (const [name, value] of Object.entries(object)) {
    if (Array.isArray(value) && value.some((v) => v === null || v === undefined)) {
      throw new FormatterError(
        `Cannot write HDF5: column "${name}" has missing values (null), which HDF5 columns cannot hold`,
        { hint: "Fill them (NaN for floats), or store the table as Parquet." },
      );
    }
    const array = columnArray(value);
    if (array === undefined) {
      throw new FormatterError(
        `Cannot write HDF5: column "${name}" of a "${storageClass}" is ${describeValue(value)}, not a 1-D array`,
        {
          hint: "Each column is a typed array, a plain array of numbers, bigints or strings, or a 1-D NdArray.",
        },
      );
    }
    const first = columns[0];
    if (first !== undefined && first[1].size !== array.size) {
      throw new FormatterError(
        `Cannot write HDF5: column "${name}" has ${array.size} rows but column "${first[0]}" has ${first[1].size}`,
      );
    }
    columns.push([name, array]);
  }
  return columns;
}

/** Write a table as one 1-D dataset per column in the root group, their order in its `columns` attribute. */
export function writeColumnDict(root: Hdf5GroupWriter, object: unknown, storageClass: string): void {
  const columns = columnsOf(object, storageClass);
  for (const [name, array] of columns) root.dataset(name, array);
  root.attributes({ [COLUMN_ORDER_ATTRIBUTE]: columns.map(([name]) => name) });
}

function storedColumns(root: Hdf5GroupReader): string[] {
  const order = root.attributes()[COLUMN_ORDER_ATTRIBUTE];
  const datasets = root.names().filter((name) => root.kindOf(name) === "dataset");
  if (Array.isArray(order) && order.every((name) => datasets.includes(name))) return [...order];
  return datasets;
}

function wantedColumns(parameter: unknown, stored: readonly string[], file: string | undefined): string[] {
  if (parameter === undefined) return [...stored];
  const names = typeof parameter === "string" ? [parameter] : parameter;
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) {
    throw new ArgumentError(
      `The columns parameter is a column name or a list of them; got ${describeValue(parameter)}`,
    );
  }
  return selectColumns(stored, names, file);
}

/** A column's values as the table code holds them: the typed array, strings, or booleans for h5py's. */
function columnValues(array: NdArray): NdData | readonly boolean[] {
  if (array.dtype === "bool") return Object.freeze(Array.from(array.data as Uint8Array, (v) => v === 1));
  return array.data;
}

/**
 * A table's columns as a frozen mapping of name to values (a typed array; strings or booleans in a plain
 * array), in their written order; with the `columns`
 * parameter only those (only they are read). Components: `columns` (names), `rowcount`.
 * @throws {FormatterError} when a column is not 1-D or of a type butler-ts cannot hold.
 * @throws {UnknownColumnError} for a column (name or glob) that matches none.
 * @throws {ArgumentError} for a `columns` parameter that is not names.
 */
export function readColumnDict(
  root: Hdf5GroupReader,
  options: FormatterReadOptions | undefined,
  storageClass: string,
  file: string | undefined,
): unknown {
  const parameters = readParameters(options, storageClass, ["columns"]);
  const stored = storedColumns(root);
  if (options?.component === "columns") return Object.freeze(stored);
  if (options?.component === "rowcount")
    return stored.length === 0 ? 0 : root.dataset(stored[0] as string).shape[0];
  if (options?.component !== undefined) throw missingComponent(options.component, storageClass);
  const result: Record<string, NdData | readonly boolean[]> = {};
  for (const name of wantedColumns(parameters.columns, stored, file)) {
    const dataset = root.dataset(name);
    if (dataset.shape.length !== 1) {
      throw new FormatterError(
        `Cannot read HDF5 as "${storageClass}": dataset "${dataset.path}" has shape [${dataset.shape.join(", ")}], not one column`,
        { ...(file === undefined ? {} : { file }) },
      );
    }
    result[name] = columnValues(dataset.read());
  }
  return Object.freeze(result);
}
