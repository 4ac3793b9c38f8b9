/** Plain 3-vectors for the inner loops of the geometry, where allocating frozen objects would cost. */
export type Vec3 = readonly [number, number, number];

/** Cross product a × b. */
export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Dot product a · b. */
export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** a · (b × c): positive when a, b, c turn counter-clockwise seen from outside the sphere. */
export function orientation(a: Vec3, b: Vec3, c: Vec3): number {
  return dot(a, cross(b, c));
}

/** a scaled to unit length (a must not be zero), dividing by sqrt(a · a) as sphgeom does, for the same bits. */
export function normalize(a: Vec3): Vec3 {
  const n = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
  return [a[0] / n, a[1] / n, a[2] / n];
}

/** The unit vector halfway between unit vectors a and b (not antipodal). */
export function midpoint(a: Vec3, b: Vec3): Vec3 {
  return normalize([a[0] + b[0], a[1] + b[1], a[2] + b[2]]);
}

/** The angle between unit vectors a and b, accurate for tiny and near-π angles alike. */
export function angleBetween(a: Vec3, b: Vec3): number {
  const c = cross(a, b);
  return Math.atan2(Math.hypot(c[0], c[1], c[2]), dot(a, b));
}

/**
 * The smallest angle from unit vector p to the great-circle arc from a to b (shorter than π): the angle
 * to the arc's great circle when p projects inside the arc, else to the nearer end.
 */
export function angleToArc(p: Vec3, a: Vec3, b: Vec3): number {
  const n = cross(a, b);
  const nn = Math.hypot(n[0], n[1], n[2]);
  if (nn === 0) return Math.min(angleBetween(p, a), angleBetween(p, b));
  const pn = dot(p, n) / nn;
  // p projects between a and b when it is on b's side of the plane through a and n, and on a's side of that through b.
  if (dot(cross(n, a), p) >= 0 && dot(cross(b, n), p) >= 0) return Math.asin(Math.min(1, Math.abs(pn)));
  return Math.min(angleBetween(p, a), angleBetween(p, b));
}
