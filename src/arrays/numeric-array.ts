/** Numeric element types, named as numpy names them. */
export type NumericType =
  | "uint8"
  | "int8"
  | "int16"
  | "uint16"
  | "int32"
  | "uint32"
  | "int64"
  | "uint64"
  | "float32"
  | "float64";

/** A typed array of one numeric type: the storage of pixels, table columns and n-d arrays (bigint arrays for 64-bit integers). */
export type NumericArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** The typed-array class of each numeric type. */
export const NUMERIC_ARRAYS = Object.freeze({
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
} as const);

/** Every numeric type. */
export const NUMERIC_TYPES: readonly NumericType[] = Object.freeze(
  Object.keys(NUMERIC_ARRAYS) as NumericType[],
);

/** A zeroed array of `length` elements of `type`, or one viewing `buffer` from `byteOffset`. */
export function makeNumericArray(
  type: NumericType,
  length: number,
  buffer?: ArrayBufferLike,
  byteOffset = 0,
): NumericArray {
  const make = NUMERIC_ARRAYS[type];
  return buffer === undefined ? new make(length) : new make(buffer as ArrayBuffer, byteOffset, length);
}

/** The numeric type of a typed array, or undefined for anything else (a DataView, a Uint8ClampedArray, ...). */
export function numericTypeOf(array: unknown): NumericType | undefined {
  for (const type of NUMERIC_TYPES) {
    if (Object.getPrototypeOf(array) === NUMERIC_ARRAYS[type].prototype) return type;
  }
  return undefined;
}

/** Whether a type holds bigint values (64-bit integers). */
export function isBigIntType(type: string): type is "int64" | "uint64" {
  return type === "int64" || type === "uint64";
}
