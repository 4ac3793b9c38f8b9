/** The element type of an image's pixels, named as numpy names them. */
export type PixelType =
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

/** A typed array holding pixels. */
export type PixelArray =
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

const CONSTRUCTORS = {
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
} as const;

/** Every pixel type. */
export const PIXEL_TYPES: readonly PixelType[] = Object.freeze(Object.keys(CONSTRUCTORS) as PixelType[]);

/** A zeroed pixel array of `length` elements of type `type`, or one viewing `buffer`. */
export function makePixelArray(
  type: PixelType,
  length: number,
  buffer?: ArrayBufferLike,
  byteOffset = 0,
): PixelArray {
  const make = CONSTRUCTORS[type];
  return buffer === undefined ? new make(length) : new make(buffer as ArrayBuffer, byteOffset, length);
}

/** The pixel type of a typed array, or undefined for anything else (a DataView, a Uint8ClampedArray, ...). */
export function pixelTypeOf(array: unknown): PixelType | undefined {
  for (const type of PIXEL_TYPES) {
    if (Object.getPrototypeOf(array) === CONSTRUCTORS[type].prototype) return type;
  }
  return undefined;
}

/** Whether a pixel type holds bigint values. */
export function isBigIntType(type: PixelType): type is "int64" | "uint64" {
  return type === "int64" || type === "uint64";
}
