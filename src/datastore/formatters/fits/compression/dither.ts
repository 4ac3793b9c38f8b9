/** How a tile of a floating-point image was quantized to integers (`ZQUANTIZ`), and its per-tile values. */
export interface TileQuantization {
  readonly method: "NO_DITHER" | "SUBTRACTIVE_DITHER_1" | "SUBTRACTIVE_DITHER_2";
  readonly scale: number;
  readonly zero: number;
  /** The integer that stands for an undefined (NaN) pixel, `ZBLANK`. */
  readonly blank: number | undefined;
  /** 1-based tile number plus `ZDITHER0 - 1`: where the tile starts in the random sequence. */
  readonly seed: number;
}

const N_RANDOM = 10000;
/** SUBTRACTIVE_DITHER_2 stores exact zeros as this integer so they come back as 0.0. */
const ZERO_VALUE = -2147483646;
let randoms: Float32Array | undefined;

/**
 * The FITS standard's 10000 uniform randoms (Park & Miller, a = 16807, m = 2^31 - 1, seed 1), rounded to
 * float32 as cfitsio stores them; every reader must reproduce them bit for bit.
 */
export function ditherRandoms(): Float32Array {
  if (randoms !== undefined) return randoms;
  const values = new Float32Array(N_RANDOM);
  const a = 16807;
  const m = 2147483647;
  let seed = 1;
  for (let i = 0; i < N_RANDOM; i++) {
    const temp = a * seed;
    seed = temp - m * Math.trunc(temp / m);
    values[i] = seed / m;
  }
  // The standard's check value: the 10000th seed.
  if (seed !== 1043618065) throw new Error(`dither random sequence is wrong: last seed ${seed}`);
  randoms = values;
  return values;
}

/**
 * Restores the floats of a quantized tile: `(i - r + 0.5) * scale + zero` with `r` from the random
 * sequence for the subtractive dithers, `i * scale + zero` without; `ZBLANK` gives NaN. The sequence
 * advances for every pixel, null or not, as cfitsio's does.
 */
export function unquantize(
  ints: ArrayLike<number>,
  q: TileQuantization,
  out: Float32Array | Float64Array,
): Float32Array | Float64Array {
  const { scale, zero, blank } = q;
  if (q.method === "NO_DITHER") {
    for (let i = 0; i < ints.length; i++) {
      const v = ints[i] as number;
      out[i] = v === blank ? Number.NaN : v * scale + zero;
    }
    return out;
  }
  const r = ditherRandoms();
  const keepZero = q.method === "SUBTRACTIVE_DITHER_2";
  let iseed = (q.seed - 1) % N_RANDOM;
  let next = Math.trunc((r[iseed] as number) * 500);
  for (let i = 0; i < ints.length; i++) {
    const v = ints[i] as number;
    if (v === blank) out[i] = Number.NaN;
    else if (keepZero && v === ZERO_VALUE) out[i] = 0;
    else out[i] = (v - (r[next] as number) + 0.5) * scale + zero;
    next++;
    if (next === N_RANDOM) {
      iseed = (iseed + 1) % N_RANDOM;
      next = Math.trunc((r[iseed] as number) * 500);
    }
  }
  return out;
}
