import { pythonFloatRepr } from "../../util/python-float-repr.ts";

/**
 * Numbers written the way Python writes them, so that files we write match daf_butler's byte for byte.
 * JavaScript has one number type: a safe integer is written as a Python `int`, anything else as Python's
 * `repr()` of a `float` (shortest round-trip digits, exponent below 1e-4 and from 1e16 on).
 */
export function pythonNumber(value: number): string {
  return Number.isSafeInteger(value) ? String(value) : pythonFloatRepr(value);
}
