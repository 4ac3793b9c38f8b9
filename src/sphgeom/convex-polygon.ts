import { RegionError } from "../errors.ts";
import { Angle } from "./angle.ts";
import { Box } from "./box.ts";
import { Circle } from "./circle.ts";
import { decodeDoubles, encodeDoubles, hexStart, TYPE_CODE } from "./codec.ts";
import { LonLat } from "./lon-lat.ts";
import type { Region } from "./region.ts";
import { relateRegions } from "./relate-regions.ts";
import type { Relationship } from "./relationship.ts";
import { UnitVector3d } from "./unit-vector-3d.ts";
import { angleBetween, cross, dot, normalize, orientation, type Vec3 } from "./vector-math.ts";

const MARGIN = 1e-12;

/** Edges whose vertices are closer than this (radians, as |a × b|) have no trustworthy plane. */
const DEGENERATE_EDGE = 1e-10;

/**
 * A convex polygon on the sphere whose edges are great-circle arcs between consecutive vertices, listed
 * counter-clockwise seen from outside the sphere (sphgeom's vertex order and encoding).
 */
export class ConvexPolygon implements Region {
  readonly kind = "convex-polygon" as const;
  readonly vertices: readonly UnitVector3d[];
  /** Vertices as plain tuples, for the geometry. */
  readonly points: readonly Vec3[];
  /** Unit normal of each edge's great circle (vertex i to i+1), pointing inside. */
  readonly edgeNormals: readonly Vec3[];

  private constructor(vertices: readonly UnitVector3d[]) {
    this.vertices = Object.freeze([...vertices]);
    this.points = Object.freeze(vertices.map((v) => v.toVec3()));
    this.edgeNormals = Object.freeze(
      this.points.map((p, i) => {
        const n = cross(p, this.points[(i + 1) % this.points.length] as Vec3);
        const length = Math.hypot(n[0], n[1], n[2]);
        // The plane of an edge between (nearly) repeated vertices points anywhere; exported polygons have
        // such edges, so they are left out (zero normal) rather than trusted.
        return length < DEGENERATE_EDGE
          ? ([0, 0, 0] as Vec3)
          : ([n[0] / length, n[1] / length, n[2] / length] as Vec3);
      }),
    );
    Object.freeze(this);
  }

  /**
   * The polygon with these vertices (LonLat or unit vectors), counter-clockwise; clockwise input is
   * reversed.
   * @throws {RegionError} with fewer than 3 vertices, two equal vertices, or when the polygon is not convex.
   * @example ConvexPolygon.of([LonLat.fromDegrees(0, 0), LonLat.fromDegrees(1, 0), LonLat.fromDegrees(0, 1)])
   */
  static of(vertices: readonly (UnitVector3d | LonLat)[]): ConvexPolygon {
    const vs = vertices.map((v) => (v instanceof LonLat ? v.toVector() : v));
    if (vs.length < 3)
      throw new RegionError(`Invalid polygon: it has ${vs.length} vertices, at least 3 are needed`);
    const ps = vs.map((v) => v.toVec3());
    for (let i = 0; i < ps.length; i++)
      for (let j = i + 1; j < ps.length; j++)
        if (angleBetween(ps[i] as Vec3, ps[j] as Vec3) < MARGIN)
          throw new RegionError(`Invalid polygon: vertices ${i} and ${j} are the same point ${show(vs[i])}`);
    const turns = ps.map((p, i) =>
      orientation(ps[(i + ps.length - 1) % ps.length] as Vec3, p, ps[(i + 1) % ps.length] as Vec3),
    );
    const sign = turns.every((t) => t > 0) ? 1 : turns.every((t) => t < 0) ? -1 : 0;
    const ordered = sign < 0 ? [...vs].reverse() : vs;
    const polygon = new ConvexPolygon(ordered);
    // Every vertex must lie inside every edge's hemisphere; this also rejects star shapes whose turns
    // all have the same sign and polygons that wrap around more than a hemisphere.
    const convex =
      sign !== 0 &&
      polygon.edgeNormals.every((n, e) =>
        polygon.points.every((p, i) => i === e || i === (e + 1) % ps.length || dot(n, p) > 0),
      );
    if (!convex) throw new RegionError(`Invalid polygon: vertices ${vs.map(show).join(", ")} are not convex`);
    return polygon;
  }

  /** Builds a polygon from vertices known to be convex and counter-clockwise (HTM trixels). */
  static fromTrustedVertices(vertices: readonly UnitVector3d[]): ConvexPolygon {
    return new ConvexPolygon(vertices);
  }

