import { CARD_LENGTH, type CardImage, formatCard, type HeaderCard, parseCardImage } from "./fits-card.ts";
import { fitsError } from "./fits-error.ts";
import type { FitsCard, FitsHeaderLookup, FitsLocation, FitsValue } from "./fits-types.ts";

/** Size of a FITS block: headers and data are padded to a multiple of it. */
export const BLOCK_SIZE = 2880;

const END_CARD = "END".padEnd(CARD_LENGTH);
const latin1 = new TextDecoder("latin1");

/**
 * A FITS header: its cards in order, `CONTINUE` long strings joined, `HIERARCH` keywords without the
 * prefix. Frozen; `with` and `without` return new headers. Cards read from a file keep their text, so an
 * unmodified header is written back byte-identical.
 */
export class FitsHeader implements FitsHeaderLookup {
  readonly cards: readonly HeaderCard[];

  constructor(cards: readonly HeaderCard[] = []) {
    this.cards = Object.freeze(cards.map((card) => Object.freeze({ ...card })));
    Object.freeze(this);
  }

  /**
   * The header in `bytes`, which must hold its END card; with the length of the header blocks.
   * @param where The file, and the byte offset of `bytes` in it, for errors.
   * @throws {FormatterError} for non-ASCII bytes, a missing END card or an unreadable card.
   */
  static parse(bytes: Uint8Array, where: FitsLocation = {}): { header: FitsHeader; length: number } {
    const base = where.offset ?? 0;
    const end = findEndCard(bytes, where);
    if (end < 0) {
      throw fitsError("FITS header has no END card", { ...fileOf(where), offset: base + bytes.length });
    }
    const images: { image: CardImage; raw: string }[] = [];
    for (let at = 0; at < end; at += CARD_LENGTH) {
      const raw = latin1.decode(bytes.subarray(at, at + CARD_LENGTH));
      images.push({ image: parseCardImage(raw, { ...fileOf(where), offset: base + at }), raw });
    }
    const length = Math.ceil((end + CARD_LENGTH) / BLOCK_SIZE) * BLOCK_SIZE;
    return { header: new FitsHeader(joinContinued(images)), length };
  }

  /** The value of the first card with this keyword (any case), or undefined. */
  get(key: string): FitsValue | undefined {
    return this.card(key)?.value;
  }

  /** The first card with this keyword (any case), or undefined. */
  card(key: string): HeaderCard | undefined {
    const wanted = key.toUpperCase();
    return this.cards.find((card) => card.key === wanted);
  }

  /** Whether a card with this keyword (any case) is present. */
  has(key: string): boolean {
    return this.card(key) !== undefined;
  }

  /**
   * The header with the first card of `card.key` replaced by `card` (keeping its comment if none is given,
   * and a real stays a real), or `card` appended.
   */
  with(card: HeaderCard): FitsHeader {
    const key = card.key.toUpperCase();
    const index = this.cards.findIndex((c) => c.key === key);
    const old = index < 0 ? undefined : this.cards[index];
    const comment = card.comment ?? old?.comment;
    const real = card.real ?? (old?.real === true && typeof card.value === "number");
    const { raw: _raw, ...fresh } = {
      ...card,
      key,
      ...(comment === undefined ? {} : { comment }),
      ...(real ? { real } : {}),
    };
    const cards = [...this.cards];
    if (index < 0) cards.push(fresh);
    else cards[index] = fresh;
    return new FitsHeader(cards);
  }

  /** The header without any card of these keywords (any case). */
  without(...keys: readonly string[]): FitsHeader {
    const drop = new Set(keys.map((key) => key.toUpperCase()));
    return new FitsHeader(this.cards.filter((card) => !drop.has(card.key)));
  }

  /** The header followed by `cards`. */
  concat(cards: readonly HeaderCard[]): FitsHeader {
    return new FitsHeader([...this.cards, ...cards]);
  }

  /** Its cards without the text they were read from. */
  toCards(): FitsCard[] {
    return this.cards.map(({ key, value, comment }) => ({
      key,
      ...(value === undefined ? {} : { value }),
      ...(comment === undefined ? {} : { comment }),
    }));
  }

  /**
   * The header's bytes: its cards, END, padded with spaces to whole blocks.
   * @throws {FormatterError} for a card FITS cannot hold.
   */
  toBytes(): Uint8Array {
    const text = [...this.cards.flatMap(formatCard), END_CARD].join("");
    const bytes = new Uint8Array(Math.ceil(text.length / BLOCK_SIZE) * BLOCK_SIZE).fill(0x20);
    for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
    return bytes;
  }
}

/**
 * Byte index of the END card in `bytes` (read 80 bytes at a time), or -1 when there is none yet.
 * @throws {FormatterError} for a byte before it that is not printable ASCII.
 */
export function findEndCard(bytes: Uint8Array, where: FitsLocation = {}): number {
  for (let at = 0; at + CARD_LENGTH <= bytes.length; at += CARD_LENGTH) {
    if (isEndCard(bytes, at)) return at;
    for (let i = at; i < at + CARD_LENGTH; i += 1) {
      const byte = bytes[i] as number;
      if (byte < 0x20 || byte > 0x7e) {
        if (i > 0 && i % BLOCK_SIZE === 0) {
          throw fitsError("FITS header has no END card before binary data", {
            ...fileOf(where),
            offset: (where.offset ?? 0) + i,
          });
        }
        throw fitsError(
          `FITS header holds byte 0x${byte.toString(16).padStart(2, "0")}, which is not printable ASCII`,
          { ...fileOf(where), offset: (where.offset ?? 0) + i },
        );
      }
    }
  }
  return -1;
}

function isEndCard(bytes: Uint8Array, at: number): boolean {
  if (bytes[at] !== 0x45 || bytes[at + 1] !== 0x4e || bytes[at + 2] !== 0x44) return false;
  for (let i = at + 3; i < at + 8; i += 1) if (bytes[i] !== 0x20) return false;
  return true;
}

function fileOf(where: FitsLocation): { file?: string } {
  return where.file === undefined ? {} : { file: where.file };
}

/** Cards from card images, each string ending in `&` joined with the `CONTINUE` cards that follow it. */
function joinContinued(images: readonly { image: CardImage; raw: string }[]): HeaderCard[] {
  const cards: HeaderCard[] = [];
  for (let i = 0; i < images.length; i += 1) {
    const { image, raw } = images[i] as { image: CardImage; raw: string };
    if (image.key === "CONTINUE" && typeof image.continued === "string") {
      cards.push({ key: "CONTINUE", comment: raw.slice(8).trimEnd(), raw });
      continue;
    }
    let value = image.value;
    let text = raw;
    const comments = image.comment === undefined ? [] : [image.comment];
    while (typeof value === "string" && value.endsWith("&") && images[i + 1]?.image.key === "CONTINUE") {
      const next = images[i + 1] as { image: CardImage; raw: string };
      value = value.slice(0, -1) + (next.image.continued ?? "");
      if (next.image.comment !== undefined && next.image.comment !== "") comments.push(next.image.comment);
      text += next.raw;
      i += 1;
    }
    const comment = comments.filter((c) => c !== "").join(" ");
    cards.push({
      key: image.key,
      ...(value === undefined ? {} : { value }),
      ...(image.value === undefined ? { comment: image.comment ?? "" } : comment === "" ? {} : { comment }),
      ...(image.real === true ? { real: true } : {}),
      raw: text,
    });
  }
  return cards;
}
