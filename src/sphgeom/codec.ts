import { RegionError } from "../errors.ts";

/** sphgeom's type codes: the first byte of every region encoding. */
export const TYPE_CODE = Object.freeze({
  convexPolygon: 0x70, // 'p'
  circle: 0x63, // 'c'
  box: 0x62, // 'b'
  ellipse: 0x65, // 'e'
  union: 0x75, // 'u'
  intersection: 0x69, // 'i'
});

/** Writes a tag byte then little-endian float64 values, as sphgeom's `encodeDouble` does. */
export function encodeDoubles(tag: number, values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(1 + values.length * 8);
  const view = new DataView(bytes.buffer);
  bytes[0] = tag;
  for (const [index, value] of values.entries()) view.setFloat64(1 + index * 8, value, true);
  return bytes;
}

/**
 * The float64 values after the tag byte, checking the tag and the length.
 * @throws {RegionError} when the bytes are not a `name` encoding.
 */
export function decodeDoubles(bytes: Uint8Array, tag: number, name: string, count?: number): number[] {
  const n = bytes.length - 1;
  if (bytes[0] !== tag || n < 0 || n % 8 !== 0 || (count !== undefined && n / 8 !== count))
    throw new RegionError(
      `Cannot decode ${bytes.length} bytes starting ${hexStart(bytes)} as a ${name}: wrong type code or length`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values: number[] = [];
  for (let offset = 1; offset < bytes.length; offset += 8) values.push(view.getFloat64(offset, true));
  return values;
}

/** The first bytes in hex, for messages. */
export function hexStart(bytes: Uint8Array): string {
  const head = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `"${head}${bytes.length > 8 ? "…" : ""}"`;
}
