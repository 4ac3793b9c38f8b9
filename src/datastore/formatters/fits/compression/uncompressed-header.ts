import type { FitsCard, FitsHeaderLookup } from "../fits-types.ts";

/** A header given as its cards in order, or as a lookup (which may also carry its `cards`). */
export type CompressedHeader = FitsHeaderLookup | readonly FitsCard[];

/** Keywords of the compressed table that describe the table or the compression, not the image. */
const DROPPED =
  /^(XTENSION|BITPIX|NAXIS\d*|PCOUNT|GCOUNT|TFIELDS|THEAP|T(TYPE|FORM|UNIT|SCAL|ZERO|NULL|DIM|DISP)\d+|CHECKSUM|DATASUM|END|Z(IMAGE|SIMPLE|TENSION|EXTEND|BLOCKED|BITPIX|NAXIS\d*|PCOUNT|GCOUNT|TILE\d+|CMPTYPE|NAME\d+|VAL\d+|MASKCMP|QUANTIZ|DITHER0|HECKSUM|DATASUM|SCALE|ZERO|BLANK))$/;

/** The lookup and, when known, the cards of a header given either way. */
export function headerParts(header: CompressedHeader): {
  lookup: FitsHeaderLookup;
  cards?: readonly FitsCard[];
} {
  if (Array.isArray(header)) {
    const cards = header as readonly FitsCard[];
    return { lookup: { get: (key) => cards.find((card) => card.key === key)?.value }, cards };
  }
  const lookup = header as FitsHeaderLookup & { cards?: unknown };
  return Array.isArray(lookup.cards) ? { lookup, cards: lookup.cards as FitsCard[] } : { lookup };
}

/**
 * The header of the image a compressed table holds: `ZSIMPLE`/`ZTENSION`, `ZBITPIX`, `ZNAXISn`,
 * `ZPCOUNT`, `ZGCOUNT`, `ZEXTEND`, `ZBLOCKED` back under their own names, `ZBLANK` of an integer image as
 * `BLANK`, the table and compression keywords removed, and the checksums (`ZHECKSUM`, `ZDATASUM`, and the
 * table's own) dropped because they no longer match, and the default `EXTNAME = 'COMPRESSED_IMAGE'` dropped. Without `cards` only the structural cards come back.
 */
export function uncompressedHeader(lookup: FitsHeaderLookup, cards?: readonly FitsCard[]): FitsCard[] {
  const get = (key: string) => lookup.get(key);
  const primary = get("ZSIMPLE") !== undefined;
  const out: FitsCard[] = [];
  const comment = (key: string) => cards?.find((card) => card.key === key)?.comment;
  const push = (key: string, value: FitsCard["value"], from: string) => {
    const text = comment(from);
    out.push(text === undefined ? { key, value } : { key, value, comment: text });
  };
  if (primary) push("SIMPLE", true, "ZSIMPLE");
  else push("XTENSION", get("ZTENSION") ?? "IMAGE", "ZTENSION");
  push("BITPIX", get("ZBITPIX") ?? null, "ZBITPIX");
  const naxis = Number(get("ZNAXIS") ?? 0);
  push("NAXIS", naxis, "ZNAXIS");
  for (let i = 1; i <= naxis; i++) push(`NAXIS${i}`, get(`ZNAXIS${i}`) ?? null, `ZNAXIS${i}`);
  if (primary) {
    if (get("ZEXTEND") !== undefined) push("EXTEND", get("ZEXTEND") ?? null, "ZEXTEND");
    if (get("ZBLOCKED") !== undefined) push("BLOCKED", get("ZBLOCKED") ?? null, "ZBLOCKED");
  } else {
    push("PCOUNT", get("ZPCOUNT") ?? 0, "ZPCOUNT");
    push("GCOUNT", get("ZGCOUNT") ?? 1, "ZGCOUNT");
  }
  const blank = get("ZBLANK");
  if (Number(get("ZBITPIX")) > 0 && blank !== undefined && get("BLANK") === undefined)
    push("BLANK", blank, "ZBLANK");
  for (const card of cards ?? []) {
    // cfitsio and astropy name compressed HDUs COMPRESSED_IMAGE by default; that name is not the image's.
    if (card.key === "EXTNAME" && typeof card.value === "string" && card.value.trim() === "COMPRESSED_IMAGE")
      continue;
    if (!DROPPED.test(card.key)) out.push(card);
  }
  return out;
}
