import {
  makeNumericArray,
  type NumericArray,
  type NumericType,
  numericTypeOf,
} from "../../../arrays/numeric-array.ts";
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
const RAW_TYPES: Readonly<Record<PixelEncoding["bitpix"], NumericType>> = {
  8: "uint8",
  16: "int16",
  32: "int32",
  64: "int64",
  [-32]: "float32",
  [-64]: "float64",
};

/** Unsigned (or, for BITPIX 8, signed) types stored as the other signedness with BZERO offsetting the sign bit. */
const OFFSET_TYPES: Readonly<Record<number, { type: NumericType; bzero: bigint }>> = {
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
export function pixelTypeOfEncoding(encoding: PixelEncoding): NumericType {
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

/**
 * Physical pixel values from big-endian stored bytes (`count` pixels), BSCALE/BZERO/BLANK applied. The
 * bytes must be the caller's own: when they are aligned for the pixel type they are swapped in place and
 * become the pixels' storage (no copy of a large image).
 */
export function decodePixels(bytes: Uint8Array, count: number, encoding: PixelEncoding): NumericArray {
  const size = bytesPerPixel(encoding);
  const type = pixelTypeOfEncoding(encoding);
  let stored = bytes.subarray(0, count * size);
  if (stored.byteOffset % size !== 0) stored = stored.slice();
  if (type === OFFSET_TYPES[encoding.bitpix]?.type) {
    flipSignBits(stored, size);
    toNative(stored, size);
    return makeNumericArray(type, count, stored.buffer, stored.byteOffset);
  }
  toNative(stored, size);
  return scalePixels(
    makeNumericArray(RAW_TYPES[encoding.bitpix], count, stored.buffer, stored.byteOffset),
    encoding,
  );
}

/**
 * Physical pixel values from stored ones already in a native typed array of the BITPIX's type (as
 * decompression gives them): BZERO offsets to unsigned types, other BSCALE/BZERO to floats, BLANK to NaN.
 */
export function scalePixels(raw: NumericArray, encoding: PixelEncoding): NumericArray {
  const type = pixelTypeOfEncoding(encoding);
  if (type === RAW_TYPES[encoding.bitpix]) return raw;
  const count = raw.length;
  const offset = OFFSET_TYPES[encoding.bitpix];
  if (type === offset?.type) {
    if (raw instanceof BigInt64Array) return BigUint64Array.from(raw, (v) => v + offset.bzero);
    const out = makeNumericArray(type, count) as Exclude<NumericArray, BigInt64Array | BigUint64Array>;
    const zero = Number(offset.bzero);
    for (let i = 0; i < count; i += 1) out[i] = Number(raw[i]) + zero;
    return out;
  }
  const out = makeNumericArray(type, count) as Float32Array | Float64Array;
  const scale = encoding.bscale;
  const zero = Number(encoding.bzero);
  const blank = encoding.blank === undefined || encoding.bitpix < 0 ? undefined : Number(encoding.blank);
  for (let i = 0; i < count; i += 1) {
    const value = Number(raw[i]);
    out[i] = value === blank ? Number.NaN : value * scale + zero;
  }
  return out;
}

/** The encoding a pixel array is written with: its BITPIX, and BZERO for the unsigned conventions. */
export function encodingForPixels(array: NumericArray): PixelEncoding {
  const type = numericTypeOf(array) as NumericType;
  const rawEntry = Object.entries(RAW_TYPES).find(([, raw]) => raw === type);
  const offsetEntry = Object.entries(OFFSET_TYPES).find(([, offset]) => offset.type === type);
  const bitpix = Number(rawEntry?.[0] ?? offsetEntry?.[0]) as PixelEncoding["bitpix"];
  if (offsetEntry === undefined) return { bitpix, bscale: 1, bzero: 0 };
  const bzero = offsetEntry[1].bzero;
  const safe = bzero >= -(2n ** 53n) && bzero <= 2n ** 53n;
  return { bitpix, bscale: 1, bzero: safe ? Number(bzero) : bzero };
}

/**
 * Write a pixel array's stored (big-endian, BZERO-offset) bytes into `target`, which must hold
 * `array.length` pixels of its encoding: one copy, then swapped in place.
 */
export function writeStoredPixels(array: NumericArray, target: Uint8Array): void {
  const encoding = encodingForPixels(array);
  const size = bytesPerPixel(encoding);
  target.set(new Uint8Array(array.buffer, array.byteOffset, array.length * size));
  const stored = target.subarray(0, array.length * size);
  toNative(stored, size);
  if (Number(encoding.bzero) !== 0) flipSignBits(stored, size);
}

/** Node's Buffer, whose native `swap16/32/64` byte-swap far faster than a JavaScript loop; absent in browsers. */
const NATIVE_BUFFER = (globalThis as { Buffer?: typeof Buffer }).Buffer;

/** Swap big-endian elements of `size` bytes to the host's order, in place (its own inverse). */
function toNative(bytes: Uint8Array, size: number): void {
  if (size === 1 || !LITTLE_ENDIAN || bytes.length === 0) return;
  if (NATIVE_BUFFER !== undefined && bytes.length % size === 0) {
    const view = NATIVE_BUFFER.from(bytes.buffer, bytes.byteOffset, bytes.length);
    if (size === 2) view.swap16();
    else if (size === 4) view.swap32();
    else view.swap64();
    return;
  }
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
