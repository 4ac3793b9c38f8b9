/**
 * PyYAML's implicit resolvers (YAML 1.1, as its SafeLoader and SafeDumper use them): which plain scalars
 * mean a bool, int, float, null or timestamp rather than a string. Readers use them to read a plain `y`
 * or `1e5` as the string PyYAML reads; the emitter uses them to quote a string exactly when PyYAML would.
 */

/** The prefix of the full names of YAML's core tags, written `!!` (`!!binary`). */
export const CORE_TAG = "tag:yaml.org,2002:";

/** PyYAML's bool words (`y` and `n` are strings, unlike YAML 1.1's spec). */
export const PYYAML_BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
/** PyYAML's floats: a dot is required, an exponent needs a sign (`1e5` is a string). */
export const PYYAML_FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
/** PyYAML's ints: binary, octal with a leading 0, decimal, hexadecimal, base 60. */
export const PYYAML_INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
/** PyYAML's nulls, the empty scalar included. */
export const PYYAML_NULL = /^(?:~|null|Null|NULL|)$/;
/** PyYAML's timestamps: a date, or a date and time with an optional fraction and zone. */
export const PYYAML_TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

/** Resolvers in PyYAML's order, each with the first characters it is tried for. */
const RESOLVERS: readonly (readonly [RegExp, string])[] = [
  [PYYAML_BOOL, "yYnNtTfFoO"],
  [PYYAML_FLOAT, "-+0123456789."],
  [PYYAML_INT, "-+0123456789"],
  // `<<` (merge) and `=` (value) are not strings to PyYAML either, so they must be quoted.
  [/^<<$/, "<"],
  [PYYAML_NULL, "~nN"],
  [PYYAML_TIMESTAMP, "0123456789"],
  [/^=$/, "="],
];

/** Whether PyYAML reads `text`, written as a plain scalar, as a string. */
export function plainIsString(text: string): boolean {
  if (text === "") return false;
  const first = text[0] as string;
  for (const [pattern, firsts] of RESOLVERS) {
    if (firsts.includes(first) && pattern.test(text)) return false;
  }
  return true;
}
