import { beforeAll, expect, it } from "vitest";
import { describeWithPython, runPython } from "../../test/support/python.ts";
import { seededRandom } from "../util/seeded-random.ts";
import { Angle } from "./angle.ts";
import { Circle } from "./circle.ts";
import { ConvexPolygon } from "./convex-polygon.ts";
import { HealpixPixelization } from "./healpix-pixelization.ts";
import { LonLat } from "./lon-lat.ts";
import { Relationship } from "./relationship.ts";
import { separation } from "./separation.ts";
import { UnitVector3d } from "./unit-vector-3d.ts";
import { cross, normalize } from "./vector-math.ts";

/** The order whose nested pixel centers are the test points (49,152 of them, over the whole sky). */
const ORDER = 6;

interface RandomRegion {
  readonly center: LonLat;
  readonly radius: number;
  readonly vertices: readonly LonLat[];
}

/**
 * Random circles and convex polygons (a regular polygon of 3–8 vertices, turned and squashed), with a
 * third of the centers near a pole and a third astride RA 0.
 */
function randomRegions(count: number): RandomRegion[] {
  const random = seededRandom(41);
  return Array.from({ length: count }, (_, i) => {
    const lat = i % 3 === 0 ? (random() < 0.5 ? -1 : 1) * (80 + 10 * random()) : -70 + 140 * random();
    const lon = i % 3 === 1 ? -5 + 10 * random() : 360 * random();
    const center = LonLat.fromDegrees(lon, lat);
    const radius = 1 + 20 * random();
    const n = 3 + Math.floor(6 * random());
    const turn = random() * 2 * Math.PI;
    const squash = 0.4 + 0.6 * random();
    // Vertices on a circle around the center, in a local tangent frame (counter-clockwise).
    const c = center.toVector().toVec3();
    const east = normalize(cross([0, 0, 1], c));
    const north = cross(c, east);
    const vertices = Array.from({ length: n }, (_, k) => {
      const a = turn + (2 * Math.PI * k) / n;
      const r = Math.tan((radius * Math.PI) / 180);
      const x = r * Math.cos(a);
      const y = r * squash * Math.sin(a);
      return LonLat.fromVector(
        UnitVector3d.of(
          c[0] + x * east[0] + y * north[0],
          c[1] + x * east[1] + y * north[1],
          c[2] + x * east[2] + y * north[2],
        ),
      );
    });
    return { center, radius, vertices };
  });
}

function healpyContents(
  python: string,
  regions: readonly RandomRegion[],
): { discs: number[][]; polygons: number[][] } {
  return runPython(
    python,
    [
      "import json, sys, numpy as np, healpy",
      "data = json.load(sys.stdin)",
      "nside = 2 ** data['order']",
      "discs = []",
      "polygons = []",
      "for r in data['regions']:",
      "    center = healpy.ang2vec(r['lon'], r['lat'], lonlat=True)",
      "    discs.append([int(p) for p in healpy.query_disc(nside, center, np.radians(r['radius']), nest=True)])",
      "    vs = np.array([healpy.ang2vec(v[0], v[1], lonlat=True) for v in r['vertices']])",
      "    polygons.append([int(p) for p in healpy.query_polygon(nside, vs, nest=True)])",
      "print(json.dumps({'discs': discs, 'polygons': polygons}))",
    ].join("\n"),
    {
      order: ORDER,
      regions: regions.map((r) => ({
        lon: r.center.lon.degrees,
        lat: r.center.lat.degrees,
        radius: r.radius,
        vertices: r.vertices.map((v) => [v.lon.degrees, v.lat.degrees]),
      })),
    },
  );
}

describeWithPython("healpy", "Circle and ConvexPolygon containment against healpy", (python) => {
  const regions = randomRegions(150);
  const pixels = HealpixPixelization.of(ORDER, "nested");
  const centers = Array.from({ length: 12 * 4 ** ORDER }, (_, i) => pixels.pixelCenter(i));
  let expected: { discs: number[][]; polygons: number[][] };
  beforeAll(() => {
    expected = healpyContents(python, regions);
  });

  it("contains exactly the pixel centers healpy's query_disc finds, for 150 circles (poles, RA 0)", () => {
    let checked = 0;
    regions.forEach((region, i) => {
      const circle = Circle.of(region.center, Angle.fromDegrees(region.radius));
      const theirs = new Set(expected.discs[i]);
      const disagree = centers.filter((v, p) => {
        if (circle.contains(v) === theirs.has(p)) return false;
        // A center on the edge (to rounding) may fall either way.
        return Math.abs(separation(v, region.center).degrees - region.radius) > 1e-9;
      });
      expect(disagree.length, `circle ${i}`).toBe(0);
      checked += theirs.size;
    });
    expect(checked).toBeGreaterThan(10_000);
  });

  it("contains exactly the pixel centers healpy's query_polygon finds, for 150 convex polygons", () => {
    let checked = 0;
    regions.forEach((region, i) => {
      const polygon = ConvexPolygon.of(region.vertices);
      const theirs = new Set(expected.polygons[i]);
      const disagree = centers.filter((v, p) => {
        if (polygon.contains(v) === theirs.has(p)) return false;
        // A center on an edge (to rounding) may fall either way.
        const nudged = Circle.of(v, Angle.fromRadians(1e-10));
        const r = polygon.relate(nudged);
        return (r & Relationship.CONTAINS) !== 0 || (r & Relationship.DISJOINT) !== 0;
      });
      expect(disagree.length, `polygon ${i}`).toBe(0);
      checked += theirs.size;
    });
    expect(checked).toBeGreaterThan(10_000);
  });
});
