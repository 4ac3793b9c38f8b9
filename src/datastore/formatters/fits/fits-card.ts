import { FormatterError } from "../../../errors.ts";
import { pythonFloatRepr } from "../../../util/python-float-repr.ts";
import { fitsError } from "./fits-error.ts";
import type { FitsCard, FitsLocation, FitsValue } from "./fits-types.ts";

/** Length of one header card. */
export const CARD_LENGTH = 80;

/**
 * A card as a header holds it: the card, plus the text it was read from (so an unmodified card is written
 * back byte-identical) and whether a number is a real (so `1.0` is not written as the integer `1`).
 */
export interface HeaderCard extends FitsCard {
  /** The card images it was read from (several for a `CONTINUE` long string). */
  readonly raw?: string;
  /** Write a number value as a real even when it is integral. */
  readonly real?: boolean;
}

const STANDARD_KEY = /^[A-Z0-9_-]{0,8}$/;
const INTEGER = /^[+-]?\d+$/;
const REAL = /^[+-]?(\d+\.?\d*|\.\d+)([EeDd][+-]?\d+)?$/;
const COMPLEX = /^\(\s*[^,()]+,\s*[^,()]+\)$/;
const COMMENTARY = new Set(["COMMENT", "HISTORY", ""]);

/** One parsed card image, before `CONTINUE` cards are joined to the string they continue. */
export interface CardImage {
  readonly key: string;
  readonly value?: FitsValue;
  readonly comment?: string;
  /** Whether the value was written as a real (`1.0`, `1E3`). */
  readonly real?: boolean;
  /** For a `CONTINUE` card, its string part. */
  readonly continued?: string;
}

/**
 * The parts of one 80-character card image.
 * @throws {FormatterError} for a value that is not a FITS string, logical, integer, real or complex.
 */
export function parseCardImage(text: string, where: FitsLocation = {}): CardImage {
  const head = text.slice(0, 8).trimEnd();
  if (head === "HIERARCH" && text.includes("=")) return parseHierarch(text, where);
  const key = head.toUpperCase();
  if (key === "CONTINUE") {
    const parsed = parseValueField(text.slice(8), where);
    const continued = typeof parsed.value === "string" ? parsed.value : "";
    return { key, continued, ...(parsed.comment === undefined ? {} : { comment: parsed.comment }) };
  }
  if (COMMENTARY.has(key) || text.slice(8, 10) !== "= ") {
    return { key, comment: text.slice(8).trimEnd() };
  }
  return { key, ...parseValueField(text.slice(10), where) };
}

function parseHierarch(text: string, where: FitsLocation): CardImage {
  const equals = text.indexOf("=");
  const key = text.slice(8, equals).trim().toUpperCase();
  return { key, ...parseValueField(text.slice(equals + 1), where) };
}

function parseValueField(field: string, where: FitsLocation): Omit<CardImage, "key"> {
  const start = field.length - field.trimStart().length;
  if (field[start] === "'") {
    let i = start + 1;
    let value = "";
    for (;;) {
      const quote = field.indexOf("'", i);
      if (quote < 0) throw fitsError(`Unterminated string value in card "${field.trim()}"`, where);
      value += field.slice(i, quote);
      if (field[quote + 1] !== "'") {
        i = quote + 1;
        break;
      }
      value += "'";
      i = quote + 2;
    }
    return { value: value.trimEnd(), ...commentOf(field.slice(i), where) };
  }
  const slash = field.indexOf("/");
  const text = (slash < 0 ? field : field.slice(0, slash)).trim();
  const comment = slash < 0 ? {} : { comment: field.slice(slash + 1).trim() };
  if (text === "") return { value: null, ...comment };
  if (text === "T" || text === "F") return { value: text === "T", ...comment };
  if (INTEGER.test(text)) {
    const big = BigInt(text);
    const safe = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER);
    return { value: safe ? Number(big) : big, ...comment };
  }
  if (REAL.test(text)) return { value: Number(text.replace(/[Dd]/, "E")), real: true, ...comment };
  if (COMPLEX.test(text)) return { value: text, ...comment };
  throw fitsError(`Cannot read the value "${text}" of a header card`, where);
}

function commentOf(rest: string, where: FitsLocation): { comment?: string } {
  const trimmed = rest.trim();
  if (trimmed === "") return {};
  if (!trimmed.startsWith("/")) throw fitsError(`Unexpected text "${trimmed}" after a string value`, where);
  return { comment: trimmed.slice(1).trim() };
}

/**
 * The card images (80 characters each) that write one card: a `CONTINUE` series for a string too long for
 * one card, several `COMMENT`/`HISTORY` cards for long commentary, `HIERARCH` for long or lower-case keys.
 * A comment too long for the last card is cut, as astropy does.
 * @throws {FormatterError} for a value FITS cannot hold (non-finite reals, non-ASCII text) or a bad key.
 */
