import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { thrown } from "../../test/support/caught.ts";
import { PROPERTY_OPTIONS } from "../../test/support/property.ts";
import { RegionError } from "../errors.ts";
import { seededRandom } from "../util/seeded-random.ts";
import { Angle } from "./angle.ts";
import { Box } from "./box.ts";
import { Circle } from "./circle.ts";
import { CompoundRegion } from "./compound-region.ts";
import { convexHull } from "./convex-hull.ts";
import { ConvexPolygon } from "./convex-polygon.ts";
import { HtmPixelization } from "./htm-pixelization.ts";
import { LonLat } from "./lon-lat.ts";
import type { PixelRange } from "./pixel-ranges.ts";
import type { Region } from "./region.ts";
import { UnitVector3d } from "./unit-vector-3d.ts";

const sky = fc
  .tuple(fc.double({ min: 0, max: 360, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }))
  .map(([lon, z]) => LonLat.fromDegrees(lon, (Math.asin(z) * 180) / Math.PI).toVector());

function inRanges(ranges: readonly PixelRange[], index: number): boolean {
  return ranges.some(([begin, end]) => begin <= index && index < end);
}

/** Random points inside `region`, drawn from its bounding circle. */
function pointsIn(region: Region, count: number, seed: number): UnitVector3d[] {
  const random = seededRandom(seed);
  const circle = region.boundingCircle();
  const c = LonLat.fromVector(circle.center);
  const points: UnitVector3d[] = [];
  for (let tries = 0; points.length < count && tries < count * 50; tries++) {
    const r = circle.openingAngle * Math.sqrt(random());
    const az = 2 * Math.PI * random();
    const lat0 = c.lat.radians;
    const lat = Math.asin(Math.sin(lat0) * Math.cos(r) + Math.cos(lat0) * Math.sin(r) * Math.cos(az));
    const lon =
      c.lon.radians +
      Math.atan2(Math.sin(az) * Math.sin(r) * Math.cos(lat0), Math.cos(r) - Math.sin(lat0) * Math.sin(lat));
    const v = LonLat.fromRadians(lon, lat).toVector();
    if (region.contains(v)) points.push(v);
  }
  return points;
}

