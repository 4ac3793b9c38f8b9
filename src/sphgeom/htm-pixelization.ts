import { RegionError } from "../errors.ts";
import { ConvexPolygon } from "./convex-polygon.ts";
import { type PixelRange, PixelRangeBuilder } from "./pixel-ranges.ts";
import type { Region } from "./region.ts";
import { relateRegions } from "./relate-regions.ts";
import { Relationship } from "./relationship.ts";
import { UnitVector3d } from "./unit-vector-3d.ts";
import { angleBetween, midpoint, normalize, type Vec3 } from "./vector-math.ts";

/** The deepest HTM level sphgeom supports (indices stay below 2^53). */
export const HTM_MAX_LEVEL = 24;

const X: Vec3 = [1, 0, 0];
const Y: Vec3 = [0, 1, 0];
const Z: Vec3 = [0, 0, 1];
const NX: Vec3 = [-1, 0, 0];
const NY: Vec3 = [0, -1, 0];
const NZ: Vec3 = [0, 0, -1];

// Vertices of the root triangles S0..S3, N0..N3 (indices 8..15), counter-clockwise, as sphgeom lists them.
const ROOTS: readonly (readonly [Vec3, Vec3, Vec3])[] = [
  [X, NZ, Y],
  [Y, NZ, NX],
  [NX, NZ, NY],
  [NY, NZ, X],
  [X, Z, NY],
  [NY, Z, NX],
  [NX, Z, Y],
  [Y, Z, X],
];

type Trixel = readonly [Vec3, Vec3, Vec3];

/** Length of (x, y, z); Math.hypot's overflow care costs several times more and is not needed here. */
function norm(x: number, y: number, z: number): number {
  return Math.sqrt(x * x + y * y + z * z);
}

/** p · (a × b) on scalars. */
function orient(
  px: number,
  py: number,
  pz: number,
  ax: number,
  ay: number,
  az: number,
  bx: number,
  by: number,
  bz: number,
): number {
  return px * (ay * bz - az * by) + py * (az * bx - ax * bz) + pz * (ax * by - ay * bx);
}

/** The four children of a trixel, in index order 0..3 (sphgeom's subdivision). */
function children([v0, v1, v2]: Trixel): [Trixel, Trixel, Trixel, Trixel] {
  const m12 = midpoint(v1, v2);
  const m20 = midpoint(v2, v0);
  const m01 = midpoint(v0, v1);
  return [
    [v0, m01, m20],
    [v1, m12, m01],
    [v2, m20, m12],
    [m12, m20, m01],
  ];
}

/** A trixel's geometry for envelopes: its bounding cap, and its polygon (made when first needed). */
class TrixelShape {
  readonly corners: Trixel;
  /** Center and radius of a cap holding the trixel. */
  readonly center: Vec3;
  readonly radius: number;
  #polygon: ConvexPolygon | undefined;

  constructor(corners: Trixel) {
    const [v0, v1, v2] = corners;
    this.corners = corners;
    this.center = normalize([v0[0] + v1[0] + v2[0], v0[1] + v1[1] + v2[1], v0[2] + v1[2] + v2[2]]);
    this.radius = Math.max(
      angleBetween(this.center, v0),
      angleBetween(this.center, v1),
      angleBetween(this.center, v2),
    );
  }

  /** Whether the trixel lies wholly outside the cap of `radius` around `center` (by the bounding caps). */
  beyond(center: Vec3, radius: number): boolean {
    return angleBetween(center, this.center) > radius + this.radius + CAP_MARGIN;
  }

  get polygon(): ConvexPolygon {
    this.#polygon ??= toPolygon(this.corners);
    return this.#polygon;
  }
}

/** Coarsest levels whose trixel shapes are kept: every envelope walks them (8 · 4⁶ shapes at most). */
const CACHED_LEVELS = 6;
const shapes = new Map<number, TrixelShape>();

