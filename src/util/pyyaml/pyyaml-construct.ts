/**
 * The values PyYAML's SafeConstructor gives scalars its resolvers matched (see `pyyaml-resolver.ts`):
 * `construct_yaml_bool`, `construct_yaml_int` and `construct_yaml_float`.
 */

const TRUE = /^(?:yes|true|on)$/i;

/** The value of a plain scalar PyYAML's bool resolver matched: `yes`, `True`, `ON` are true. */
export function constructYamlBool(text: string): boolean {
  return TRUE.test(text);
}

/**
 * The exact value of a plain scalar PyYAML's int resolver matched (`0b101`, `017` octal, `0x1F`, `1_000`, base-60
 * `1:30`), or undefined when it has no digits (`0x_`), which PyYAML fails to read.
 */
export function constructYamlInt(text: string): bigint | undefined {
  const [negative, digits] = unsigned(text);
  let value: bigint;
  try {
    if (digits.startsWith("0b") || digits.startsWith("0x") || digits === "0") value = BigInt(digits);
    else if (digits[0] === "0") value = BigInt(`0o${digits.slice(1)}`);
    else value = digits.split(":").reduce((total, part) => total * 60n + BigInt(part), 0n);
  } catch {
    return undefined;
  }
  return negative ? -value : value;
}

/** The value of a plain scalar PyYAML's float resolver matched (`1_000.5`, `-.inf`, `.NaN`, base-60 `1:30.5`). */
export function constructYamlFloat(text: string): number {
  const [negative, digits] = unsigned(text.toLowerCase());
  const sign = negative ? -1 : 1;
  if (digits === ".inf") return sign * Number.POSITIVE_INFINITY;
  if (digits === ".nan") return Number.NaN;
  return sign * digits.split(":").reduce((total, part) => total * 60 + Number(part), 0);
}

/** Whether the number is negative, and its digits without the sign and PyYAML's `_` separators. */
function unsigned(text: string): [boolean, string] {
  const clean = text.replaceAll("_", "");
  const signed = clean[0] === "-" || clean[0] === "+";
  return [clean[0] === "-", signed ? clean.slice(1) : clean];
}
