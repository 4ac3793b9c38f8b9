import { pythonFloatRepr } from "../../util/python-float-repr.ts";

/**
 * Python's format-spec mini-language (`08d`, `>5`, `.3f`, `_x`) for file template fields: parsed once per
 * template, then applied to each value. Covers what paths need (integer, string and float presentation
 * types); `c`, `g`, `G` and `%` are refused when the template is parsed.
 */

/** A value a template field can hold once resolved. */
export type SpecValue = string | number | boolean;

/** A format spec that does not apply to a value (Python raises ValueError there). */
export class SpecMismatch extends Error {}

/** A parsed format spec, ready to render values. */
export interface FormatSpec {
  /** The spec as written, without daf_butler's `?` and `/` flags. */
  readonly text: string;
  /**
   * `value` rendered as Python's `format(value, spec)` would; `isFloat` says a number is a Python float.
   * @throws {SpecMismatch} when the spec does not apply to the value's type.
   */
  render(value: SpecValue, isFloat: boolean): string;
}

/** Largest precision accepted: twice it must stay within what `toFixed` allows (100). */
const MAX_PRECISION = 50;
const GRAMMAR = /^(?:([\s\S])?([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bdeEfFnosxX])?$/;
const INTEGER_TYPES: ReadonlySet<string> = new Set("bdnoxX");
const FLOAT_TYPES: ReadonlySet<string> = new Set("eEfF");

interface Parts {
  readonly fill: string;
  readonly align: string | undefined;
  readonly sign: string;
  readonly z: boolean;
  readonly alternate: boolean;
  readonly zero: boolean;
  readonly width: number;
  readonly grouping: string | undefined;
  readonly precision: number | undefined;
  readonly type: string;
}

/**
 * Parse a Python format spec.
 * @returns the spec, or a sentence saying why it is invalid.
 */
export function parseFormatSpec(text: string): FormatSpec | string {
  if (text === "") return PLAIN;
  const match = GRAMMAR.exec(text);
  if (match === null) {
    return /[cgG%]$/.test(text)
      ? `format type "${text.at(-1)}" is not supported in file templates (use d, s, x, f or e)`
      : `"${text}" is not a valid format spec`;
  }
  const [, fill, align, sign, z, alternate, zero, width, grouping, precision, type] = match;
  if (precision !== undefined && Number(precision) > MAX_PRECISION) {
    return `precision ${precision} is more than file templates support (${MAX_PRECISION})`;
  }
  const parts: Parts = {
    fill: fill ?? (zero !== undefined ? "0" : " "),
    align,
    sign: sign ?? "",
    z: z !== undefined,
    alternate: alternate !== undefined,
    zero: zero !== undefined,
    width: width === undefined ? 0 : Number(width),
    grouping,
    precision: precision === undefined ? undefined : Number(precision),
    type: type ?? "",
  };
  return { text, render: (value, isFloat) => render(parts, text, value, isFloat) };
}

const PLAIN: FormatSpec = Object.freeze({
  text: "",
  render: (value: SpecValue, isFloat: boolean) => {
    if (typeof value === "number") return isFloat ? pythonFloatRepr(value) : String(value);
    if (typeof value === "boolean") return value ? "True" : "False";
    return value;
  },
});

function render(parts: Parts, text: string, value: SpecValue, isFloat: boolean): string {
  if (typeof value === "string") return renderString(parts, text, value);
  if (typeof value === "boolean") return renderInteger(parts, text, value ? 1 : 0);
  if (isFloat || FLOAT_TYPES.has(parts.type)) return renderFloat(parts, text, value);
  return renderInteger(parts, text, value);
}

function renderString(parts: Parts, text: string, value: string): string {
  if ((parts.type !== "" && parts.type !== "s") || parts.sign !== "" || parts.alternate || parts.z) {
    throw new SpecMismatch(`format spec "${text}" does not apply to a string`);
  }
  if (parts.align === "=" || parts.grouping !== undefined) {
    throw new SpecMismatch(`format spec "${text}" does not apply to a string`);
  }
  const chars = Array.from(value);
  const body = parts.precision === undefined ? value : chars.slice(0, parts.precision).join("");
  return pad(parts, "", body, parts.align ?? "<");
}

function renderInteger(parts: Parts, text: string, value: number): string {
  if (parts.type === "s" || parts.precision !== undefined || parts.z) {
    throw new SpecMismatch(`format spec "${text}" does not apply to an integer`);
  }
  const type = parts.type === "" || parts.type === "n" ? "d" : parts.type;
  if (parts.grouping === "," && type !== "d") {
    throw new SpecMismatch(`format spec "${text}" cannot group digits with "," in base ${type}`);
  }
  const base = type === "b" ? 2 : type === "o" ? 8 : type === "d" ? 10 : 16;
  let digits = Math.abs(value).toString(base);
  if (type === "X") digits = digits.toUpperCase();
  const prefix = `${signOf(parts.sign, value < 0)}${parts.alternate && type !== "d" ? `0${type}` : ""}`;
  const groupSize = type === "d" ? 3 : 4;
  return padNumber(parts, prefix, digits, groupSize);
}

function renderFloat(parts: Parts, text: string, value: number): string {
  if (parts.type === "s" || INTEGER_TYPES.has(parts.type)) {
    throw new SpecMismatch(`format spec "${text}" does not apply to a float`);
  }
  if (parts.type === "" && parts.precision !== undefined) {
    throw new SpecMismatch(`a float precision needs a presentation type in file templates ("${text}f")`);
  }
  const magnitude = Math.abs(value);
  let body: string;
  if (!Number.isFinite(magnitude)) body = Number.isNaN(magnitude) ? "nan" : "inf";
  else if (parts.type === "f" || parts.type === "F") body = fixed(magnitude, parts.precision ?? 6);
  else if (parts.type === "e" || parts.type === "E") {
    body = exponential(magnitude, parts.precision ?? 6);
  } else body = pythonFloatRepr(magnitude);
  if (parts.type === "F" || parts.type === "E") body = body.toUpperCase();
  if (parts.alternate && !body.includes(".") && Number.isFinite(magnitude)) {
    body = body.replace(/^(\d+)/, "$1.");
  }
  // `z` turns a negative zero after rounding (-0.0001 at ".2f") into a plain zero.
  const roundsToZero = Number.isFinite(magnitude) && Number(body) === 0;
  const negative = (value < 0 || Object.is(value, -0)) && !(parts.z && roundsToZero);
  const prefix = signOf(parts.sign, negative);
  const [whole = "", rest = ""] = splitNumber(body);
  return padNumber(parts, prefix, whole, 3, rest);
}

/** `12.5e3` -> `["12", ".5e3"]`: the integer part, which grouping and zero padding apply to, and the rest. */
function splitNumber(body: string): [string, string] {
  const end = /^\d+/.exec(body)?.[0].length ?? 0;
  return [body.slice(0, end), body.slice(end)];
}

function signOf(sign: string, negative: boolean): string {
  if (negative) return "-";
  return sign === "+" ? "+" : sign === " " ? " " : "";
}

/** Digits grouped from the right: `1234567` -> `1,234,567`. */
function group(digits: string, separator: string | undefined, size: number): string {
  if (separator === undefined || digits.length <= size) return digits;
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= size)
    groups.unshift(digits.slice(Math.max(0, end - size), end));
  return groups.join(separator);
}