export function formatCard(card: HeaderCard): string[] {
  if (card.raw !== undefined) return chunk(card.raw);
  checkAscii(card.key, "keyword");
  if (card.comment !== undefined) checkAscii(card.comment, `comment of "${card.key}"`);
  if (card.value === undefined) return formatCommentary(card.key, card.comment ?? "");
  const standard = STANDARD_KEY.test(card.key) && card.key !== "HIERARCH";
  if (!standard && (card.key.includes("=") || card.key.trim() !== card.key || card.key === "")) {
    throw new FormatterError(`Cannot write FITS keyword "${card.key}"`, {
      hint: "Keywords longer than 8 characters are written as HIERARCH cards and cannot contain '='.",
    });
  }
  const prefix = standard ? `${card.key.padEnd(8)}= ` : `HIERARCH ${card.key} = `;
  if (typeof card.value === "string")
    return formatString(prefix, card.value, card.comment, standard, card.key);
  const text = formatScalar(card.value, card.key, card.real === true);
  const valueField = standard ? text.padStart(20) : text;
  if (prefix.length + valueField.length > CARD_LENGTH) throw tooLong(card.key);
  return [withComment(prefix + valueField, card.comment)];
}

function formatCommentary(key: string, text: string): string[] {
  if (!COMMENTARY.has(key) && !STANDARD_KEY.test(key)) {
    throw new FormatterError(`Cannot write a commentary card with keyword "${key}"`);
  }
  const width = CARD_LENGTH - 8;
  const lines: string[] = [];
  for (let i = 0; i === 0 || i < text.length; i += width)
    lines.push(key.padEnd(8) + text.slice(i, i + width));
  return lines.map((line) => line.padEnd(CARD_LENGTH));
}

function formatScalar(value: Exclude<FitsValue, string>, key: string, real: boolean): string {
  if (value === null) return "";
  if (typeof value === "boolean") return value ? "T" : "F";
  if (typeof value === "bigint") return value.toString();
  if (!Number.isFinite(value)) {
    throw new FormatterError(`Cannot write ${value} as the value of FITS keyword "${key}"`, {
      hint: "FITS headers cannot hold NaN or infinite numbers; store them as strings or leave the card out.",
    });
  }
  if (!real && Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(0);
  return formatReal(value);
}

/** A real as FITS text that reads back as the same number: Python's shortest repr, with `E` and a point. */
export function formatReal(value: number): string {
  const repr = pythonFloatRepr(value).toUpperCase();
  const [mantissa = "", exponent] = repr.split("E");
  const pointed = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
  return exponent === undefined ? pointed : `${pointed}E${exponent}`;
}

function escapeQuotes(text: string): string {
  return text.replaceAll("'", "''");
}

function formatString(
  prefix: string,
  value: string,
  comment: string | undefined,
  standard: boolean,
  key: string,
): string[] {
  checkAscii(value, `value of "${key}"`);
  const single = `'${escapeQuotes(value).padEnd(8)}'`;
  const first = prefix + (standard ? single.padEnd(20) : single);
  if (first.length <= CARD_LENGTH) return [withComment(first, comment)];
  // A long string: pieces of at most `room` escaped characters, each but the last ending in `&`,
  // never splitting an escaped quote.
  const pieces: string[] = [];
  let rest = value;
  let room = CARD_LENGTH - prefix.length - 3;
  if (room < 2) throw tooLong(key);
  while (rest.length > 0) {
    let take = Math.min(rest.length, room);
    while (escapeQuotes(rest.slice(0, take)).length > room) take -= 1;
    pieces.push(escapeQuotes(rest.slice(0, take)));
    rest = rest.slice(take);
    room = CARD_LENGTH - 10 - 3;
  }
  return pieces.map((piece, i) => {
    const last = i === pieces.length - 1;
    const text = `${i === 0 ? prefix : "CONTINUE  "}'${piece}${last ? "" : "&"}'`;
    return last ? withComment(text, comment) : text.padEnd(CARD_LENGTH);
  });
}

function tooLong(key: string): FormatterError {
  return new FormatterError(
    `Cannot write FITS keyword "${key}": its card would be longer than 80 characters`,
    {
      hint: "Use a shorter HIERARCH keyword.",
    },
  );
}

function withComment(text: string, comment: string | undefined): string {
  const line = comment === undefined || comment === "" ? text : `${text} / ${comment}`;
  return line.slice(0, CARD_LENGTH).padEnd(CARD_LENGTH);
}

function checkAscii(text: string, what: string): void {
  const bad = /[^\x20-\x7e]/.exec(text);
  if (bad === null) return;
  throw new FormatterError(
    `Cannot write the ${what} in a FITS header: character ${JSON.stringify(bad[0])} at index ${bad.index} is not printable ASCII`,
    { hint: "FITS headers hold printable ASCII only (codes 32 to 126)." },
  );
}

function chunk(raw: string): string[] {
  const cards: string[] = [];
  for (let i = 0; i < raw.length; i += CARD_LENGTH) cards.push(raw.slice(i, i + CARD_LENGTH));
  return cards;
}
