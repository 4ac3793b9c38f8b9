import { describe, expect, it } from "vitest";
import { thrown } from "../../test/support/caught.ts";
import { RegionError } from "../errors.ts";
import { seededRandom } from "../util/seeded-random.ts";
import { Angle } from "./angle.ts";
import { Box } from "./box.ts";
import { Circle } from "./circle.ts";
import { CompoundRegion } from "./compound-region.ts";
import { convexHull } from "./convex-hull.ts";
import { ConvexPolygon } from "./convex-polygon.ts";
import { decodeRegion } from "./decode-region.ts";
import { LonLat } from "./lon-lat.ts";
import { UnitVector3d } from "./unit-vector-3d.ts";

function expectRegionError(f: () => unknown, message: string): void {
  const error = thrown(f);
  expect(error).toBeInstanceOf(RegionError);
  expect(error.code).toBe("RegionError");
  expect(error.message).toBe(message);
}

const at = (lon: number, lat: number) => LonLat.fromDegrees(lon, lat);

describe("sphgeom region errors", () => {
  it("Circle.of() rejects a negative radius", () => {
    expectRegionError(
      () => Circle.of(at(10, 10), Angle.fromDegrees(-0.5)),
      "Invalid circle radius -0.5°: it must not be negative",
    );
  });

  it("ConvexPolygon.of() rejects too few, repeated and non-convex vertices", () => {
    expectRegionError(
      () => ConvexPolygon.of([at(0, 0), at(1, 0)]),
      "Invalid polygon: it has 2 vertices, at least 3 are needed",
    );
    expectRegionError(
      () => ConvexPolygon.of([at(0, 0), at(1, 0), at(1, 0), at(0, 1)]),
      "Invalid polygon: vertices 1 and 2 are the same point (1°, 0°)",
    );
    expectRegionError(
      () => ConvexPolygon.of([at(0, 0), at(2, 0), at(1, 0.2), at(2, 2), at(0, 2)]),
      "Invalid polygon: vertices (0°, 0°), (2°, 0°), (1°, 0.2°), (2°, 2°), (0°, 2°) are not convex",
    );
  });

  it("ConvexPolygon.of() accepts clockwise vertices and stores them counter-clockwise", () => {
    const polygon = ConvexPolygon.of([at(0, 0), at(0, 1), at(1, 0)]);
    expect(polygon.contains(at(0.3, 0.3).toVector())).toBe(true);
    expect(polygon.contains(at(2, 2).toVector())).toBe(false);
  });

  it("Box.fromDegrees() rejects bad latitudes", () => {
    expectRegionError(() => Box.fromDegrees(0, 10, -91, 0), "Invalid latitude -91°: it must be within ±90°");
    expectRegionError(
      () => Box.fromDegrees(0, 10, 5, 1),
      "Invalid box latitudes [5°, 1°]: the first is larger",
    );
    expectRegionError(
      () => Box.aroundDegrees(0, 0, -1, 1),
      "Invalid box size -1°: it must be finite and not negative",
    );
  });

  it("Box.aroundDegrees() wraps across RA 0 and clips at the poles", () => {
    const box = Box.aroundDegrees(359, 89, 4, 4);
    expect(box.contains(at(0.5, 89.5).toVector())).toBe(true);
    expect(box.contains(at(2, 88).toVector())).toBe(false);
    expect(box.latB).toBe(Math.PI / 2);
  });

  it("decodeRegion() rejects bytes that are no sphgeom region, naming them", () => {
    expectRegionError(
      () => decodeRegion(Uint8Array.of(0x78, 1, 2)),
      'Cannot decode 3 bytes starting "780102": not a sphgeom region',
    );
    expectRegionError(
      () => decodeRegion(Uint8Array.of(0x70, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
      'Cannot decode 10 bytes starting "7000000000000000…" as a ConvexPolygon: wrong type code or length',
    );
    const circle = Circle.of(at(1, 2), Angle.fromDegrees(3)).encode();
    const compound = CompoundRegion.union([Circle.of(at(1, 2), Angle.fromDegrees(3))]).encode();
    expectRegionError(
      () => decodeRegion(compound.subarray(0, compound.length - 1)),
      'Cannot decode 49 bytes starting "7529000000000000…": the compound region is truncated',
    );
    expect(decodeRegion(circle).encode()).toEqual(circle);
  });

  it("decodeRegion() rejects vectors that are not unit length", () => {
    const bytes = ConvexPolygon.of([at(0, 0), at(1, 0), at(0, 1)]).encode();
    new DataView(bytes.buffer).setFloat64(1, 2, true);
    expect(thrown(() => decodeRegion(bytes)).message).toMatch(
      /^Invalid unit vector \(2, 0, 0\): its length is not 1$/,
    );
  });
});

describe("convexHull()", () => {
  it("builds the hull of unordered points and drops the inner ones", () => {
    const hull = convexHull([at(1, 1), at(0, 0), at(2, 2), at(0.5, 1), at(2, 0), at(0, 2)]);
    expect(hull.vertices).toHaveLength(4);
    expect(hull.contains(at(0.5, 1).toVector())).toBe(true);
    expect(hull.contains(at(2.1, 1).toVector())).toBe(false);
  });

  it("holds every point it was built from, whatever their order", () => {
    const random = seededRandom(3);
    for (let k = 0; k < 200; k++) {
      const points = Array.from({ length: 3 + Math.floor(random() * 10) }, () =>
        at(350 + random() * 20, 80 + random() * 9),
      );
      const hull = convexHull(points);
      for (const p of points) {
        const v = p.toVector();
        // Hull vertices sit on the boundary, where rounding may put them a hair outside.
        const c = hull.boundingCircle().center;
        const nudged = UnitVector3d.of(
          v.x + 1e-9 * (c.x - v.x),
          v.y + 1e-9 * (c.y - v.y),
          v.z + 1e-9 * (c.z - v.z),
        );
        expect(hull.contains(nudged)).toBe(true);
      }
    }
  });

  it("rejects points that span no area or no single hemisphere", () => {
    expectRegionError(
      () => convexHull([at(0, 0), at(1, 0), at(2, 0)]),
      "Invalid polygon: the 3 points span no area",
    );
    expectRegionError(
      () => convexHull([at(0, 0), at(120, 0), at(240, 0)]),
      "Invalid polygon: the 3 points do not lie within one hemisphere",
    );
  });
});
