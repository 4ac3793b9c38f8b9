import type { NumericArray } from "../../../arrays/numeric-array.ts";

/** A typed array holding numbers of one FITS element type, in host byte order. */
export type FitsNumericArray = NumericArray;

/**
 * The values of one column. Which member a column holds follows from its TFORM type letter and its
 * `cell` (see {@link FitsColumn}):
 *
 * | TFORM                      | `cell: "scalar"` (one value per row) | `cell: "array"` (one array per row)   |
 * | -------------------------- | ------------------------------------ | ------------------------------------- |
 * | `B I J K E D` (+ P/Q)      | typed array, length = rows           | one typed array per row               |
 * | `C M` (complex)            | Float32/64Array, 2 per row (re, im)  | one Float32/64Array per row (re, im…) |
 * | `L` (logical, 0 = null)    | `(boolean \| null)[]`                | `(boolean \| null)[][]`               |
 * | `X` (bits)                 | —                                    | one Uint8Array of 0/1 per row         |
 * | `A` (characters)           | `string[]` (also `PA` heap strings)  | `string[][]` when TDIM splits a field |
 */
export type FitsColumnValues =
  | FitsNumericArray
  | readonly FitsNumericArray[]
  | readonly string[]
  | readonly (readonly string[])[]
  | readonly (boolean | null)[]
  | readonly (readonly (boolean | null)[])[];

/**
 * One binary-table column. Read values are already converted: `TSCAL`/`TZERO` applied (integers with
 * a scale or a non-integer-convention zero become Float64Array, nulls NaN), the unsigned conventions
 * (`B`+`TZERO=-128` → Int8Array, `I`+32768 → Uint16Array, `J`+2^31 → Uint32Array, `K`+2^63 →
 * BigUint64Array) become the matching typed array. Complex columns are not scaled.
 */
export interface FitsColumn {
  /** `TTYPEn`, or `COLn` when the header has none. */
  readonly name: string;
  /** `TFORMn` as written: `3J`, `1PD(12)`, `20A`. */
  readonly format: string;
  /** Whether `values` holds one value per row or one array per row (see {@link FitsColumnValues}). */
  readonly cell: "scalar" | "array";
  readonly values: FitsColumnValues;
  /** `TUNITn`. */
  readonly unit?: string;
  /** `TDIMn` in FITS order (fastest-varying axis first); row arrays are flat in that order. */
  readonly dims?: readonly number[];
  /** `TNULLn`: the stored integer meaning "no value". */
  readonly nullValue?: number | bigint;
  /** `TSCALn`, as declared (already applied to read values; applied in reverse when encoding). */
  readonly scale?: number;
  /** `TZEROn`, as declared (already applied to read values; applied in reverse when encoding). */
  readonly zero?: number | bigint;
}

/** A FITS binary table: its row count and its columns in order. */
export interface FitsTable {
  readonly rows: number;
  readonly columns: readonly FitsColumn[];
}
