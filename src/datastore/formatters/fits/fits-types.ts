/**
 * A FITS header value: a string, an integer (`bigint` beyond 2^53), a real, a logical, or null for a
 * keyword written without a value.
 */
export type FitsValue = string | number | bigint | boolean | null;

/** One header card as read or to be written: keyword, value (absent for commentary cards) and comment. */
export interface FitsCard {
  /** Keyword, upper case; `HIERARCH` keywords without the `HIERARCH ` prefix; `COMMENT`, `HISTORY`, `` for blank. */
  readonly key: string;
  readonly value?: FitsValue;
  readonly comment?: string;
}

/** Read access to a parsed header, which is all the table and compression codecs need of it. */
export interface FitsHeaderLookup {
  /** The value of the first card with this keyword, or undefined when there is none. */
  get(key: string): FitsValue | undefined;
}

/** Where a codec is reading, for errors: the file and the byte offset of the data it was given. */
export interface FitsLocation {
  readonly file?: string;
  /** Byte offset in the file of the first byte handed to the codec. */
  readonly offset?: number;
}
