import { RegionError } from "../errors.ts";
import { ConvexPolygon } from "./convex-polygon.ts";
import { LonLat } from "./lon-lat.ts";
import type { UnitVector3d } from "./unit-vector-3d.ts";
import { cross, dot, normalize, type Vec3 } from "./vector-math.ts";

type Planar = { readonly u: number; readonly v: number; readonly point: UnitVector3d };

/**
 * The smallest convex polygon holding all the points, as daf_butler's `POLYGON(ra1, dec1, ...)` literal
 * builds it: the order of the points does not matter and points inside the hull are dropped.
 * @throws {RegionError} when the points do not lie within one open hemisphere or span no area.
 * @example convexHull([LonLat.fromDegrees(0, 0), LonLat.fromDegrees(1, 1), LonLat.fromDegrees(1, 0), LonLat.fromDegrees(0, 1)])
 */
export function convexHull(points: readonly (UnitVector3d | LonLat)[]): ConvexPolygon {
  const vectors = points.map((p) => (p instanceof LonLat ? p.toVector() : p));
  let sum: Vec3 = [0, 0, 0];
  for (const p of vectors) sum = [sum[0] + p.x, sum[1] + p.y, sum[2] + p.z];
  const norm = Math.hypot(...sum);
  if (vectors.length < 3 || norm === 0 || vectors.some((p) => dot(p.toVec3(), sum) / norm <= 1e-12))
    throw new RegionError(
      `Invalid polygon: the ${vectors.length} points ${vectors.length < 3 ? "are too few" : "do not lie within one hemisphere"}`,
    );
  // Project gnomonically onto the plane tangent at the centroid, where great circles become straight lines,
  // so that the planar hull is the spherical one.
  const c = normalize(sum);
  const helper: Vec3 = Math.abs(c[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const e1 = normalize(cross(helper, c));
  const e2 = cross(c, e1);
  const planar: Planar[] = vectors.map((point) => {
    const p = point.toVec3();
    const w = dot(p, c);
    return { u: dot(p, e1) / w, v: dot(p, e2) / w, point };
  });
  planar.sort((a, b) => a.u - b.u || a.v - b.v);
  const turn = (o: Planar, a: Planar, b: Planar) => (a.u - o.u) * (b.v - o.v) - (a.v - o.v) * (b.u - o.u);
  // Andrew's monotone chain; collinear and repeated points are dropped.
  const half = (ordered: Planar[]): Planar[] => {
    const chain: Planar[] = [];
    for (const p of ordered) {
      while (
        chain.length >= 2 &&
        turn(chain[chain.length - 2] as Planar, chain[chain.length - 1] as Planar, p) <= 0
      )
        chain.pop();
      chain.push(p);
    }
    return chain.slice(0, -1);
  };
  const hull = [...half(planar), ...half([...planar].reverse())];
  if (hull.length < 3) throw new RegionError(`Invalid polygon: the ${vectors.length} points span no area`);
  return ConvexPolygon.of(hull.map((p) => p.point));
}