/** The shape of trixel `index` at `level`, kept when the level is coarse. */
function shapeOf(corners: Trixel, index: number, level: number): TrixelShape {
  if (level > CACHED_LEVELS) return new TrixelShape(corners);
  let shape = shapes.get(index);
  if (shape === undefined) {
    shape = new TrixelShape(corners);
    shapes.set(index, shape);
  }
  return shape;
}

/** Radians added to the cap test so that rounding never rules out a trixel that touches the region. */
const CAP_MARGIN = 1e-9;

function toPolygon(t: Trixel): ConvexPolygon {
  return ConvexPolygon.fromTrustedVertices(t.map((v) => UnitVector3d.fromNormalized(v[0], v[1], v[2])));
}

/**
 * The Hierarchical Triangular Mesh at one level, with sphgeom's pixel indices: 4 bits for the root
 * triangle (8..15) then 2 bits per level for the child (0..3). `htm7` in daf_butler is level 7.
 * @example HtmPixelization.of(7).index(LonLat.fromDegrees(150, 2).toVector())
 */
export class HtmPixelization {
  readonly level: number;

  private constructor(level: number) {
    this.level = level;
    Object.freeze(this);
  }

  /** The pixelization at `level`. @throws {RegionError} when the level is not an integer in 0..24. */
  static of(level: number): HtmPixelization {
    if (!Number.isInteger(level) || level < 0 || level > HTM_MAX_LEVEL)
      throw new RegionError(`Invalid HTM level ${level}: it must be an integer from 0 to ${HTM_MAX_LEVEL}`);
    return new HtmPixelization(level);
  }

  /** The level of an HTM index, or -1 when `index` is not one. */
  static levelOf(index: number): number {
    if (!Number.isSafeInteger(index) || index < 8) return -1;
    const msb = index.toString(2).length - 1;
    // A valid index has its leading bit at an odd position 2·level + 3.
    if ((msb & 1) === 0 || msb === 1) return -1;
    const level = (msb - 3) >> 1;
    return level > HTM_MAX_LEVEL ? -1 : level;
  }

  /** The trixel with this index as a polygon. @throws {RegionError} when `index` is no HTM index. */
  static triangle(index: number): ConvexPolygon {
    const level = HtmPixelization.levelOf(index);
    if (level < 0) throw new RegionError(`Invalid HTM index ${index}`);
    let t: Trixel = ROOTS[Math.floor(index / 4 ** level) % 8] as Trixel;
    for (let l = level - 1; l >= 0; l--) t = children(t)[Math.floor(index / 4 ** l) % 4] as Trixel;
    return toPolygon(t);
  }

  /** The trixel's name: hemisphere, root and child digits (`N3`, `S01` …). @throws {RegionError} when invalid. */
  static asString(index: number): string {
    const level = HtmPixelization.levelOf(index);
    if (level < 0) throw new RegionError(`Invalid HTM index ${index}`);
    const root = Math.floor(index / 4 ** level) - 8;
    let name = `${root < 4 ? "S" : "N"}${root % 4}`;
    for (let l = level - 1; l >= 0; l--) name += String(Math.floor(index / 4 ** l) % 4);
    return name;
  }

