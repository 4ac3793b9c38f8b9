import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../test/support/property.ts";
import { Angle } from "./angle.ts";
import { Box } from "./box.ts";
import { Circle } from "./circle.ts";
import { CompoundRegion } from "./compound-region.ts";
import { ConvexPolygon } from "./convex-polygon.ts";
import { decodeRegion } from "./decode-region.ts";
import { LonLat } from "./lon-lat.ts";
import type { Region } from "./region.ts";
import { Relationship } from "./relationship.ts";
import { UnitVector3d } from "./unit-vector-3d.ts";

/** Sky patches where the generated regions cluster: ordinary sky, across RA 0/360, and around a pole. */
const PATCHES = [
  { lon: 20, lat: 0 },
  { lon: 0, lat: 30 },
  { lon: 180, lat: 86 },
] as const;

const patch = fc.constantFrom(...PATCHES);

// Centers stop short of the poles, where building polygon vertices by azimuth loses its precision.
function offset(center: { lon: number; lat: number }, dLon: number, dLat: number): LonLat {
  return LonLat.fromDegrees(center.lon + dLon, Math.max(-89, Math.min(89, center.lat + dLat)));
}

/** A point within about 25° of the patch center. */
const pointNear = (p: { lon: number; lat: number }) =>
  fc
    .tuple(fc.double({ min: -25, max: 25, noNaN: true }), fc.double({ min: -25, max: 25, noNaN: true }))
    .map(([dLon, dLat]) => offset(p, dLon, dLat).toVector());

const circleNear = (p: { lon: number; lat: number }) =>
  fc
    .tuple(pointNear(p), fc.double({ min: 0.001, max: 15, noNaN: true }))
    .map(([c, r]) => Circle.of(c, Angle.fromDegrees(r)));

// Points on a small circle at distinct azimuths always make a convex polygon.
const polygonNear = (p: { lon: number; lat: number }) =>
  fc
    .tuple(
      pointNear(p),
      fc.double({ min: 0.01, max: 15, noNaN: true }),
      fc.uniqueArray(fc.integer({ min: 0, max: 71 }), { minLength: 3, maxLength: 8 }),
      fc.boolean(),
    )
    .map(([c, r, steps, clockwise]) => {
      const center = LonLat.fromVector(c);
      const sorted = [...steps].sort((a, b) => (clockwise ? b - a : a - b));
      const vertices = sorted.map((step) => {
        const az = (step * 5 * Math.PI) / 180;
        const rr = (r * Math.PI) / 180;
        // Destination point from the center at distance rr along azimuth az.
        const lat0 = center.lat.radians;
        const lat = Math.asin(Math.sin(lat0) * Math.cos(rr) + Math.cos(lat0) * Math.sin(rr) * Math.cos(az));
        const lon =
          center.lon.radians +
          Math.atan2(
            Math.sin(az) * Math.sin(rr) * Math.cos(lat0),
            Math.cos(rr) - Math.sin(lat0) * Math.sin(lat),
          );
        return LonLat.fromRadians(lon, lat);
      });
      return ConvexPolygon.of(vertices);
    });

const boxNear = (p: { lon: number; lat: number }) =>
  fc
    .tuple(
      fc.double({ min: -20, max: 20, noNaN: true }),
      fc.double({ min: 0.01, max: 40, noNaN: true }),
      fc.double({ min: -20, max: 20, noNaN: true }),
      fc.double({ min: 0.01, max: 20, noNaN: true }),
    )
    .map(([dLon, width, dLat, height]) => {
      const lat1 = Math.max(-90, Math.min(90, p.lat + dLat));
      return Box.fromDegrees(p.lon + dLon, p.lon + dLon + width, lat1, Math.min(90, lat1 + height));
    });

const simpleNear = (p: { lon: number; lat: number }) =>
  fc.oneof(circleNear(p), polygonNear(p), boxNear(p)) as fc.Arbitrary<Region>;

const regionNear = (p: { lon: number; lat: number }) =>
  fc.oneof(
    { arbitrary: simpleNear(p), weight: 4 },
    {
      arbitrary: fc
        .tuple(fc.boolean(), fc.array(simpleNear(p), { minLength: 1, maxLength: 3 }))
        .map(([union, rs]) => (union ? CompoundRegion.union(rs) : CompoundRegion.intersection(rs))),
      weight: 1,
    },
  );

