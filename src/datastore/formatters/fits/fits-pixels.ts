import { makePixelArray, type PixelArray, type PixelType, pixelTypeOf } from "../../../images/pixel-type.ts";
import { fitsError } from "./fits-error.ts";
import type { FitsHeaderLookup, FitsLocation } from "./fits-types.ts";

/** How an image HDU stores its pixels: BITPIX and the BSCALE/BZERO/BLANK scaling. */
export interface PixelEncoding {
  readonly bitpix: 8 | 16 | 32 | 64 | -32 | -64;
  readonly bscale: number;
  readonly bzero: number | bigint;
  readonly blank?: number | bigint;
}

const BITPIX_VALUES = [8, 16, 32, 64, -32, -64] as const;

/** The raw (stored) pixel type of each BITPIX. */
const RAW_TYPES: Readonly<Record<PixelEncoding["bitpix"], PixelType>> = {
  8: "uint8",
  16: "int16",
  32: "int32",
  64: "int64",
  [-32]: "float32",
  [-64]: "float64",
};

/** Unsigned (or, for BITPIX 8, signed) types stored as the other signedness with BZERO offsetting the sign bit. */
const OFFSET_TYPES: Readonly<Record<number, { type: PixelType; bzero: bigint }>> = {
  8: { type: "int8", bzero: -128n },
  16: { type: "uint16", bzero: 32768n },
  32: { type: "uint32", bzero: 2147483648n },
  64: { type: "uint64", bzero: 9223372036854775808n },
};

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The pixel encoding a header declares.
 * @throws {FormatterError} for a BITPIX FITS does not define, or a BSCALE/BZERO that is not a number.
 */
export function pixelEncodingOf(header: FitsHeaderLookup, where: FitsLocation = {}): PixelEncoding {
  const bitpix = header.get("BITPIX");
  if (!BITPIX_VALUES.includes(bitpix as PixelEncoding["bitpix"])) {
    throw fitsError(
      `Invalid BITPIX ${formatValue(bitpix)} in FITS header`,
      where,
      "BITPIX must be one of 8, 16, 32, 64, -32, -64.",
    );
  }
  const bscale = header.get("BSCALE") ?? 1;
  const bzero = header.get("BZERO") ?? 0;
  const blank = header.get("BLANK");
  if (typeof bscale !== "number" || (typeof bzero !== "number" && typeof bzero !== "bigint")) {
    throw fitsError(
      `Invalid BSCALE ${formatValue(bscale)} or BZERO ${formatValue(bzero)} in FITS header`,
      where,
    );
  }
  return {
    bitpix: bitpix as PixelEncoding["bitpix"],
    bscale,
    bzero,
    ...(typeof blank === "number" || typeof blank === "bigint" ? { blank } : {}),
  };
}

/** The pixel type images of this encoding are read as (astropy's choice: float32 for scaled 8/16-bit data). */
export function pixelTypeOfEncoding(encoding: PixelEncoding): PixelType {
  const { bitpix, bscale, bzero } = encoding;
  if (bscale === 1 && Number(bzero) === 0) return RAW_TYPES[bitpix];
  const offset = OFFSET_TYPES[bitpix];
  if (bscale === 1 && offset !== undefined && isInteger(bzero) && BigInt(bzero) === offset.bzero) {
    return offset.type;
  }
  return bitpix === 8 || bitpix === 16 || bitpix === -32 ? "float32" : "float64";
}

/** Bytes per stored pixel. */
export function bytesPerPixel(encoding: PixelEncoding): number {
  return Math.abs(encoding.bitpix) / 8;
}

/** Physical pixel values from big-endian stored bytes (`count` pixels), BSCALE/BZERO/BLANK applied. */
export function decodePixels(bytes: Uint8Array, count: number, encoding: PixelEncoding): PixelArray {
  const size = bytesPerPixel(encoding);
  const type = pixelTypeOfEncoding(encoding);
  const copy = new Uint8Array(count * size);
  copy.set(bytes.subarray(0, count * size));
  if (type === OFFSET_TYPES[encoding.bitpix]?.type) {
    flipSignBits(copy, size);
    toNative(copy, size);
    return makePixelArray(type, count, copy.buffer);
  }
  toNative(copy, size);
  return scalePixels(makePixelArray(RAW_TYPES[encoding.bitpix], count, copy.buffer), encoding);
}

/**
 * Physical pixel values from stored ones already in a native typed array of the BITPIX's type (as
 * decompression gives them): BZERO offsets to unsigned types, other BSCALE/BZERO to floats, BLANK to NaN.
 */
export function scalePixels(raw: PixelArray, encoding: PixelEncoding): PixelArray {
  const type = pixelTypeOfEncoding(encoding);
  if (type === RAW_TYPES[encoding.bitpix]) return raw;
  const count = raw.length;
  const offset = OFFSET_TYPES[encoding.bitpix];
  if (type === offset?.type) {
    if (raw instanceof BigInt64Array) return BigUint64Array.from(raw, (v) => v + offset.bzero);
    const out = makePixelArray(type, count) as Exclude<PixelArray, BigInt64Array | BigUint64Array>;
    const zero = Number(offset.bzero);
    for (let i = 0; i < count; i += 1) out[i] = Number(raw[i]) + zero;
    return out;
  }
  const out = makePixelArray(type, count) as Float32Array | Float64Array;
  const scale = encoding.bscale;
  const zero = Number(encoding.bzero);
  const blank = encoding.blank === undefined || encoding.bitpix < 0 ? undefined : Number(encoding.blank);
  for (let i = 0; i < count; i += 1) {
    const value = Number(raw[i]);
    out[i] = value === blank ? Number.NaN : value * scale + zero;
  }
  return out;
}

/** The encoding a pixel array is written with, and its big-endian bytes. */
export function encodePixels(array: PixelArray): { encoding: PixelEncoding; bytes: Uint8Array } {
  const type = pixelTypeOf(array) as PixelType;
  const rawEntry = Object.entries(RAW_TYPES).find(([, raw]) => raw === type);
  const offsetEntry = Object.entries(OFFSET_TYPES).find(([, offset]) => offset.type === type);
  const bitpix = Number(rawEntry?.[0] ?? offsetEntry?.[0]) as PixelEncoding["bitpix"];
  const size = Math.abs(bitpix) / 8;
  const bytes = new Uint8Array(array.length * size);
  bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.length * size));
  toNative(bytes, size);
  if (offsetEntry === undefined) return { encoding: { bitpix, bscale: 1, bzero: 0 }, bytes };
  flipSignBits(bytes, size);
  const bzero = offsetEntry[1].bzero;
  const safe = bzero >= -(2n ** 53n) && bzero <= 2n ** 53n;
  return { encoding: { bitpix, bscale: 1, bzero: safe ? Number(bzero) : bzero }, bytes };
}

/** Swap big-endian elements of `size` bytes to the host's order, in place (its own inverse). */
function toNative(bytes: Uint8Array, size: number): void {
  if (size === 1 || !LITTLE_ENDIAN) return;
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a += 1, b -= 1) {
      const t = bytes[a] as number;
      bytes[a] = bytes[b] as number;
      bytes[b] = t;
    }
  }
}

/** Flip the top bit of each big-endian element: adds or removes the 2^(n-1) BZERO offset. */
function flipSignBits(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) bytes[i] = (bytes[i] as number) ^ 0x80;
}

function isInteger(value: number | bigint): boolean {
  return typeof value === "bigint" || Number.isInteger(value);
}

function formatValue(value: unknown): string {
  return typeof value === "string" ? `'${value}'` : String(value);
}
