import { constructYamlBool, constructYamlFloat, constructYamlInt } from "../util/pyyaml/pyyaml-construct.ts";
import {
  CORE_TAG,
  PYYAML_BOOL,
  PYYAML_FLOAT,
  PYYAML_INT,
  PYYAML_NULL,
  PYYAML_TIMESTAMP,
} from "../util/pyyaml/pyyaml-resolver.ts";

export { CORE_TAG };

/**
 * Plain values read from an export file, before they are checked against the export format: the
 * scalars, lists and mappings of the YAML text, with anything tagged kept as a {@link Tagged} value for
 * the reader to interpret (it knows where in the file the value sits and can say so in its errors).
 */
export type YamlValue = null | boolean | number | string | Tagged | YamlValue[] | YamlMap;

/** A YAML mapping; keys are the text of their (scalar) key. */
export type YamlMap = Map<string, YamlValue>;

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

/** Decimal integers that are always safe JavaScript integers. */
const SHORT_DECIMAL = /^-?[1-9][0-9]{0,14}$/;

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
    return first === 0x66 && PYYAML_BOOL.test(text) ? false : text;
  }
  if (PYYAML_NULL.test(text)) return null;
  if (PYYAML_BOOL.test(text)) return constructYamlBool(text);
  if (PYYAML_INT.test(text)) return constructInt(text);
  if (PYYAML_FLOAT.test(text)) return constructYamlFloat(text);
  if (PYYAML_TIMESTAMP.test(text)) return new Tagged(TIMESTAMP_TAG, text);
  return text;
}

/** An integer as a number when it is a safe one, or else kept tagged with its text. */
function constructInt(text: string): number | Tagged {
  // Most integers are short decimals, exact as JavaScript numbers.
  if (SHORT_DECIMAL.test(text)) return Number(text);
  const value = constructYamlInt(text);
  const number = Number(value);
  return value !== undefined && Number.isSafeInteger(number) ? number : new Tagged(INT_TAG, text);
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
      return PYYAML_NULL.test(text) ? null : undefined;
    case "bool":
      return PYYAML_BOOL.test(text) ? constructYamlBool(text) : undefined;
    case "int":
      return PYYAML_INT.test(text) ? constructInt(text) : undefined;
    case "float":
      return PYYAML_FLOAT.test(text) || /^[-+]?[0-9][0-9_]*$/.test(text)
        ? constructYamlFloat(text)
        : undefined;
    case "timestamp":
      return PYYAML_TIMESTAMP.test(text) ? new Tagged(TIMESTAMP_TAG, text) : undefined;
    default:
      return undefined;
  }
}
