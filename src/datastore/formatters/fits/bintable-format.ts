import { FormatterError } from "../../../errors.ts";
import type { FitsLocation } from "./fits-types.ts";

/** A binary-table element type letter (FITS standard table 18). */
export type FitsElementCode = "L" | "X" | "B" | "I" | "J" | "K" | "A" | "E" | "D" | "C" | "M";

/** A parsed `TFORMn`: element type, repeat count and, for heap arrays, the descriptor kind. */
export interface BinaryTableFormat {
  readonly code: FitsElementCode;
  /** Repeat count of a fixed field (for `X`, in bits); 1 or 0 for a heap descriptor. */
  readonly repeat: number;
  /** `P` (32-bit descriptors) or `Q` (64-bit) for variable-length arrays, undefined for fixed fields. */
  readonly heap?: "P" | "Q";
  /** Bytes the field takes in the main table. */
  readonly width: number;
}

/** Bytes of one element of each type (`X` is per 8 bits, rounded up by the callers). */
export const ELEMENT_BYTES: Readonly<Record<FitsElementCode, number>> = Object.freeze({
  L: 1,
  X: 1,
  B: 1,
  I: 2,
  J: 4,
  K: 8,
  A: 1,
  E: 4,
  D: 8,
  C: 8,
  M: 16,
});

const FIXED = /^\s*(\d*)([LXBIJKAEDCM])(.*?)\s*$/;
const VARIABLE = /^\s*([01]?)([PQ])([LXBIJKAEDCM])(?:\(\s*\d*\s*\))?\s*$/;

/** Bytes of `count` elements of a type (bits packed 8 to a byte). */
export function elementBytes(code: FitsElementCode, count: number): number {
  return code === "X" ? Math.ceil(count / 8) : count * ELEMENT_BYTES[code];
}

/**
 * Parses a `TFORMn` value.
 * @throws {FormatterError} when it is not a valid binary-table format.
 */
export function parseBinaryTableFormat(
  tform: string,
  column: number,
  location: FitsLocation = {},
  offset?: number,
): BinaryTableFormat {
  const variable = VARIABLE.exec(tform);
  if (variable !== null) {
    const heap = variable[2] as "P" | "Q";
    const repeat = variable[1] === "0" ? 0 : 1;
    return { code: variable[3] as FitsElementCode, repeat, heap, width: repeat * (heap === "P" ? 8 : 16) };
  }
  const fixed = FIXED.exec(tform);
  // Only character fields may carry a suffix: the `rAw` substring convention, whose `w` we ignore.
  if (fixed === null || (fixed[3] !== "" && !(fixed[2] === "A" && /^\d+$/.test(fixed[3] ?? "")))) {
    throw new FormatterError(`Invalid binary table format TFORM${column} = "${tform}"`, {
      ...fitsWhere(location, offset),
      hint: "TFORM must be a repeat count and one of L X B I J K A E D C M, or P/Q and a type for heap arrays.",
    });
  }
  const code = fixed[2] as FitsElementCode;
  const repeat = fixed[1] === "" ? 1 : Number(fixed[1]);
  return { code, repeat, width: elementBytes(code, repeat) };
}

/** The `file`/`offset` options of a FormatterError at `position` bytes into the data a codec was given. */
export function fitsWhere(
  location: FitsLocation,
  position: number | undefined,
): { file?: string; offset?: number } {
  const where: { file?: string; offset?: number } = {};
  if (location.file !== undefined) where.file = location.file;
  if (position !== undefined) where.offset = (location.offset ?? 0) + position;
  return where;
}
