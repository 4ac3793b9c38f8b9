import {
  isBigIntType,
  NUMERIC_ARRAYS,
  type NumericArray,
  type NumericType,
} from "../arrays/numeric-array.ts";
/**
 * The type of a table column, named as numpy/astropy name dtypes (`int64`, `float32`, `bool`); `string`
 * is astropy's ECSV name for text columns.
 */
export type ColumnType =
  | "bool"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "float32"
  | "float64"
  | "string";

/**
 * The values of a column: a typed array for numbers (`BigInt64Array`/`BigUint64Array` for 64-bit
 * integers, so no precision is lost), an array of booleans or strings.
 */
export type ColumnValues = NumericArray | readonly boolean[] | readonly string[];

const TYPED_ARRAYS: Readonly<Partial<Record<ColumnType, (typeof NUMERIC_ARRAYS)[NumericType]>>> =
  NUMERIC_ARRAYS;

/** Every column type, in the order numpy lists its kinds. */
export const COLUMN_TYPES: readonly ColumnType[] = Object.freeze([
  "bool",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "float32",
  "float64",
  "string",
]);

/** Whether a string is a {@link ColumnType}. */
export function isColumnType(name: unknown): name is ColumnType {
  return typeof name === "string" && (COLUMN_TYPES as readonly string[]).includes(name);
}

/**
 * The column type of an array of values: from the typed array's class, `bool` for an array of booleans,
 * `string` for an array of strings; undefined for anything else (an empty plain array is `float64`).
 */
export function columnTypeOf(values: unknown): ColumnType | undefined {
  if (ArrayBuffer.isView(values)) {
    for (const [type, arrayClass] of Object.entries(TYPED_ARRAYS)) {
      if (values.constructor === arrayClass) return type as ColumnType;
    }
    return undefined;
  }
  if (!Array.isArray(values)) return undefined;
  if (values.length === 0) return "float64";
  if (values.every((v) => typeof v === "boolean")) return "bool";
  if (values.every((v) => typeof v === "string")) return "string";
  return undefined;
}

/** Whether `values` are valid values of a column of `type`. */
export function fitsColumnType(values: unknown, type: ColumnType): values is ColumnValues {
  const arrayClass = TYPED_ARRAYS[type];
  if (arrayClass !== undefined) return ArrayBuffer.isView(values) && values.constructor === arrayClass;
  if (!Array.isArray(values)) return false;
  const kind = type === "bool" ? "boolean" : "string";
  return values.every((v) => typeof v === kind);
}

/**
 * Values of a column of `type` from plain values, `null` (or `undefined`) where one is missing: the
 * values, with missing ones filled as daf_butler fills them (`NaN`, `-1` for signed integers, `0` for
 * unsigned, `true`, `""`), and the mask (true where missing) when any is.
 */
export function columnFromValues(
  type: ColumnType,
  values: ArrayLike<unknown>,
): { values: ColumnValues; mask: readonly boolean[] | undefined } {
  const length = values.length;
  if (ArrayBuffer.isView(values) && values.constructor === TYPED_ARRAYS[type]) {
    return { values: values as ColumnValues, mask: undefined };
  }
  // One pass over the values, the mask made only when a value is missing: readers hand over millions.
  const fill = fillValue(type);
  const arrayClass = TYPED_ARRAYS[type];
  const bigints = isBigIntType(type);
  const out = (arrayClass === undefined ? new Array(length) : new arrayClass(length)) as unknown as {
    [i: number]: unknown;
  };
  let mask: boolean[] | undefined;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      mask ??= new Array<boolean>(length).fill(false);
      mask[i] = true;
      out[i] = fill;
    } else if (bigints) {
      out[i] = typeof value === "bigint" ? value : BigInt(value as number);
    } else {
      out[i] = typeof value === "bigint" ? Number(value) : value;
    }
  }
  return { values: out as unknown as ColumnValues, mask };
}

/** The value daf_butler gives missing entries of a column of this type when it reads them to numpy. */
export function fillValue(type: ColumnType): number | bigint | boolean | string {
  switch (type) {
    case "bool":
      return true;
    case "string":
      return "";
    case "float32":
    case "float64":
      return Number.NaN;
    case "int64":
      return -1n;
    case "uint64":
      return 0n;
    default:
      return type.startsWith("u") ? 0 : -1;
  }
}
