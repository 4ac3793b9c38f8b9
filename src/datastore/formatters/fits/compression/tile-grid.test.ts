import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../../../../test/support/property.ts";
import { type PixelBox, placeTile, tileBox, tilesCovering } from "./tile-grid.ts";

const tiling = (shape: number[], tile: number[]) => ({
  shape,
  tile,
  grid: shape.map((n, a) => Math.ceil(n / (tile[a] as number))),
});

const overlaps = (a: PixelBox, b: PixelBox) =>
  a.start.every((s, i) => {
    const lo = Math.max(s, b.start[i] as number);
    const hi = Math.min(s + (a.shape[i] as number), (b.start[i] as number) + (b.shape[i] as number));
    return lo < hi;
  });

/** An image shape, a tile shape and a non-empty box inside the image. */
const arbitraryCase = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 })), {
    minLength: 1,
    maxLength: 3,
  })
  .chain((axes) =>
    fc
      .tuple(
        ...axes.map(([n]) =>
          fc
            .integer({ min: 0, max: n - 1 })
            .chain((s) => fc.tuple(fc.constant(s), fc.integer({ min: 1, max: n - s }))),
        ),
      )
      .map((box) => ({
        shape: axes.map(([n]) => n),
        tile: axes.map(([, t]) => t),
        box: { start: box.map(([s]) => s), shape: box.map(([, l]) => l) },
      })),
  );

describe("tile geometry", () => {
  it("tileBox() cuts edge tiles at the image bounds, first axis fastest", () => {
    const t = tiling([10, 7], [4, 3]);
    expect(tileBox(t, 0)).toEqual({ start: [0, 0], shape: [4, 3] });
    expect(tileBox(t, 2)).toEqual({ start: [8, 0], shape: [2, 3] });
    expect(tileBox(t, 8)).toEqual({ start: [8, 6], shape: [2, 1] });
  });

  it("tilesCovering() lists exactly the tiles that overlap the box", () => {
    fc.assert(
      fc.property(arbitraryCase, ({ shape, tile, box }) => {
        const t = tiling(shape, tile);
        const tiles = t.grid.reduce((a, b) => a * b, 1);
        const expected = Array.from({ length: tiles }, (_, row) => row).filter((row) =>
          overlaps(tileBox(t, row), box),
        );
        expect(tilesCovering(t, box)).toEqual(expected);
      }),
      PROPERTY_OPTIONS,
    );
  });

  it("placeTile() of every tile rebuilds any box of an image", () => {
    fc.assert(
      fc.property(arbitraryCase, ({ shape, tile, box }) => {
        const t = tiling(shape, tile);
        const size = shape.reduce((a, b) => a * b, 1);
        const index = (coord: number[], dims: readonly number[]) =>
          coord.reduceRight((acc, c, a) => acc * (dims[a] as number) + c, 0);
        const out = new Int32Array(box.shape.reduce((a, b) => a * b, 1));
        for (const row of tilesCovering(t, box)) {
          const at = tileBox(t, row);
          const pixels = new Int32Array(at.shape.reduce((a, b) => a * b, 1));
          pixels.forEach((_, k) => {
            let rest = k;
            const coord = at.shape.map((n, a) => {
              const c = rest % n;
              rest = Math.floor(rest / n);
              return c + (at.start[a] as number);
            });
            pixels[k] = index(coord, shape);
          });
          placeTile(pixels, at, out, box);
        }
        const expected = Array.from(out, (_, k) => {
          let rest = k;
          const coord = box.shape.map((n, a) => {
            const c = rest % n;
            rest = Math.floor(rest / n);
            return c + (box.start[a] as number);
          });
          return index(coord, shape);
        });
        expect(Array.from(out)).toEqual(expected);
        expect(size).toBeGreaterThan(0);
      }),
      PROPERTY_OPTIONS,
    );
  });
});
