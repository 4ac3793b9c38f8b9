/** The pixel values a Rice stream decodes to, by bytes per pixel. */
export type RicePixels = Uint8Array | Int16Array | Int32Array;

/** Bits of the per-block `fs` code, and the code value that flags raw (uncompressed) differences. */
const FS_BITS = { 1: 3, 2: 4, 4: 5 } as const;
const FS_MAX = { 1: 6, 2: 14, 4: 25 } as const;

/**
 * Decodes a RICE_1 stream (the FITS tiled-image convention): the first pixel raw and big-endian, then
 * blocks of `blockSize` pixel differences, each block led by its `fs` code. Every loop is bounded by
 * `count` pixels and the input length, so a corrupt stream fails instead of hanging.
 * @throws the error `fail(reason)` makes when the stream ends early or holds an impossible code.
 */
export function riceDecode(
  input: Uint8Array,
  count: number,
  blockSize: number,
  bytePix: 1 | 2 | 4,
  fail: (reason: string) => Error,
): RicePixels {
  const out =
    bytePix === 1 ? new Uint8Array(count) : bytePix === 2 ? new Int16Array(count) : new Int32Array(count);
  if (count === 0) return out;
  const fsBits = FS_BITS[bytePix];
  const fsMax = FS_MAX[bytePix];
  const bBits = 8 * bytePix;
  if (input.length < bytePix) throw fail(`the ${input.length}-byte stream is shorter than its first pixel`);
  let p = 0;
  let lastPix = 0;
  for (; p < bytePix; p++) lastPix = lastPix * 256 + (input[p] as number);
  const next = (): number => {
    if (p >= input.length) throw fail(`the ${input.length}-byte stream ends early`);
    return input[p++] as number;
  };
  // Storing into `out` wraps sums to the pixel width, as the C decoder's unsigned arithmetic does.
  let b = next();
  let nBits = 8;
  for (let i = 0; i < count; ) {
    nBits -= fsBits;
    while (nBits < 0) {
      b = (b << 8) | next();
      nBits += 8;
    }
    const fs = (b >>> nBits) - 1;
    b &= (1 << nBits) - 1;
    const end = Math.min(i + blockSize, count);
    if (fs < 0) {
      // Low entropy: every difference in the block is zero.
      for (; i < end; i++) out[i] = lastPix;
    } else if (fs === fsMax) {
      // High entropy: the differences are stored raw, bBits each.
      for (; i < end; i++) {
        let k = bBits - nBits;
        let diff = nBits === 0 ? 0 : (b << k) >>> 0;
        for (k -= 8; k >= 0; k -= 8) diff = (diff | (next() << k)) >>> 0;
        if (nBits > 0) {
          b = next();
          diff = (diff | (b >>> -k)) >>> 0;
          b &= (1 << nBits) - 1;
        } else {
          b = 0;
        }
        out[i] = unmap(diff, lastPix);
        lastPix = out[i] as number;
      }
    } else if (fs > fsMax) {
      throw fail(`block code ${fs} is above the maximum ${fsMax} at pixel ${i}`);
    } else {
      for (; i < end; i++) {
        // Count the zero bits before the next one: the high part of the difference, in unary.
        while (b === 0) {
          nBits += 8;
          b = next();
        }
        const nZero = nBits - (32 - Math.clz32(b));
        nBits -= nZero + 1;
        b ^= 1 << nBits;
        nBits -= fs;
        while (nBits < 0) {
          // Up to 32 bits are in flight here, as in the C decoder's unsigned int.
          b = ((b << 8) | next()) >>> 0;
          nBits += 8;
        }
        const diff = (nZero * 2 ** fs + (b >>> nBits)) >>> 0;
        b &= (1 << nBits) - 1;
        out[i] = unmap(diff, lastPix);
        lastPix = out[i] as number;
      }
    }
  }
  return out;
}

/** Undoes the zig-zag mapping of a difference (even → positive, odd → negative) and adds it. */
function unmap(diff: number, lastPix: number): number {
  const delta = (diff & 1) === 0 ? diff >>> 1 : ~(diff >>> 1);
  return (delta + lastPix) | 0;
}
