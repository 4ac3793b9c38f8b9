/** A half-open range `[begin, end)` of pixel indices. */
export type PixelRange = readonly [begin: number, end: number];

/** Every pixel index in the ranges, in order. */
export function pixelsIn(ranges: readonly PixelRange[]): number[] {
  const pixels: number[] = [];
  for (const [begin, end] of ranges) for (let index = begin; index < end; index++) pixels.push(index);
  return pixels;
}

/**
 * Collects pixel ranges and hands them back sorted and merged (touching or overlapping ranges become one).
 * Ranges must be added in increasing order of `begin`, as a depth-first pixel walk produces them.
 */
export class PixelRangeBuilder {
  readonly #ranges: [number, number][] = [];

  /** Adds `[begin, end)`. */
  add(begin: number, end: number): void {
    const last = this.#ranges[this.#ranges.length - 1];
    if (last !== undefined && begin <= last[1]) last[1] = Math.max(last[1], end);
    else this.#ranges.push([begin, end]);
  }

  /**
   * The ranges, at most `maxRanges` of them when that is positive: an envelope (`grow`) closes its
   * smallest gaps, so it still covers everything; an interior drops its smallest ranges, so it stays inside.
   */
  build(maxRanges: number, grow: boolean): readonly PixelRange[] {
    let ranges = this.#ranges.map(([b, e]) => [b, e] as [number, number]);
    if (maxRanges > 0 && ranges.length > maxRanges)
      ranges = grow ? closeGaps(ranges, maxRanges) : keepLargest(ranges, maxRanges);
    return Object.freeze(ranges.map((r) => Object.freeze(r) as PixelRange));
  }
}

function closeGaps(ranges: [number, number][], maxRanges: number): [number, number][] {
  const gaps = ranges
    .slice(1)
    .map((r, i) => ({ i, size: r[0] - (ranges[i] as [number, number])[1] }))
    .sort((x, y) => x.size - y.size || x.i - y.i);
  const closed = new Set(gaps.slice(0, ranges.length - maxRanges).map((g) => g.i));
  const out: [number, number][] = [];
  ranges.forEach((r, i) => {
    const last = out[out.length - 1];
    if (last !== undefined && closed.has(i - 1)) last[1] = r[1];
    else out.push([r[0], r[1]]);
  });
  return out;
}

function keepLargest(ranges: [number, number][], maxRanges: number): [number, number][] {
  const kept = new Set(
    ranges
      .map((r, i) => ({ i, size: r[1] - r[0] }))
      .sort((x, y) => y.size - x.size || x.i - y.i)
      .slice(0, maxRanges)
      .map((x) => x.i),
  );
  return ranges.filter((_, i) => kept.has(i));
}
