/**
 * Numbers written the way Python writes them, so that files we write match daf_butler's byte for byte.
 * JavaScript has one number type: a safe integer is written as a Python `int`, anything else as Python's
 * `repr()` of a `float` (shortest round-trip digits, exponent below 1e-4 and from 1e16 on).
 */
export function pythonNumber(value: number): string {
  return Number.isSafeInteger(value) ? String(value) : pythonFloatRepr(value);
}

/** Python's `repr()` of a finite float: `1.5`, `1e-05`, `1e+16`, `1000000000000000.0`, `-0.0`. */
export function pythonFloatRepr(value: number): string {
  if (Object.is(value, -0)) return "-0.0";
  const sign = value < 0 ? "-" : "";
  const [mantissa = "0", exponentText = "0"] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const magnitude = String(Math.abs(exponent)).padStart(2, "0");
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? "-" : "+"}${magnitude}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  return `${sign}${whole}.${digits.slice(exponent + 1) || "0"}`;
}
