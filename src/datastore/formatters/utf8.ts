import { FormatterError } from "../../errors.ts";

const STRICT = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const ENCODER = new TextEncoder();
const BOM = 0xfeff;

/** Options of {@link decodeUtf8}. */
export interface DecodeOptions {
  /** Name of the format, for messages (`JSON`, `YAML`, `text`). */
  readonly format: string;
  /** Drop a leading byte order mark, as Python's readers of JSON and YAML do. */
  readonly stripBom: boolean;
  /** The file being read, for messages. */
  readonly file?: string | undefined;
}

/**
 * The text of UTF-8 bytes.
 * @throws {FormatterError} at the offset of the first byte that is not valid UTF-8.
 */
export function decodeUtf8(bytes: Uint8Array, options: DecodeOptions): string {
  let text: string;
  try {
    text = STRICT.decode(bytes);
  } catch (error) {
    const offset = invalidUtf8Offset(bytes);
    throw new FormatterError(
      `Cannot read ${options.format}: invalid UTF-8 at byte offset ${offset} (byte 0x${hex(bytes[offset])})`,
      {
        cause: error,
        offset,
        ...(options.file === undefined ? {} : { file: options.file }),
        hint: "The file must be encoded in UTF-8; re-save it as UTF-8.",
      },
    );
  }
  return options.stripBom && text.charCodeAt(0) === BOM ? text.slice(1) : text;
}

function hex(byte: number | undefined): string {
  return (byte ?? 0).toString(16).toUpperCase().padStart(2, "0");
}

/** UTF-8 bytes of text already checked to hold no lone surrogate. */
export function encodeUtf8(text: string): Uint8Array {
  return ENCODER.encode(text);
}

/** Number of UTF-8 bytes of `text` (for turning a character position into a byte offset). */
export function utf8Length(text: string): number {
  return ENCODER.encode(text).length;
}

/** Index of the first lone surrogate of `text` (which UTF-8 cannot encode), or -1. */
export function loneSurrogateIndex(text: string): number {
  const match = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text);
  return match === null ? -1 : match.index;
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (overlong, surrogate, truncated, stray). */
function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length =
      lead >= 0xc2 && lead <= 0xdf
        ? 2
        : lead >= 0xe0 && lead <= 0xef
          ? 3
          : lead >= 0xf0 && lead <= 0xf4
            ? 4
            : 0;
    if (length === 0 || i + length > bytes.length) return i;
    let codePoint = lead & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k] as number;
      if ((next & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    const tooShort = codePoint < (length === 2 ? 0x80 : length === 3 ? 0x800 : 0x10000);
    if (tooShort || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return i;
    i += length;
  }
  return -1;
}
