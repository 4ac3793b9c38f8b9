import type { FitsNumericArray } from "../bintable-types.ts";

/** A box of pixels: 0-based first pixel and lengths, both in FITS axis order (NAXIS1 first). */
export interface PixelBox {
  readonly start: readonly number[];
  readonly shape: readonly number[];
}

/** The tiling of an image: its shape, the nominal tile shape and the tile count per axis. */
export interface TileGrid {
  readonly shape: readonly number[];
  readonly tile: readonly number[];
  readonly grid: readonly number[];
}

/**
 * The pixels tile `index` (0-based table row) covers: tiles run fastest along the first axis, and the
 * tiles at the far edges are cut short by the image bounds.
 */
export function tileBox(tiling: TileGrid, index: number): PixelBox {
  const start: number[] = [];
  const shape: number[] = [];
  let rest = index;
  tiling.grid.forEach((count, axis) => {
    const size = tiling.tile[axis] as number;
    const origin = (rest % count) * size;
    rest = Math.floor(rest / count);
    start.push(origin);
    shape.push(Math.min(size, (tiling.shape[axis] as number) - origin));
  });
  return { start, shape };
}

/** The 0-based table rows (tiles) that hold any pixel of `box`, in row order. */
export function tilesCovering(tiling: TileGrid, box: PixelBox): number[] {
  const ranges = tiling.grid.map((_, axis) => {
    const size = tiling.tile[axis] as number;
    const lo = box.start[axis] as number;
    const hi = lo + (box.shape[axis] as number);
    return [Math.floor(lo / size), Math.floor((hi - 1) / size)] as const;
  });
  if (ranges.some(([lo, hi]) => hi < lo)) return [];
  let rows = [0];
  let stride = 1;
  ranges.forEach(([lo, hi], axis) => {
    const next: number[] = [];
    for (let t = lo; t <= hi; t++) for (const row of rows) next.push(row + t * stride);
    rows = next;
    stride *= tiling.grid[axis] as number;
  });
  return rows.sort((a, b) => a - b);
}

/**
 * Copies the part of a decoded tile that falls inside `box` into `out`, the box's pixels (first axis
 * fastest), one contiguous run of the first axis at a time.
 */
export function placeTile(tile: FitsNumericArray, at: PixelBox, out: FitsNumericArray, box: PixelBox): void {
  const n = at.shape.length;
  const lo: number[] = [];
  const hi: number[] = [];
  for (let a = 0; a < n; a++) {
    lo.push(Math.max(at.start[a] as number, box.start[a] as number));
    hi.push(
      Math.min(
        (at.start[a] as number) + (at.shape[a] as number),
        (box.start[a] as number) + (box.shape[a] as number),
      ),
    );
    if ((hi[a] as number) <= (lo[a] as number)) return;
  }
  const coord = lo.slice();
  const run = (hi[0] as number) - (lo[0] as number);
  for (;;) {
    let src = 0;
    let dst = 0;
    for (let a = n - 1; a >= 0; a--) {
      src = src * (at.shape[a] as number) + ((coord[a] as number) - (at.start[a] as number));
      dst = dst * (box.shape[a] as number) + ((coord[a] as number) - (box.start[a] as number));
    }
    (out as Uint8Array).set((tile as Uint8Array).subarray(src, src + run), dst);
    // Advance the odometer over axes 2..n; axis 1 is the copied run.
    let a = 1;
    for (; a < n; a++) {
      coord[a] = (coord[a] as number) + 1;
      if ((coord[a] as number) < (hi[a] as number)) break;
      coord[a] = lo[a] as number;
    }
    if (a >= n) return;
  }
}
