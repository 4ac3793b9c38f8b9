import { FormatterError } from "../../errors.ts";
import { pythonNumber } from "./python-number.ts";
import { formatPath, type ValuePath } from "./value-path.ts";

/** Characters PyYAML treats as line breaks. */
export const BREAKS = "\n\u0085\u2028\u2029";
const SPACE_OR_BREAK = "\0 \t\r\n\u0085\u2028\u2029";
const ESCAPES: Record<string, string> = {
  "\0": "0",
  "\x07": "a",
  "\b": "b",
  "\t": "t",
  "\n": "n",
  "\v": "v",
  "\f": "f",
  "\r": "r",
  "\x1b": "e",
  '"': '"',
  "\\": "\\",
  "\u0085": "N",
  "\u00a0": "_",
  "\u2028": "L",
  "\u2029": "P",
};

/** What PyYAML's `analyze_scalar` decides about a string, for block context without `allow_unicode`. */
export interface ScalarAnalysis {
  readonly empty: boolean;
  readonly multiline: boolean;
  readonly allowPlain: boolean;
  readonly allowSingleQuoted: boolean;
}

/** PyYAML's `analyze_scalar`, reduced to what block-context emission without unicode needs. */
export function analyzeScalar(text: string): ScalarAnalysis {
  if (text === "") return { empty: true, multiline: false, allowPlain: true, allowSingleQuoted: true };
  let indicators = text.startsWith("---") || text.startsWith("...");
  let lineBreaks = false;
  let special = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  let followedByWhitespace = text.length === 1 || SPACE_OR_BREAK.includes(text[1] as string);
  const last = text.length - 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const code = text.charCodeAt(i);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(ch) || ("?:-".includes(ch) && followedByWhitespace)) indicators = true;
    } else if ((ch === ":" && followedByWhitespace) || (ch === "#" && precededByWhitespace)) {
      indicators = true;
    }
    const isBreak = BREAKS.includes(ch);
    if (isBreak) lineBreaks = true;
    if (ch !== "\n" && (code < 0x20 || code > 0x7e)) special = true;
    if (ch === " ") {
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak) {
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = SPACE_OR_BREAK.includes(ch);
    followedByWhitespace = i + 2 > last || SPACE_OR_BREAK.includes(text[i + 2] as string);
  }
  const edges = " \n\u0085\u2028\u2029";
  const badEdges = edges.includes(text[0] as string) || edges.includes(text[last] as string);
  const quotedOnly = breakSpace || spaceBreak || special;
  return {
    empty: false,
    multiline: lineBreaks,
    allowPlain: !(badEdges || quotedOnly || lineBreaks || indicators),
    allowSingleQuoted: !quotedOnly,
  };
}

/** A character as PyYAML escapes it in a double-quoted scalar: `\xE9`, `\u2028`, `\U0001F600`, `\n`. */
export function escapeChar(ch: string): string {
  const short = ESCAPES[ch];
  if (short !== undefined) return `\\${short}`;
  const code = ch.codePointAt(0) as number;
  const hex = code.toString(16).toUpperCase();
  if (code <= 0xff) return `\\x${hex.padStart(2, "0")}`;
  if (code <= 0xffff) return `\\u${hex.padStart(4, "0")}`;
  return `\\U${hex.padStart(8, "0")}`;
}

/** Length in code points, as Python counts a string. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/** A number as PyYAML writes an int or a float (`.nan`, `.inf`, and a `.0` before a bare exponent). */
export function yamlNumber(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (!Number.isFinite(value)) return value > 0 ? ".inf" : "-.inf";
  const text = pythonNumber(value);
  return text.includes("e") && !text.includes(".") ? text.replace("e", ".0e") : text;
}

/** A Date as PyYAML writes a date (midnight UTC) or a datetime (`2021-06-01 12:30:00.250000`), in UTC. */
export function timestampText(date: Date, path: ValuePath): string {
  if (Number.isNaN(date.getTime())) {
    throw new FormatterError(`Cannot write an invalid Date as YAML at ${formatPath(path)}`, {
      hint: "Check how the Date was made: new Date(text) gives an invalid Date for text it cannot parse.",
    });
  }
  const iso = date.toISOString();
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  const milliseconds = date.getUTCMilliseconds();
  if (time === "00:00:00" && milliseconds === 0) return day;
  return `${day} ${time}${milliseconds === 0 ? "" : `.${String(milliseconds).padStart(3, "0")}000`}`;
}