  /** The index of the trixel containing `v` (sphgeom's assignment of points on trixel edges). */
  index(v: UnitVector3d): number {
    const { x, y, z } = v;
    let r: number;
    if (z < 0) {
      if (y > 0) r = x > 0 ? 0 : 1;
      else if (y === 0) r = x >= 0 ? 0 : 2;
      else r = x < 0 ? 2 : 3;
    } else if (y > 0) r = x > 0 ? 7 : 6;
    else if (y === 0) r = x >= 0 ? 7 : 5;
    else r = x < 0 ? 5 : 4;
    // Scalar locals rather than tuples: this loop runs once per level for every point indexed.
    const root = ROOTS[r] as Trixel;
    let [ax, ay, az] = root[0];
    let [bx, by, bz] = root[1];
    let [cx, cy, cz] = root[2];
    let index = r + 8;
    for (let l = 0; l < this.level; l++) {
      // m01 = midpoint(v0, v1), m20 = midpoint(v2, v0), m12 = midpoint(v1, v2), as sphgeom subdivides.
      let n = norm(ax + bx, ay + by, az + bz);
      const m01x = (ax + bx) / n;
      const m01y = (ay + by) / n;
      const m01z = (az + bz) / n;
      n = norm(cx + ax, cy + ay, cz + az);
      const m20x = (cx + ax) / n;
      const m20y = (cy + ay) / n;
      const m20z = (cz + az) / n;
      index *= 4;
      if (orient(x, y, z, m01x, m01y, m01z, m20x, m20y, m20z) >= 0) {
        bx = m01x;
        by = m01y;
        bz = m01z;
        cx = m20x;
        cy = m20y;
        cz = m20z;
        continue;
      }
      n = norm(bx + cx, by + cy, bz + cz);
      const m12x = (bx + cx) / n;
      const m12y = (by + cy) / n;
      const m12z = (bz + cz) / n;
      // Plain assignments: destructuring a fresh array here cost a third of the time.
      if (orient(x, y, z, m12x, m12y, m12z, m01x, m01y, m01z) >= 0) {
        ax = bx;
        ay = by;
        az = bz;
        bx = m12x;
        by = m12y;
        bz = m12z;
        cx = m01x;
        cy = m01y;
        cz = m01z;
        index += 1;
      } else if (orient(x, y, z, m20x, m20y, m20z, m12x, m12y, m12z) >= 0) {
        ax = cx;
        ay = cy;
        az = cz;
        bx = m20x;
        by = m20y;
        bz = m20z;
        cx = m12x;
        cy = m12y;
        cz = m12z;
        index += 2;
      } else {
        ax = m12x;
        ay = m12y;
        az = m12z;
        bx = m20x;
        by = m20y;
        bz = m20z;
        cx = m01x;
        cy = m01y;
        cz = m01z;
        index += 3;
      }
    }
    return index;
  }

  /**
   * Sorted, merged `[begin, end)` ranges of the trixels that may overlap `region`: every trixel touching it
   * is included, and a few more where `relate` cannot rule them out. With `maxRanges` > 0 the smallest
   * gaps between ranges are closed until no more than that many remain.
   */
  envelope(region: Region, maxRanges = 0): readonly PixelRange[] {
    return this.#find(region, false, maxRanges);
  }

  /**
   * Sorted, merged ranges of trixels certainly inside `region` (some inside trixels may be missing where
   * `relate` is conservative). With `maxRanges` > 0 only that many of the largest ranges are kept.
   */
  interior(region: Region, maxRanges = 0): readonly PixelRange[] {
    return this.#find(region, true, maxRanges);
  }

  #find(region: Region, interiorOnly: boolean, maxRanges: number): readonly PixelRange[] {
    const ranges = new PixelRangeBuilder();
    // Most trixels visited lie beside the region: comparing bounding caps rules them out without building
    // their polygons. The coarse levels' shapes are kept between calls.
    const bound = region.boundingCircle();
    const boundCenter = bound.center.toVec3();
    const bounded = bound.openingAngle >= 0 && bound.openingAngle < Math.PI;
    const visit = (t: Trixel, index: number, level: number): void => {
      const shape = shapeOf(t, index, level);
      if (bounded && shape.beyond(boundCenter, bound.openingAngle)) return;
      const r = relateRegions(region, shape.polygon);
      if (r & Relationship.DISJOINT) return;
      if (r & Relationship.CONTAINS) {
        const scale = 4 ** (this.level - level);
        ranges.add(index * scale, (index + 1) * scale);
      } else if (level === this.level) {
        if (!interiorOnly) ranges.add(index, index + 1);
      } else {
        const four = children(t);
        for (let k = 0; k < 4; k++) visit(four[k] as Trixel, index * 4 + k, level + 1);
      }
    };
    for (const [r, root] of ROOTS.entries()) visit(root, r + 8, 0);
    return ranges.build(maxRanges, !interiorOnly);
  }
}
