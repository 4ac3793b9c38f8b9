/**
 * Plain values read from an export file, before they are checked against the export format: the
 * scalars, lists and mappings of the YAML text, with anything tagged kept as a {@link Tagged} value for
 * the reader to interpret (it knows where in the file the value sits and can say so in its errors).
 */
export type YamlValue = null | boolean | number | string | Tagged | YamlValue[] | YamlMap;

/** A YAML mapping; keys are the text of their (scalar) key. */
export type YamlMap = Map<string, YamlValue>;

/** Full tag names of the YAML core tags this module resolves itself. */
export const CORE_TAG = "tag:yaml.org,2002:";
/** Tag of a plain scalar that PyYAML reads as a timestamp (`2014-11-18 12:56:47.112000`). */
export const TIMESTAMP_TAG = `${CORE_TAG}timestamp`;
/** Tag of base64 bytes (`!!binary`). */
export const BINARY_TAG = `${CORE_TAG}binary`;
/** Tag kept on an integer that is not a safe JavaScript integer (too large, or digits missing: `0x_`). */
export const INT_TAG = `${CORE_TAG}int`;

/** A value with a tag the YAML layer does not resolve: `!uuid`, a region, a time, a timespan, bytes. */
export class Tagged {
  /** Full tag name: `!uuid`, `lsst.sphgeom.ConvexPolygon` (written `!<...>`), `tag:yaml.org,2002:binary`. */
  readonly tag: string;
  /** The scalar text, or the list or mapping the tag applies to. */
  readonly value: YamlValue;

  constructor(tag: string, value: YamlValue) {
    this.tag = tag;
    this.value = value;
    Object.freeze(this);
  }
}

// PyYAML's implicit resolvers (YAML 1.1), which decide what daf_butler reads from an unquoted scalar.
const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const SHORT_DECIMAL = /^-?[1-9][0-9]{0,14}$/;
const TIMESTAMP =
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;
// `<<` (merge) and `=` (value) also resolve to non-strings in PyYAML; we read them as strings but
// must quote them on output so PyYAML reads them back as strings too.
const SPECIAL = /^(?:<<|=)$/;

/**
 * The value of an unquoted, untagged scalar under PyYAML's YAML 1.1 rules: `yes`/`on` are booleans,
 * `017` (octal) and `1_000` are integers, `1.0e+5` is a float but `1e5` a string, and date-times
 * are timestamps (kept tagged, read as UTC by the export reader).
 */
export function resolvePlain(text: string): YamlValue {
  const first = text.charCodeAt(0);
  // Most scalars start with a letter that no resolver but bool and null accept: decide them quickly.
  if (
    first >= 0x61 &&
    first <= 0x7a &&
    first !== 0x6e &&
    first !== 0x6f &&
    first !== 0x74 &&
    first !== 0x79
  ) {
    return first === 0x66 && BOOL.test(text) ? false : text;
  }
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return TRUE.test(text);
  if (INT.test(text)) return constructInt(text);
  if (FLOAT.test(text)) return constructFloat(text);
  if (TIMESTAMP.test(text)) return new Tagged(TIMESTAMP_TAG, text);
  return text;
}

/** Whether PyYAML would read `text`, written unquoted, as a string. */
export function isPlainString(text: string): boolean {
  return typeof resolvePlain(text) === "string" && !SPECIAL.test(text);
}

function constructInt(text: string): number | Tagged {
  // Most integers are short decimals, exact as JavaScript numbers.
  if (SHORT_DECIMAL.test(text)) return Number(text);
  let digits = text.replaceAll("_", "");
  let sign = 1n;
  if (digits[0] === "-" || digits[0] === "+") {
    if (digits[0] === "-") sign = -1n;
    digits = digits.slice(1);
  }
  let value: bigint;
  try {
    if (digits.startsWith("0b") || digits.startsWith("0x") || digits === "0") value = BigInt(digits);
    else if (digits[0] === "0") value = BigInt(`0o${digits.slice(1)}`);
    else value = digits.split(":").reduce((total, part) => total * 60n + BigInt(part), 0n);
  } catch {
    return new Tagged(INT_TAG, text);
  }
  const number = Number(value * sign);
  return Number.isSafeInteger(number) ? number : new Tagged(INT_TAG, text);
}

function constructFloat(text: string): number {
  const value = text.replaceAll("_", "").toLowerCase();
  const sign = value[0] === "-" ? -1 : 1;
  const unsigned = value[0] === "-" || value[0] === "+" ? value.slice(1) : value;
  if (unsigned === ".inf") return sign * Number.POSITIVE_INFINITY;
  if (unsigned === ".nan") return Number.NaN;
  return sign * unsigned.split(":").reduce((total, part) => total * 60 + Number(part), 0);
}

/**
 * The full name of a tag as written in YAML (`!!binary` -> `tag:yaml.org,2002:binary`, `!<x>` -> `x`,
 * `!uuid` -> `!uuid`), or undefined for forms left to the full parser (named handles, %-escapes).
 */
export function fullTagName(source: string): string | undefined {
  if (source.includes("%")) return undefined;
  if (source.startsWith("!<") && source.endsWith(">")) return source.slice(2, -1);
  if (source.startsWith("!!")) return CORE_TAG + source.slice(2);
  return source.indexOf("!", 1) < 0 ? source : undefined;
}

/**
 * The value of an explicitly tagged node: core scalar tags (`!!str`, `!!int`, ...) and `!!map`/`!!seq`
 * are resolved here; every other tag is kept as a {@link Tagged} value.
 */
export function resolveTagged(tag: string, value: YamlValue): YamlValue {
  if (!tag.startsWith(CORE_TAG)) return new Tagged(tag, value);
  const name = tag.slice(CORE_TAG.length);
  if (typeof value === "string") {
    const resolved = resolveCoreScalar(name, value);
    if (resolved !== undefined) return resolved;
  } else if ((name === "map" && value instanceof Map) || (name === "seq" && Array.isArray(value))) {
    return value;
  }
  return new Tagged(tag, value);
}

function resolveCoreScalar(name: string, text: string): YamlValue | undefined {
  switch (name) {
    case "str":
      return text;
    case "null":
      return NULL.test(text) ? null : undefined;
    case "bool":
      return BOOL.test(text) ? TRUE.test(text) : undefined;
    case "int":
      return INT.test(text) ? constructInt(text) : undefined;
    case "float":
      return FLOAT.test(text) || /^[-+]?[0-9][0-9_]*$/.test(text) ? constructFloat(text) : undefined;
    case "timestamp":
      return TIMESTAMP.test(text) ? new Tagged(TIMESTAMP_TAG, text) : undefined;
    default:
      return undefined;
  }
}
