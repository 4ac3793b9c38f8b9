import { ArgumentError } from "../errors.ts";
import { NUMERIC_ARRAYS, type NumericArray, type NumericType } from "./numeric-array.ts";

/** Element types of an {@link NdArray}, by numpy's dtype names. */
export const ND_DTYPES = Object.freeze([
  "bool",
  "int8",
  "uint8",
  "int16",
  "uint16",
  "int32",
  "uint32",
  "int64",
  "uint64",
  "float32",
  "float64",
  "str",
] as const);

/** The element type of an {@link NdArray}: numpy's dtype name (`float32`, `int16`, `uint64`, `bool`, `str`). */
export type NdDtype = (typeof ND_DTYPES)[number];

/** The storage of an {@link NdArray}'s elements, in C order: a typed array (bigint ones for 64-bit integers; bytes 0/1 for `bool`), or strings. */
export type NdData = NumericArray | readonly string[];

/** One element of an {@link NdArray}. */
export type NdElement = number | bigint | boolean | string;

type NumericDtype = Exclude<NdDtype, "str">;

type TypedArrayConstructor = (typeof NUMERIC_ARRAYS)[NumericType];

/** numpy's bool is stored as bytes 0/1. */
const TYPED: Readonly<Record<NumericDtype, TypedArrayConstructor>> = {
  ...NUMERIC_ARRAYS,
  bool: Uint8Array,
};

/** numpy's type codes (`dtype.str` without the byte order) of each dtype. */
const CODES: Readonly<Record<NdDtype, string>> = {
  bool: "b1",
  int8: "i1",
  uint8: "u1",
  int16: "i2",
  uint16: "u2",
  int32: "i4",
  uint32: "u4",
  int64: "i8",
  uint64: "u8",
  float32: "f4",
  float64: "f8",
  str: "U",
};

const ALIASES: Readonly<Record<string, NdDtype>> = {
  "?": "bool",
  b: "int8",
  B: "uint8",
  h: "int16",
  H: "uint16",
  i: "int32",
  I: "uint32",
  q: "int64",
  Q: "uint64",
  l: "int64",
  L: "uint64",
  f: "float32",
  d: "float64",
  int: "int64",
  float: "float64",
  double: "float64",
  single: "float32",
  string: "str",
  U: "str",
  S: "str",
  O: "str",
  bytes: "str",
};

/**
 * The dtype a numpy dtype string names: a name (`float32`, `int16`), numpy's `dtype.str` with or without
 * the byte order (`<f4`, `>i2`, `|u1`, `i8`, `<U7`, `|S5`), or a one-letter code (`f`, `d`, `q`, `?`).
 * The byte order only says how a file stores the values: in memory they are always native.
 * @throws {ArgumentError} for a dtype butler-ts cannot hold (complex, float16, datetime, structured, ...).
 */
export function parseDtype(name: string): NdDtype {
  if ((ND_DTYPES as readonly string[]).includes(name)) return name as NdDtype;
  const alias = ALIASES[name];
  if (alias !== undefined) return alias;
  const match = /^([<>|=]?)([biufUSO?])(\d*)$/.exec(name);
  if (match !== null) {
    const [, , kind, size] = match as unknown as [string, string, string, string];
    if (kind === "U" || kind === "S" || kind === "O") return "str";
    if (kind === "?") return "bool";
    const found = (Object.keys(CODES) as NdDtype[]).find((d) => CODES[d] === `${kind}${size}`);
    if (found !== undefined) return found;
  }
  throw new ArgumentError(`Unsupported array dtype "${name}"`, {
    hint: `Use one of ${ND_DTYPES.join(", ")} (or numpy's codes for them, such as "<f4").`,
  });
}

/** numpy's `dtype.str` of a dtype, little-endian (`<f4`, `|u1`, `|b1`); `<U` for strings, whose width varies. */
export function numpyDtypeString(dtype: NdDtype): string {
  const code = CODES[dtype];
  if (dtype === "str") return "<U";
  return code.endsWith("1") ? `|${code}` : `<${code}`;
}

/** Size in bytes of one element (undefined for strings). */
export function dtypeByteSize(dtype: NdDtype): number | undefined {
  return dtype === "str" ? undefined : TYPED[dtype].BYTES_PER_ELEMENT;
}

/** The typed array class holding elements of a numeric dtype (`Uint8Array` for `bool`). */
export function typedArrayClassOf(dtype: NumericDtype): TypedArrayConstructor {
  return TYPED[dtype];
}

/** The dtype a typed array holds (`uint8` for `Uint8Array`), or undefined for anything else. */
export function dtypeOfData(data: unknown): NdDtype | undefined {
  if (Array.isArray(data)) return data.every((v) => typeof v === "string") ? "str" : undefined;
  if (!ArrayBuffer.isView(data) || data instanceof DataView) return undefined;
  if (data instanceof Uint8ClampedArray) return undefined;
  return (Object.keys(TYPED) as NumericDtype[]).find((d) => d !== "bool" && data.constructor === TYPED[d]);
}