/** Two regions and points to test them with, all around one patch. */
const scene = patch.chain((p) =>
  fc.record({
    a: regionNear(p),
    b: regionNear(p),
    points: fc.array(pointNear(p), { minLength: 200, maxLength: 200 }),
  }),
);

function check(a: Region, b: Region, points: readonly UnitVector3d[]): void {
  const r = a.relate(b);
  const both = points.filter((v) => a.contains(v) && b.contains(v));
  if (r & Relationship.DISJOINT) expect(both).toEqual([]);
  if (r & Relationship.CONTAINS) for (const v of points) if (b.contains(v)) expect(a.contains(v)).toBe(true);
  if (r & Relationship.WITHIN) for (const v of points) if (a.contains(v)) expect(b.contains(v)).toBe(true);
}

describe("sphgeom regions (properties)", () => {
  it("decodeRegion(r.encode()) re-encodes to the same bytes and contains the same points", () => {
    fc.assert(
      fc.property(scene, ({ a, points }) => {
        const decoded = decodeRegion(a.encode());
        expect(decoded.kind).toBe(a.kind);
        expect(decoded.encode()).toEqual(a.encode());
        for (const v of points) expect(decoded.contains(v)).toBe(a.contains(v));
      }),
      PROPERTY_OPTIONS,
    );
  });

  it("relate() flags never contradict point containment", () => {
    fc.assert(
      fc.property(scene, ({ a, b, points }) => check(a, b, points)),
      PROPERTY_OPTIONS,
    );
  });

  it("relate() never calls a polygon disjoint from a small circle on one of its edges or vertices", () => {
    const scenePolygon = patch.chain((p) =>
      fc.tuple(polygonNear(p), fc.double({ min: 1e-6, max: 1, noNaN: true })),
    );
    fc.assert(
      fc.property(scenePolygon, ([polygon, radius]) => {
        const n = polygon.points.length;
        polygon.points.forEach((a, i) => {
          const b = polygon.points[(i + 1) % n] as readonly number[];
          for (const t of [0, 0.3, 0.5]) {
            const on = UnitVector3d.of(
              a[0] + t * ((b[0] as number) - a[0]),
              a[1] + t * ((b[1] as number) - a[1]),
              a[2] + t * ((b[2] as number) - a[2]),
            );
            const circle = Circle.of(on, Angle.fromDegrees(radius));
            expect(polygon.relate(circle) & Relationship.DISJOINT).toBe(0);
            expect(circle.relate(polygon) & Relationship.DISJOINT).toBe(0);
          }
        });
      }),
      PROPERTY_OPTIONS,
    );
  });

  it("relate() finds DISJOINT, CONTAINS and WITHIN for circles and polygons that clearly have them", () => {
    const c = LonLat.fromDegrees(359.5, 0);
    const big = Circle.of(c, Angle.fromDegrees(5));
    const small = Circle.of(c, Angle.fromDegrees(1));
    const far = Circle.of(LonLat.fromDegrees(10, 0), Angle.fromDegrees(1));
    const square = ConvexPolygon.of([
      LonLat.fromDegrees(358, -2),
      LonLat.fromDegrees(1, -2),
      LonLat.fromDegrees(1, 2),
      LonLat.fromDegrees(358, 2),
    ]);
    expect(big.relate(small)).toBe(Relationship.CONTAINS);
    expect(small.relate(big)).toBe(Relationship.WITHIN);
    expect(big.relate(far)).toBe(Relationship.DISJOINT);
    expect(square.relate(small)).toBe(Relationship.CONTAINS);
    expect(big.relate(square)).toBe(Relationship.CONTAINS);
    expect(square.relate(far)).toBe(Relationship.DISJOINT);
    expect(Box.fromDegrees(350, 10, -3, 3).relate(square)).toBe(Relationship.CONTAINS);
    expect(Box.fromDegrees(5, 20, -3, 3).relate(square)).toBe(Relationship.DISJOINT);
  });

  it("circle bounding boxes and box bounding circles contain the region's points", () => {
    fc.assert(
      fc.property(scene, ({ a, points }) => {
        const circle = a.boundingCircle();
        const box = a.boundingBox();
        for (const v of points)
          if (a.contains(v)) expect([circle.contains(v), box.contains(v)]).toEqual([true, true]);
      }),
      PROPERTY_OPTIONS,
    );
  });
});
