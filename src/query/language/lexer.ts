import type { InvalidQueryError } from "../../errors.ts";
import { integerOutOfRange, parseFailure } from "./parse-failure.ts";

/** Reserved words of the `where` language; matched case-insensitively. */
export type Keyword = "AND" | "OR" | "NOT" | "IN" | "OVERLAPS" | "NULL";

/** Operators and punctuation. */
export type Punctuation =
  | "("
  | ")"
  | "="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | ",";

/** A token other than a range literal. */
export interface TextToken {
  readonly kind: "number" | "string" | "time" | "identifier" | "bind" | Keyword | Punctuation | "end";
  /** Offset of the first character in the expression. */
  readonly start: number;
  /** Offset just past the last character (`start === end` for `end`). */
  readonly end: number;
  /**
   * Number: its text; string and time literal: the text between the quotes; identifier: the dotted name;
   * bind: the name without `:`; anything else: the kind.
   */
  readonly value: string;
}

/** `start..stop[:stride]`, read and checked by the lexer (bounds may be negative). */
export interface RangeToken {
  readonly kind: "range";
  readonly start: number;
  readonly end: number;
  readonly rangeStart: number;
  readonly rangeStop: number;
  readonly stride: number;
}

/** One token of a `where` expression, with its position. */
export type Token = TextToken | RangeToken;

const KEYWORDS: ReadonlySet<string> = new Set(["AND", "OR", "NOT", "IN", "OVERLAPS", "NULL"]);
const SINGLE: Readonly<Record<string, Punctuation>> = {
  "(": "(",
  ")": ")",
  "=": "=",
  ",": ",",
  "+": "+",
  "-": "-",
  "*": "*",
  "/": "/",
  "%": "%",
};
const CHARACTER_HINTS: Readonly<Record<string, string>> = {
  '"': "Strings use single quotes: 'text'.",
  "&": "Use AND.",
  "|": "Use OR.",
  "!": "Use != or NOT.",
};

const TAB = 9;
const BANG = 33;
const UPPER_T = 84;
const LOWER_T = 116;
const NEWLINE = 10;
const RETURN = 13;
const SPACE = 32;
const QUOTE = 39;
const MINUS = 45;
const DOT = 46;
const COLON = 58;
const LESS = 60;
const EQUALS = 61;
const GREATER = 62;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isNamePart(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}

function skipSpace(text: string, pos: number): number {
  let c = text.charCodeAt(pos);
  while (c === SPACE || c === TAB || c === NEWLINE || c === RETURN) c = text.charCodeAt(++pos);
  return pos;
}

function skipDigits(text: string, pos: number): number {
  while (isDigit(text.charCodeAt(pos))) pos++;
  return pos;
}

function skipName(text: string, pos: number): number {
  while (isNamePart(text.charCodeAt(pos))) pos++;
  return pos;
}

/**
 * Split a `where` expression into tokens (spec §3.3), ending with an `end` token placed just after the last
 * real token.
 *
 * @throws {InvalidQueryError} on a character no token starts with, an unterminated string or time
 *   literal, a `:` without a bind name, or a range literal with a zero stride, a stop below its start or a
 *   bound beyond ±(2^53 − 1).
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = skipSpace(text, 0);
  let lastEnd = 0;
  while (pos < text.length) {
    const token = readToken(text, pos);
    tokens.push(token);
    lastEnd = token.end;
    pos = skipSpace(text, lastEnd);
  }
  tokens.push({ kind: "end", start: lastEnd, end: lastEnd, value: "end" });
  return tokens;
}

function readToken(text: string, pos: number): Token {
  const c = text.charCodeAt(pos);
  const next = text.charCodeAt(pos + 1);
  if (isDigit(c) || (c === MINUS && isDigit(next))) {
    const range = readRange(text, pos);
    if (range !== undefined) return range;
    if (isDigit(c)) return readNumber(text, pos);
  }
  if (c === DOT && isDigit(next)) return readNumber(text, pos);
  if (isNameStart(c)) {
    if ((c === UPPER_T || c === LOWER_T) && next === QUOTE) return readQuoted(text, pos, "time");
    return readName(text, pos);
  }
  if (c === QUOTE) return readQuoted(text, pos, "string");
  if (c === COLON) {
    if (!isNameStart(next)) {
      throw parseFailure(text, "Expected a bind name after ':'", span(pos, pos + 1), {
        hint: "Write a bind as :name, e.g. visit = :visit_id.",
      });
    }
    const end = skipName(text, pos + 1);
    return { kind: "bind", start: pos, end, value: text.slice(pos + 1, end) };
  }
  if (c === LESS || c === GREATER || c === BANG) {
    if (next === EQUALS) return punctuation(c === LESS ? "<=" : c === GREATER ? ">=" : "!=", pos, 2);
    if (c !== BANG) return punctuation(c === LESS ? "<" : ">", pos, 1);
  }
  const single = SINGLE[text.charAt(pos)];
  if (single !== undefined) return punctuation(single, pos, 1);
  throw unexpectedCharacter(text, pos);
}

function span(start: number, end: number): { start: number; end: number } {
  return { start, end };
}

function punctuation(kind: Punctuation, start: number, length: number): TextToken {
  return { kind, start, end: start + length, value: kind };
}

function unexpectedCharacter(text: string, pos: number): InvalidQueryError {
  const code = text.codePointAt(pos) as number;
  const char = String.fromCodePoint(code);
  const space = /\s/.test(char);
  const visible = !space && code >= 0x20 && (code < 0x7f || code > 0x9f);
  const shown = visible ? `'${char}'` : `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  const hint = CHARACTER_HINTS[char] ?? (space ? "Replace it with an ordinary space." : undefined);
  return parseFailure(text, `Unexpected character ${shown}`, span(pos, pos + char.length), { hint });
}

/** A number: `\d+(\.\d*)?(e[-+]?\d+)?` or `\.\d+(e[-+]?\d+)?`; an incomplete exponent is left unread. */
function readNumber(text: string, pos: number): TextToken {
  let end = skipDigits(text, pos);
  if (text.charCodeAt(end) === DOT) end = skipDigits(text, end + 1);
  const e = text.charCodeAt(end);
  if (e === 101 || e === 69) {
    const sign = text.charCodeAt(end + 1);
    const digits = sign === 43 || sign === MINUS ? end + 2 : end + 1;
    if (isDigit(text.charCodeAt(digits))) end = skipDigits(text, digits);
  }
  return { kind: "number", start: pos, end, value: text.slice(pos, end) };
}