  /**
   * Decodes sphgeom's ConvexPolygon encoding (tag 0x70, then x, y, z of each vertex as little-endian
   * float64). Like sphgeom it does not re-check convexity: exports hold polygons with near-duplicate vertices.
   * @throws {RegionError} when the bytes are not one.
   */
  static decode(bytes: Uint8Array): ConvexPolygon {
    const values = decodeDoubles(bytes, TYPE_CODE.convexPolygon, "ConvexPolygon");
    if (values.length % 3 !== 0 || values.length < 9)
      throw new RegionError(
        `Cannot decode ${bytes.length} bytes starting ${hexStart(bytes)} as a ConvexPolygon: need 3 or more vertices of 24 bytes`,
      );
    const vertices: UnitVector3d[] = [];
    for (let i = 0; i < values.length; i += 3)
      vertices.push(
        UnitVector3d.fromNormalized(values[i] as number, values[i + 1] as number, values[i + 2] as number),
      );
    return new ConvexPolygon(vertices);
  }

  contains(v: UnitVector3d): boolean {
    const p = v.toVec3();
    // sphgeom's test (v on the inner side of, or on, every edge's plane), minus degenerate edges.
    return this.edgeNormals.every((n) => dot(n, p) >= 0);
  }

  relate(other: Region): Relationship {
    return relateRegions(this, other);
  }

  /** A cap around the vertex centroid reaching the farthest vertex (the full sphere if that is ≥ 90°). */
  boundingCircle(): Circle {
    let sum: Vec3 = [0, 0, 0];
    for (const p of this.points) sum = [sum[0] + p[0], sum[1] + p[1], sum[2] + p[2]];
    if (Math.hypot(...sum) === 0) return Circle.full();
    const c = normalize(sum);
    let radius = 0;
    for (const p of this.points) radius = Math.max(radius, angleBetween(c, p));
    // A cap of 90° or more is not convex, so holding the vertices would not prove it holds the edges.
    if (radius + MARGIN >= Math.PI / 2) return Circle.full();
    return Circle.of(UnitVector3d.of(c[0], c[1], c[2]), Angle.fromRadians(radius + MARGIN));
  }

  /**
   * The tight lon/lat box: latitudes from the vertices and the highest and lowest points of the edges,
   * longitudes from the vertices (a minor arc that misses the poles is monotonic in longitude), every
   * longitude when the polygon holds a pole.
   */
  boundingBox(): Box {
    let latMin = Number.POSITIVE_INFINITY;
    let latMax = Number.NEGATIVE_INFINITY;
    const n = this.points.length;
    for (let i = 0; i < n; i++) {
      const a = this.points[i] as Vec3;
      latMin = Math.min(latMin, Math.asin(a[2]));
      latMax = Math.max(latMax, Math.asin(a[2]));
      const b = this.points[(i + 1) % n] as Vec3;
      const normal = cross(a, b);
      const length = Math.hypot(...normal);
      if (length < DEGENERATE_EDGE) continue;
      // The edge's great circle peaks where it meets the plane through z and its normal.
      const nz = normal[2] / length;
      const peak: Vec3 = [-normal[0] * nz, -normal[1] * nz, length - normal[2] * nz];
      for (const [sign, q] of [
        [1, peak],
        [-1, [-peak[0], -peak[1], -peak[2]] as Vec3],
      ] as const) {
        if (dot(cross(normal, a), q) >= 0 && dot(cross(b, normal), q) >= 0) {
          const lat = sign * Math.acos(Math.min(1, Math.abs(nz)));
          latMin = Math.min(latMin, lat);
          latMax = Math.max(latMax, lat);
        }
      }
    }
    const north = this.contains(UnitVector3d.fromNormalized(0, 0, 1));
    const south = this.contains(UnitVector3d.fromNormalized(0, 0, -1));
    if (north) latMax = Math.PI / 2;
    if (south) latMin = -Math.PI / 2;
    const lats: [number, number] = [latMin - MARGIN, latMax + MARGIN];
    const circle = this.boundingCircle();
    if (north || south || circle.isFull()) return Box.fromRadians(0, 2 * Math.PI, ...lats);
    // Offsets from the longitude of a point inside: the path to each vertex misses the poles, so they do
    // not wrap.
    const c = LonLat.fromVector(circle.center).lon.radians;
    let low = 0;
    let high = 0;
    for (const p of this.points) {
      const offset = Math.atan2(
        p[1] * Math.cos(c) - p[0] * Math.sin(c),
        p[0] * Math.cos(c) + p[1] * Math.sin(c),
      );
      low = Math.min(low, offset);
      high = Math.max(high, offset);
    }
    return Box.fromRadians(c + low - MARGIN, c + high + MARGIN, ...lats);
  }

  encode(): Uint8Array {
    return encodeDoubles(
      TYPE_CODE.convexPolygon,
      this.vertices.flatMap((v) => [v.x, v.y, v.z]),
    );
  }
}

function show(v: UnitVector3d | undefined): string {
  if (v === undefined) return "?";
  const p = LonLat.fromVector(v);
  // Twelve digits hide the rounding of the degrees → vector → degrees trip.
  return `(${Number(p.lon.degrees.toPrecision(12))}°, ${Number(p.lat.degrees.toPrecision(12))}°)`;
}
