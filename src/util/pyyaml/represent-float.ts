import { pythonFloatRepr } from "../python-float-repr.ts";

/**
 * A float as PyYAML's `represent_float` writes it: Python's `repr()`, with `.0` before a bare exponent
 * (`1.0e-07`, which PyYAML reads back as a float where `1e-07` would be a string), `.nan`, `.inf`, `-.inf`.
 */
export function representFloat(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (!Number.isFinite(value)) return value > 0 ? ".inf" : "-.inf";
  const text = pythonFloatRepr(value);
  return text.includes("e") && !text.includes(".") ? text.replace("e", ".0e") : text;
}