/** A name with up to two dots (`visit`, `visit.id`, `visit.timespan.begin`), or a reserved word. */
function readName(text: string, pos: number): TextToken {
  let end = skipName(text, pos + 1);
  for (
    let dots = 0;
    dots < 2 && text.charCodeAt(end) === DOT && isNameStart(text.charCodeAt(end + 1));
    dots++
  ) {
    end = skipName(text, end + 2);
  }
  const value = text.slice(pos, end);
  if (end - pos <= 8) {
    const upper = value.toUpperCase();
    if (KEYWORDS.has(upper)) return { kind: upper as Keyword, start: pos, end, value };
  }
  return { kind: "identifier", start: pos, end, value };
}

/** `'...'` or `T'...'`: no escapes, and no line break before the closing quote. */
function readQuoted(text: string, pos: number, kind: "string" | "time"): TextToken {
  const open = kind === "time" ? pos + 1 : pos;
  let close = open + 1;
  let c = text.charCodeAt(close);
  while (c !== QUOTE && c !== NEWLINE && close < text.length) c = text.charCodeAt(++close);
  if (c !== QUOTE) {
    throw parseFailure(text, `Unterminated ${kind} literal`, span(pos, close), {
      hint: "Close it with a single quote; it cannot contain a single quote or a line break.",
    });
  }
  return { kind, start: pos, end: close + 1, value: text.slice(open + 1, close) };
}

/** `-?\d+ \s* .. \s* -?\d+ (\s* : \s* \d+)?`, or undefined when the text there is not a range. */
function readRange(text: string, pos: number): RangeToken | undefined {
  const startEnd = skipDigits(text, text.charCodeAt(pos) === MINUS ? pos + 1 : pos);
  let i = skipSpace(text, startEnd);
  if (text.charCodeAt(i) !== DOT || text.charCodeAt(i + 1) !== DOT) return undefined;
  const stopStart = skipSpace(text, i + 2);
  i = text.charCodeAt(stopStart) === MINUS ? stopStart + 1 : stopStart;
  if (!isDigit(text.charCodeAt(i))) return undefined;
  const stopEnd = skipDigits(text, i);
  const rangeStart = integer(text, pos, startEnd);
  const rangeStop = integer(text, stopStart, stopEnd);
  let end = stopEnd;
  let stride = 1;
  i = skipSpace(text, stopEnd);
  if (text.charCodeAt(i) === COLON) {
    const strideStart = skipSpace(text, i + 1);
    if (isDigit(text.charCodeAt(strideStart))) {
      end = skipDigits(text, strideStart);
      stride = integer(text, strideStart, end);
      if (stride === 0) {
        throw parseFailure(
          text,
          `Range '${text.slice(pos, end)}' has a zero stride`,
          span(strideStart, end),
          {
            hint: "Use a positive stride, e.g. 1..9:2.",
          },
        );
      }
    }
  }
  if (rangeStop < rangeStart) {
    throw parseFailure(text, `Range '${text.slice(pos, end)}' stops before it starts`, span(pos, end), {
      hint: `Write the smaller bound first: ${rangeStop}..${rangeStart}.`,
    });
  }
  return { kind: "range", start: pos, end, rangeStart, rangeStop, stride };
}

function integer(text: string, start: number, end: number): number {
  const digits = text.slice(start, end);
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) throw integerOutOfRange(text, digits, span(start, end));
  return value;
}