function padNumber(parts: Parts, prefix: string, digits: string, groupSize: number, rest = ""): string {
  const align = parts.align ?? (parts.zero ? "=" : ">");
  if (align === "=" && parts.fill === "0" && parts.grouping !== undefined) {
    // Python zero-pads through the grouping: format(1234, "010,d") == "00,001,234".
    let padded = digits;
    let grouped = group(padded, parts.grouping, groupSize);
    while (prefix.length + grouped.length + rest.length < parts.width) {
      padded = `0${padded}`;
      grouped = group(padded, parts.grouping, groupSize);
    }
    return `${prefix}${grouped}${rest}`;
  }
  return pad(parts, prefix, `${group(digits, parts.grouping, groupSize)}${rest}`, align);
}

function pad(parts: Parts, prefix: string, body: string, align: string): string {
  const length = Array.from(prefix).length + Array.from(body).length;
  const missing = parts.width - length;
  if (missing <= 0) return `${prefix}${body}`;
  const fill = (count: number) => parts.fill.repeat(count);
  switch (align) {
    case "<":
      return `${prefix}${body}${fill(missing)}`;
    case "^":
      return `${fill(Math.floor(missing / 2))}${prefix}${body}${fill(Math.ceil(missing / 2))}`;
    case "=":
      return `${prefix}${fill(missing)}${body}`;
    default:
      return `${fill(missing)}${prefix}${body}`;
  }
}

/**
 * `x.toFixed(precision)` with Python's rounding: JavaScript rounds an exact tie (2.5 to 0 places) up,
 * Python to even. `x` is not negative.
 */
function fixed(x: number, precision: number): string {
  if (x >= 1e21) return `${BigInt(x)}${precision > 0 ? `.${"0".repeat(precision)}` : ""}`;
  const rounded = x.toFixed(precision);
  const exact = x.toFixed(MAX_PRECISION * 2);
  const dot = exact.indexOf(".");
  const end = precision === 0 ? dot : dot + 1 + precision;
  if (!/^\.?50*$/.test(exact.slice(end))) return rounded;
  const truncated = exact.slice(0, end);
  return Number(truncated.at(-1)) % 2 === 0 ? truncated : rounded;
}

/** `x.toExponential(precision)` with Python's rounding (ties to even) and exponent form (`e+03`). */
function exponential(x: number, precision: number): string {
  let text = x.toExponential(precision);
  const [exactMantissa = "", exactExponent] = x.toExponential(MAX_PRECISION * 2).split("e");
  const end = precision === 0 ? 1 : 2 + precision;
  if (/^\.?50*$/.test(exactMantissa.slice(end)) && Number(exactMantissa[end - 1]) % 2 === 0) {
    text = `${exactMantissa.slice(0, end)}e${exactExponent}`;
  }
  return text.replace(/e([+-])(\d)$/, "e$10$2");
}