describe("HtmPixelization", () => {
  it("index() numbers the root triangles S0..S3, N0..N3 as 8..15", () => {
    const htm0 = HtmPixelization.of(0);
    const at = (x: number, y: number, z: number) => htm0.index(UnitVector3d.of(x, y, z));
    expect([at(1, 1, -1), at(-1, 1, -1), at(-1, -1, -1), at(1, -1, -1)]).toEqual([8, 9, 10, 11]);
    expect([at(1, -1, 1), at(-1, -1, 1), at(-1, 1, 1), at(1, 1, 1)]).toEqual([12, 13, 14, 15]);
  });

  it("index() at level l+1 is a child (×4 + k) of the index at level l, and its trixel contains the point", () => {
    fc.assert(
      fc.property(sky, fc.integer({ min: 0, max: 23 }), (v, level) => {
        const parent = HtmPixelization.of(level).index(v);
        const child = HtmPixelization.of(level + 1).index(v);
        expect(Math.floor(child / 4)).toBe(parent);
        expect(HtmPixelization.levelOf(child)).toBe(level + 1);
        const trixel = HtmPixelization.triangle(child);
        expect(trixel.contains(v) || trixel.boundingCircle().contains(v)).toBe(true);
      }),
      PROPERTY_OPTIONS,
    );
  });

  it("matches the values of sphgeom's own HTM tests", () => {
    expect(HtmPixelization.of(1).index(UnitVector3d.of(1, 1, 1))).toBe(63);
    const htm3 = HtmPixelization.of(3);
    const c = Circle.of(UnitVector3d.of(1, 1, 1), Angle.fromDegrees(0.1));
    expect(htm3.envelope(c)).toEqual([[0x3ff, 0x400]]);
    expect(htm3.envelope(c, 1)).toEqual([[0x3ff, 0x400]]);
    expect(htm3.interior(c)).toEqual([]);
    const c2 = Circle.of(UnitVector3d.of(1, -1, 1), Angle.fromRadians(1e-8));
    expect(htm3.envelope(c2)).toEqual([[831, 832]]);
    expect(htm3.envelope(CompoundRegion.union([c, c2]))).toEqual([
      [831, 832],
      [0x3ff, 0x400],
    ]);
    const c4 = Circle.of(UnitVector3d.of(1, 1, 2), Angle.fromRadians(1));
    const c5 = Circle.of(UnitVector3d.of(1, 1, 2.5), Angle.fromRadians(0.5));
    const both = htm3.envelope(CompoundRegion.intersection([c4, c5]));
    const expanded = (ranges: readonly PixelRange[]) =>
      new Set(ranges.flatMap(([b, e]) => Array.from({ length: e - b }, (_, i) => b + i)));
    const in4 = expanded(htm3.envelope(c4));
    expect([...expanded(both)]).toEqual([...expanded(htm3.envelope(c5))].filter((i) => in4.has(i)));
    expect([8, 15, 33, 62].map((i) => HtmPixelization.asString(i))).toEqual(["S0", "N3", "S01", "N32"]);
  });

  it("level 24 indices stay exact integers below 2^53", () => {
    const i = HtmPixelization.of(24).index(LonLat.fromDegrees(359.9999999, 89.9999999).toVector());
    expect(Number.isSafeInteger(i)).toBe(true);
    expect(HtmPixelization.levelOf(i)).toBe(24);
    expect(HtmPixelization.triangle(i).vertices).toHaveLength(3);
  });

  it("envelope() holds the trixel of every point inside the region; interior() trixels lie inside it", () => {
    const regions: Region[] = [
      Circle.of(LonLat.fromDegrees(150.1, 2.2), Angle.fromDegrees(1)),
      Circle.of(LonLat.fromDegrees(0.2, 89.5), Angle.fromDegrees(2)),
      Box.fromDegrees(358, 3, -4, -1),
      ConvexPolygon.of([
        LonLat.fromDegrees(359, -1),
        LonLat.fromDegrees(2, -1),
        LonLat.fromDegrees(2.5, 1.5),
        LonLat.fromDegrees(359.5, 2),
      ]),
    ];
    regions.forEach((region, n) => {
      const htm = HtmPixelization.of(7);
      const envelope = htm.envelope(region);
      for (const v of pointsIn(region, 2000, n))
        expect(inRanges(envelope, htm.index(v)), `region ${n}`).toBe(true);
      const interior = htm.interior(region);
      expect(interior.length).toBeGreaterThan(0);
      for (const [begin, end] of interior)
        for (let i = begin; i < end; i++) {
          expect(inRanges(envelope, i)).toBe(true);
          for (const vertex of HtmPixelization.triangle(i).vertices)
            expect(region.contains(vertex)).toBe(true);
        }
      const sorted = envelope.every(
        ([b, e], i) => b < e && (i === 0 || b > (envelope[i - 1] as PixelRange)[1]),
      );
      expect(sorted).toBe(true);
    });
  });

  it("envelope() covers random circles and polygons anywhere on the sky, at random levels", () => {
    const cases = fc.tuple(
      sky,
      fc.double({ min: 0.01, max: 20, noNaN: true }),
      fc.integer({ min: 0, max: 8 }),
      fc.boolean(),
      fc.integer({ min: 0, max: 1000 }),
    );
    fc.assert(
      fc.property(cases, ([center, radius, level, polygon, seed]) => {
        const c = LonLat.fromVector(center);
        const circle = Circle.of(center, Angle.fromDegrees(radius));
        // A triangle inscribed in the circle, when asked for a polygon.
        const region: Region = polygon
          ? convexHull(
              [0, 120, 240].map((az) => {
                const r = ((radius * Math.PI) / 180) * 0.9;
                const a = (az * Math.PI) / 180;
                const lat0 = c.lat.radians;
                const lat = Math.asin(
                  Math.sin(lat0) * Math.cos(r) + Math.cos(lat0) * Math.sin(r) * Math.cos(a),
                );
                const lon =
                  c.lon.radians +
                  Math.atan2(
                    Math.sin(a) * Math.sin(r) * Math.cos(lat0),
                    Math.cos(r) - Math.sin(lat0) * Math.sin(lat),
                  );
                return LonLat.fromRadians(lon, lat);
              }),
            )
          : circle;
        const htm = HtmPixelization.of(level);
        const envelope = htm.envelope(region);
        for (const v of pointsIn(region, 100, seed)) expect(inRanges(envelope, htm.index(v))).toBe(true);
      }),
      { ...PROPERTY_OPTIONS, numRuns: 60 },
    );
  });

  it("envelope(region, maxRanges) closes gaps to keep at most maxRanges and still covers the region", () => {
    const region = Circle.of(LonLat.fromDegrees(45, 45), Angle.fromDegrees(3));
    const htm = HtmPixelization.of(9);
    const full = htm.envelope(region);
    const few = htm.envelope(region, 3);
    expect(full.length).toBeGreaterThan(3);
    expect(few.length).toBe(3);
    for (const [begin, end] of full) expect(inRanges(few, begin) && inRanges(few, end - 1)).toBe(true);
  });

  it("rejects bad levels and indices with RegionError", () => {
    const e = thrown(() => HtmPixelization.of(25));
    expect(e).toBeInstanceOf(RegionError);
    expect(e.code).toBe("RegionError");
    expect(e.message).toBe("Invalid HTM level 25: it must be an integer from 0 to 24");
    expect(thrown(() => HtmPixelization.triangle(7)).message).toBe("Invalid HTM index 7");
    expect(HtmPixelization.levelOf(16)).toBe(-1);
  });
});
