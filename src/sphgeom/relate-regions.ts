import type { Box } from "./box.ts";
import type { Circle } from "./circle.ts";
import type { CompoundRegion } from "./compound-region.ts";
import type { ConvexPolygon } from "./convex-polygon.ts";
import type { Region } from "./region.ts";
import { invertRelationship, Relationship } from "./relationship.ts";
import { angleBetween, angleToArc, dot, type Vec3 } from "./vector-math.ts";

const { INTERSECTS, CONTAINS, DISJOINT, WITHIN } = Relationship;

/**
 * Margin (radians) by which a computed distance must clear a boundary before a flag is claimed, so that
 * rounding can only cost a flag, never give a wrong one.
 */
const EPS = 1e-12;

/**
 * How region `a` relates to region `b`. Exact up to rounding (EPS) for circle/circle, polygon/circle,
 * box/box and polygon/polygon (convex polygons within a hemisphere; edges between repeated vertices are
 * ignored). Conservative otherwise: a box against another kind uses the other's bounding box and the box's
 * bounding circle; an ellipse uses its bounding circle (as sphgeom does), so it is only ever reported
 * DISJOINT or WITHIN; unions and intersections combine their operands' flags as sphgeom does.
 */
export function relateRegions(a: Region, b: Region): Relationship {
  if (a.kind === "union" || a.kind === "intersection") return relateCompound(a as CompoundRegion, b);
  if (b.kind === "union" || b.kind === "intersection")
    return invertRelationship(relateCompound(b as CompoundRegion, a));
  if (a.kind === "ellipse") return relateRegions(a.boundingCircle(), b) & (DISJOINT | WITHIN);
  if (b.kind === "ellipse") return invertRelationship(relateRegions(b, a));
  if (a.kind === "circle" && b.kind === "circle") return relateCircles(a as Circle, b as Circle);
  if (a.kind === "convex-polygon" && b.kind === "convex-polygon")
    return relatePolygons(a as ConvexPolygon, b as ConvexPolygon);
  if (a.kind === "convex-polygon" && b.kind === "circle")
    return relatePolygonCircle(a as ConvexPolygon, b as Circle);
  if (a.kind === "circle" && b.kind === "convex-polygon")
    return invertRelationship(relatePolygonCircle(b as ConvexPolygon, a as Circle));
  if (a.kind === "box") return relateBoxTo(a as Box, b);
  return invertRelationship(relateBoxTo(b as Box, a));
}

function relateCompound(a: CompoundRegion, b: Region): Relationship {
  const rs = a.operands.map((o) => relateRegions(o, b));
  const all = (flag: number) => (rs.every((r) => r & flag) ? flag : 0);
  const any = (flag: number) => (rs.some((r) => r & flag) ? flag : 0);
  return a.kind === "union"
    ? all(DISJOINT) | all(WITHIN) | any(CONTAINS)
    : all(CONTAINS) | any(DISJOINT) | any(WITHIN);
}

function relateCircles(a: Circle, b: Circle): Relationship {
  if (a.isEmpty()) return b.isEmpty() ? CONTAINS | DISJOINT | WITHIN : DISJOINT | WITHIN;
  if (b.isEmpty()) return CONTAINS | DISJOINT;
  if (a.isFull()) return b.isFull() ? CONTAINS | WITHIN : CONTAINS;
  if (b.isFull()) return WITHIN;
  if (a.center.equals(b.center) && a.squaredChordLength === b.squaredChordLength) return CONTAINS | WITHIN;
  const cc = angleBetween(a.center.toVec3(), b.center.toVec3());
  if (cc > a.openingAngle + b.openingAngle + EPS) return DISJOINT;
  if (cc + b.openingAngle + EPS <= a.openingAngle) return CONTAINS;
  if (cc + a.openingAngle + EPS <= b.openingAngle) return WITHIN;
  return INTERSECTS;
}

/** Whether an edge normal is a real one: degenerate (tiny) edges have the zero normal (see ConvexPolygon). */
function isEdge(n: Vec3): boolean {
  return n[0] !== 0 || n[1] !== 0 || n[2] !== 0;
}

/** Sine of the distance from p into the polygon (negative outside), skipping degenerate (tiny) edges. */
function depth(p: ConvexPolygon, v: Vec3): number {
  let d = Number.POSITIVE_INFINITY;
  for (const n of p.edgeNormals) if (isEdge(n)) d = Math.min(d, dot(n, v));
  return d;
}

/**
 * Whether some edge of `a` has every vertex of `b` strictly outside its great circle. Plain loops: envelopes
 * call this for every trixel they visit.
 */
function separates(a: ConvexPolygon, b: ConvexPolygon): boolean {
  const normals = a.edgeNormals;
  const points = b.points;
  for (let i = 0; i < normals.length; i++) {
    const n = normals[i] as Vec3;
    if (!isEdge(n)) continue;
    let outside = true;
    for (let j = 0; j < points.length && outside; j++) {
      const p = points[j] as Vec3;
      outside = n[0] * p[0] + n[1] * p[1] + n[2] * p[2] < -EPS;
    }
    if (outside) return true;
  }
  return false;
}

