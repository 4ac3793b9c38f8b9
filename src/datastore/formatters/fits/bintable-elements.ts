import type { FitsElementCode } from "./bintable-format.ts";
import type { FitsNumericArray } from "./bintable-types.ts";

/** Numeric element types: everything but logicals, bits and characters. */
export type FitsNumericCode = Exclude<FitsElementCode, "L" | "X" | "A">;

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const TWO_63 = 2n ** 63n;

/**
 * `count` big-endian elements of type `code` starting at `start`, copied into a host-order typed array
 * (complex types give two floats per element, real then imaginary).
 */
export function readElements(
  bytes: Uint8Array,
  start: number,
  code: FitsNumericCode,
  count: number,
): FitsNumericArray {
  if (code === "B") return bytes.slice(start, start + count);
  const width = code === "I" ? 2 : code === "J" || code === "E" ? 4 : code === "C" ? 4 : 8;
  const n = code === "C" || code === "M" ? 2 * count : count;
  const buffer = swappedCopy(bytes, start, width, n);
  switch (code) {
    case "I":
      return new Int16Array(buffer);
    case "J":
      return new Int32Array(buffer);
    case "K":
      return new BigInt64Array(buffer);
    case "E":
    case "C":
      return new Float32Array(buffer);
    default:
      return new Float64Array(buffer);
  }
}

/** A copy of `n` elements of `width` bytes, reordered from big-endian to host order. */
export function swappedCopy(bytes: Uint8Array, start: number, width: number, n: number): ArrayBuffer {
  const out = new Uint8Array(width * n);
  out.set(bytes.subarray(start, start + width * n));
  if (!HOST_LITTLE_ENDIAN || width === 1) return out.buffer;
  for (let i = 0; i < out.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = out[a] as number;
      out[a] = out[b] as number;
      out[b] = t;
    }
  }
  return out.buffer;
}

/**
 * Raw column values with `TSCALn`/`TZEROn` applied: the unsigned-integer conventions give the unsigned
 * (or, for bytes, signed) typed array without loss; any other scaling gives Float64Array with `TNULLn`
 * values as NaN. Complex values are left as stored.
 */
export function scaleElements(
  raw: FitsNumericArray,
  code: FitsNumericCode,
  scale: number | undefined,
  zero: number | bigint | undefined,
  nullValue: number | bigint | undefined,
): FitsNumericArray {
  const s = scale ?? 1;
  const z = zero ?? 0;
  if ((s === 1 && (z === 0 || z === 0n)) || code === "C" || code === "M") return raw;
  if (s === 1) {
    const unsigned = flipSignBit(raw, code, z);
    if (unsigned !== undefined) return unsigned;
  }
  const out = new Float64Array(raw.length);
  const offset = Number(z);
  const blank = code === "E" || code === "D" || nullValue === undefined ? undefined : Number(nullValue);
  for (let i = 0; i < raw.length; i++) {
    const v = Number(raw[i]);
    out[i] = v === blank ? Number.NaN : v * s + offset;
  }
  return out;
}

/** The unsigned (or signed-byte) view of the conventional offsets, by flipping each element's top bit. */
function flipSignBit(
  raw: FitsNumericArray,
  code: FitsNumericCode,
  zero: number | bigint,
): FitsNumericArray | undefined {
  const z =
    typeof zero === "bigint"
      ? zero
      : Number.isSafeInteger(zero)
        ? BigInt(zero)
        : zero === 2 ** 63
          ? TWO_63
          : 0n;
  const width = { B: 1, I: 2, J: 4, K: 8 }[code as "B" | "I" | "J" | "K"];
  if (width === undefined || z !== (code === "B" ? -128n : 2n ** BigInt(8 * width - 1))) return undefined;
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  const top = HOST_LITTLE_ENDIAN ? width - 1 : 0;
  for (let i = top; i < bytes.length; i += width) bytes[i] = (bytes[i] as number) ^ 0x80;
  const { buffer, byteOffset, length } = raw;
  if (code === "B") return new Int8Array(buffer, byteOffset, length);
  if (code === "I") return new Uint16Array(buffer, byteOffset, length);
  if (code === "J") return new Uint32Array(buffer, byteOffset, length);
  return new BigUint64Array(buffer, byteOffset, length);
}
