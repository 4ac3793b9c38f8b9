import { describe, expect, it } from "vitest";
import { thrown } from "../../test/support/caught.ts";
import { describeWithPython, runPython } from "../../test/support/python.ts";
import { RegionError } from "../errors.ts";
import { seededRandom } from "../util/seeded-random.ts";
import { Angle } from "./angle.ts";
import { Box } from "./box.ts";
import { Circle } from "./circle.ts";
import { ConvexPolygon } from "./convex-polygon.ts";
import { HealpixPixelization } from "./healpix-pixelization.ts";
import { LonLat } from "./lon-lat.ts";
import type { PixelRange } from "./pixel-ranges.ts";
import type { Region } from "./region.ts";
import { UnitVector3d } from "./unit-vector-3d.ts";

/** Random points, a fifth of them within a degree of a pole and some on RA 0 and the equator. */
function samplePoints(count: number): UnitVector3d[] {
  const random = seededRandom(29);
  return Array.from({ length: count }, (_, i) => {
    if (i % 5 === 0)
      return LonLat.fromDegrees(random() * 360, (random() < 0.5 ? -1 : 1) * (89 + random())).toVector();
    if (i % 17 === 0) return LonLat.fromDegrees(0, random() * 180 - 90).toVector();
    return UnitVector3d.of(2 * random() - 1, 2 * random() - 1, 2 * random() - 1);
  });
}

function inRanges(ranges: readonly PixelRange[], index: number): boolean {
  return ranges.some(([begin, end]) => begin <= index && index < end);
}

describe("HealpixPixelization", () => {
  it("pixelCenter() lies in its own pixel at every order up to 24", () => {
    const random = seededRandom(5);
    for (let order = 0; order <= 24; order++) {
      const h = HealpixPixelization.of(order);
      for (let k = 0; k < 50; k++) {
        const index = Math.floor(random() * 12 * 4 ** order);
        expect(h.index(h.pixelCenter(index)), `order ${order}`).toBe(index);
      }
    }
  });

  it("envelope() holds the pixel of every point inside the region; interior() pixels only inside points", () => {
    const regions: Region[] = [
      Circle.of(LonLat.fromDegrees(150.1, 2.2), Angle.fromDegrees(0.5)),
      Circle.of(LonLat.fromDegrees(10, -89.7), Angle.fromDegrees(1)),
      Box.fromDegrees(359, 1.5, 40, 42),
      ConvexPolygon.of([LonLat.fromDegrees(44, 40), LonLat.fromDegrees(46, 40), LonLat.fromDegrees(45, 42)]),
    ];
    const random = seededRandom(11);
    regions.forEach((region, n) => {
      const h = HealpixPixelization.of(9);
      const envelope = h.envelope(region);
      const interior = h.interior(region);
      expect(interior.length, `region ${n}`).toBeGreaterThan(0);
      const circle = region.boundingCircle();
      const c = LonLat.fromVector(circle.center);
      for (let k = 0; k < 3000; k++) {
        const lat = c.lat.degrees + ((random() - 0.5) * 2.2 * (circle.openingAngle * 180)) / Math.PI;
        const lon = c.lon.degrees + (random() - 0.5) * 400 * circle.openingAngle;
        const v = LonLat.fromDegrees(lon, Math.max(-90, Math.min(90, lat))).toVector();
        const index = h.index(v);
        if (region.contains(v)) expect(inRanges(envelope, index), `region ${n}`).toBe(true);
        if (inRanges(interior, index)) expect(region.contains(v), `region ${n}`).toBe(true);
      }
    });
  });

  it("numbers the 12 base pixels at order 0 as healpy does", () => {
    const h = HealpixPixelization.of(0);
    expect(h.index(UnitVector3d.of(1, 1, 1))).toBe(0);
    expect(h.index(UnitVector3d.of(1, 0, 0))).toBe(4);
    expect(h.index(UnitVector3d.of(1, 1, -1))).toBe(8);
  });

  it("rejects ring-scheme envelopes", () => {
    const e = thrown(() => HealpixPixelization.of(3, "ring").envelope(Circle.full()));
    expect(e).toBeInstanceOf(RegionError);
    expect(e.message).toBe("HEALPix envelopes and interiors need the nested scheme");
  });

  it("rejects bad orders, and number indices above order 24", () => {
    const e = thrown(() => HealpixPixelization.of(30));
    expect(e).toBeInstanceOf(RegionError);
    expect(e.code).toBe("RegionError");
    expect(e.message).toBe("Invalid HEALPix order 30: it must be an integer from 0 to 29");
    const big = thrown(() => HealpixPixelization.of(25).index(UnitVector3d.of(1, 0, 0)));
    expect(big.message).toBe("HEALPix order 25 indices may not fit a number");
    expect(big.hint).toBe("Use indexBigInt() for orders above 24.");
  });

  it("index() agrees with indexBigInt() up to order 24", () => {
    for (const scheme of ["nested", "ring"] as const)
      for (const order of [0, 7, 17, 24]) {
        const h = HealpixPixelization.of(order, scheme);
        for (const v of samplePoints(200)) expect(BigInt(h.index(v))).toBe(h.indexBigInt(v));
      }
  });
});

function healpyIndices(
  python: string,
  first: number,
  points: readonly UnitVector3d[],
): Record<string, string[]> {
  return runPython<Record<string, string[]>>(
    python,
    [
      "import json, sys, numpy as np, healpy",
      "data = json.load(sys.stdin)",
      "p = np.array(data['points'])",
      "out = {}",
      "for order in range(data['first'], data['first'] + 10):",
      "    for nest in (True, False):",
      "        ids = healpy.vec2pix(2**order, p[:,0], p[:,1], p[:,2], nest=nest)",
      "        out[f'{order}/{nest}'] = [str(i) for i in ids]",
      "print(json.dumps(out))",
    ].join("\n"),
    { first, points: points.map((v) => [v.x, v.y, v.z]) },
  );
}

describeWithPython("healpy", "HealpixPixelization against healpy", (python) => {
  it("gives healpy's nested and ring indices for 1500 points (a fifth near the poles) at every order 0..29", () => {
    const points = samplePoints(1500);
    const expected: Record<string, string[]> = {};
    for (const first of [0, 10, 20]) Object.assign(expected, healpyIndices(python, first, points));
    for (let order = 0; order <= 29; order++)
      for (const scheme of ["nested", "ring"] as const) {
        const h = HealpixPixelization.of(order, scheme);
        const theirs = expected[`${order}/${scheme === "nested" ? "True" : "False"}`] as string[];
        const mismatches = points.filter((v, i) => h.indexBigInt(v).toString() !== theirs[i]);
        expect(mismatches.length, `order ${order} ${scheme}`).toBe(0);
      }
  });
});