// Both polygons are convex and smaller than a hemisphere, so one holds the other when it holds all its
// vertices, and they are disjoint when an edge's great circle separates them (the spherical form of the
// separating-axis theorem); anything else is reported as INTERSECTS.
function relatePolygons(a: ConvexPolygon, b: ConvexPolygon): Relationship {
  if (separates(a, b) || separates(b, a)) return DISJOINT;
  return (holdsAll(a, b.points) ? CONTAINS : 0) | (holdsAll(b, a.points) ? WITHIN : 0);
}

/** Whether every point lies inside the polygon by more than EPS. */
function holdsAll(p: ConvexPolygon, points: readonly Vec3[]): boolean {
  for (let i = 0; i < points.length; i++) if (!(depth(p, points[i] as Vec3) > EPS)) return false;
  return true;
}

function minArcDistance(p: ConvexPolygon, v: Vec3): number {
  let d = Number.POSITIVE_INFINITY;
  const n = p.points.length;
  for (let i = 0; i < n; i++)
    d = Math.min(d, angleToArc(v, p.points[i] as Vec3, p.points[(i + 1) % n] as Vec3));
  return d;
}

function relatePolygonCircle(p: ConvexPolygon, c: Circle): Relationship {
  if (c.isEmpty()) return CONTAINS | DISJOINT;
  if (c.isFull()) return WITHIN;
  const center = c.center.toVec3();
  const r = c.openingAngle;
  const d = depth(p, center);
  // The nearest vertex bounds the distance to the polygon: a vertex in reach spares the arc distances.
  let nearest = Number.POSITIVE_INFINITY;
  let farthest = 0;
  for (const v of p.points) {
    const angle = angleBetween(center, v);
    nearest = Math.min(nearest, angle);
    farthest = Math.max(farthest, angle);
  }
  if (d < 0 && nearest > r + EPS && minArcDistance(p, center) > r + EPS) return DISJOINT;
  // The cap is inside when its center is and it reaches no edge's great circle.
  const contains = d > 0 && Math.asin(Math.min(1, d)) > r + EPS ? CONTAINS : 0;
  let within = 0;
  if (r < Math.PI / 2) {
    // A cap under a hemisphere is convex: holding the vertices it holds the polygon.
    within = farthest < r - EPS ? WITHIN : 0;
  } else {
    // A larger cap holds the polygon when the polygon misses the cap's complement.
    const anti: Vec3 = [-center[0], -center[1], -center[2]];
    within = depth(p, anti) < 0 && minArcDistance(p, anti) > Math.PI - r + EPS ? WITHIN : 0;
  }
  return contains | within;
}

type Segment = readonly [number, number];

function segmentsOverlap(a: readonly Segment[], b: readonly Segment[]): boolean {
  return a.some(([a0, a1]) => b.some(([b0, b1]) => a0 <= b1 && b0 <= a1));
}

function segmentsCover(a: readonly Segment[], b: readonly Segment[]): boolean {
  return b.every(([b0, b1]) => a.some(([a0, a1]) => a0 <= b0 && b1 <= a1));
}

function relateBoxes(a: Box, b: Box): Relationship {
  if (a.isEmpty()) return b.isEmpty() ? CONTAINS | DISJOINT | WITHIN : DISJOINT | WITHIN;
  if (b.isEmpty()) return CONTAINS | DISJOINT;
  const la = a.lonSegments();
  const lb = b.lonSegments();
  const latDisjoint = a.latB < b.latA || b.latB < a.latA;
  // Boxes that both reach a pole share it whatever their longitudes.
  const sharePole =
    (a.latB >= Math.PI / 2 && b.latB >= Math.PI / 2) || (a.latA <= -Math.PI / 2 && b.latA <= -Math.PI / 2);
  if (latDisjoint || (!segmentsOverlap(la, lb) && !sharePole)) return DISJOINT;
  const contains = a.latA <= b.latA && b.latB <= a.latB && segmentsCover(la, lb) ? CONTAINS : 0;
  const within = b.latA <= a.latA && a.latB <= b.latB && segmentsCover(lb, la) ? WITHIN : 0;
  return contains | within;
}

function relateBoxTo(box: Box, other: Region): Relationship {
  if (other.kind === "box") return relateBoxes(box, other as Box);
  const byBox = relateBoxes(box, other.boundingBox());
  if (byBox & DISJOINT) return DISJOINT;
  const circle = box.boundingCircle();
  if (relateRegions(circle, other) & DISJOINT) return DISJOINT;
  const within = relateRegions(other, circle) & CONTAINS ? WITHIN : 0;
  return (byBox & CONTAINS) | within;
}
