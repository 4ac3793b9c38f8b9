import { RegionError } from "../errors.ts";
import { Angle } from "./angle.ts";
import { Circle } from "./circle.ts";
import { type PixelRange, PixelRangeBuilder } from "./pixel-ranges.ts";
import type { Region } from "./region.ts";
import { relateRegions } from "./relate-regions.ts";
import { Relationship } from "./relationship.ts";
import { UnitVector3d } from "./unit-vector-3d.ts";
import { angleBetween, type Vec3 } from "./vector-math.ts";

/** The deepest HEALPix order (nside = 2^29) whose indices fit in 64 bits, as in healpy and sphgeom. */
export const HEALPIX_MAX_ORDER = 29;

/** Above this order pixel indices can pass 2^53 and need `bigint`. */
const MAX_NUMBER_ORDER = 24;

/** HEALPix pixel numbering: `nested` (hierarchical, sphgeom's and daf_butler's) or `ring`. */
export type HealpixScheme = "nested" | "ring";

// Ring number (in units of nside) and longitude offset of the first pixel of each of the 12 base faces.
const JRLL = [2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4];
const JPLL = [1, 3, 5, 7, 0, 2, 4, 6, 1, 3, 5, 7];

/** Bits of a 16-bit integer spread to the even bit positions of a 32-bit one. */
function spread16(v: number): number {
  let x = v & 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x >>> 0;
}

/** Position of a point inside the HEALPix base faces: face 0..11 and (ix, iy) in [0, nside). */
interface FacePosition {
  readonly face: number;
  readonly ix: number;
  readonly iy: number;
}

/**
 * The HEALPix grid at one order (nside = 2^order) in the nested or ring scheme (Górski et al. 2005), with
 * the pixel numbers of healpy and sphgeom's `HealpixPixelization`.
 * @example HealpixPixelization.of(10).index(LonLat.fromDegrees(150, 2).toVector())
 */
export class HealpixPixelization {
  readonly order: number;
  readonly scheme: HealpixScheme;
  readonly nside: number;

  private constructor(order: number, scheme: HealpixScheme) {
    this.order = order;
    this.scheme = scheme;
    this.nside = 2 ** order;
    Object.freeze(this);
  }

  /** The grid at `order`. @throws {RegionError} when the order is not an integer in 0..29. */
  static of(order: number, scheme: HealpixScheme = "nested"): HealpixPixelization {
    if (!Number.isInteger(order) || order < 0 || order > HEALPIX_MAX_ORDER)
      throw new RegionError(
        `Invalid HEALPix order ${order}: it must be an integer from 0 to ${HEALPIX_MAX_ORDER}`,
      );
    return new HealpixPixelization(order, scheme);
  }

  /**
   * The index of the pixel containing `v`, as a number.
   * @throws {RegionError} above order 24, where indices can pass 2^53: use `indexBigInt` there.
   */
  index(v: UnitVector3d): number {
    this.#checkNumberOrder();
    const p = this.#facePosition(v);
    return this.scheme === "nested" ? this.#nestedNumber(p) : Number(this.#ring(p));
  }

  /** The index of the pixel containing `v`, as a bigint (any order). */
  indexBigInt(v: UnitVector3d): bigint {
    const p = this.#facePosition(v);
    if (this.scheme === "ring") return this.#ring(p);
    const { low, high } = interleave(p.ix, p.iy);
    return (BigInt(p.face) << BigInt(2 * this.order)) + (BigInt(high) << 32n) + BigInt(low);
  }

  /** The center of nested pixel `index` (order ≤ 24). @throws {RegionError} for an index out of range. */
  pixelCenter(index: number): UnitVector3d {
    this.#checkNumberOrder();
    const count = 12 * 4 ** this.order;
    if (!Number.isSafeInteger(index) || index < 0 || index >= count)
      throw new RegionError(
        `Invalid HEALPix order ${this.order} index ${index}: it must be from 0 to ${count - 1}`,
      );
    const perFace = 4 ** this.order;
    const face = Math.floor(index / perFace);
    const { ix, iy } = deinterleave(index - face * perFace);
    return faceToVector(face, (ix + 0.5) / this.nside, (iy + 0.5) / this.nside);
  }

  /**
   * Sorted, merged ranges of nested pixel indices that may overlap `region`, found by walking the pixel
   * hierarchy with a bounding circle per pixel (so a few pixels beyond the region's edge can be included).
   * @throws {RegionError} for the ring scheme (its ranges are not hierarchical) or above order 24.
   */
  envelope(region: Region, maxRanges = 0): readonly PixelRange[] {
    return this.#find(region, false, maxRanges);
  }

  /** Sorted, merged ranges of nested pixels certainly inside `region`. @throws {RegionError} as `envelope`. */
  interior(region: Region, maxRanges = 0): readonly PixelRange[] {
    return this.#find(region, true, maxRanges);
  }

  #find(region: Region, interiorOnly: boolean, maxRanges: number): readonly PixelRange[] {
    this.#checkNumberOrder();
    if (this.scheme !== "nested")
      throw new RegionError("HEALPix envelopes and interiors need the nested scheme", {
        hint: 'Use HealpixPixelization.of(order, "nested").',
      });
    const ranges = new PixelRangeBuilder();
    const visit = (face: number, ix: number, iy: number, order: number, index: number): void => {
      const nside = 2 ** order;
      const center = faceToVector(face, (ix + 0.5) / nside, (iy + 0.5) / nside);
      const r = relateRegions(region, Circle.of(center, Angle.fromRadians(maxPixelRadius(order))));
      if (r & Relationship.DISJOINT) return;
      if (r & Relationship.CONTAINS) {
        const scale = 4 ** (this.order - order);
        ranges.add(index * scale, (index + 1) * scale);
      } else if (order === this.order) {
        if (!interiorOnly) ranges.add(index, index + 1);
      } else {
        for (let k = 0; k < 4; k++)
          visit(face, 2 * ix + (k & 1), 2 * iy + (k >> 1), order + 1, index * 4 + k);
      }
    };
    for (let face = 0; face < 12; face++) visit(face, 0, 0, 0, face);
    return ranges.build(maxRanges, !interiorOnly);
  }

  #checkNumberOrder(): void {
    if (this.order > MAX_NUMBER_ORDER)
      throw new RegionError(`HEALPix order ${this.order} indices may not fit a number`, {
        hint: "Use indexBigInt() for orders above 24.",
      });
  }

  #nestedNumber({ face, ix, iy }: FacePosition): number {
    const { low, high } = interleave(ix, iy);
    return face * 4 ** this.order + high * 2 ** 32 + low;
  }

  // The classic ang2pix split: equatorial zone |z| ≤ 2/3 and the polar caps, where the distance from the
  // pole is computed from sqrt(x² + y²) so that points near a pole keep their precision.
  #facePosition(v: UnitVector3d): FacePosition {
    const nside = this.nside;
    const z = v.z;
    const za = Math.abs(z);
    let tt = (Math.atan2(v.y, v.x) * 2) / Math.PI;
    if (tt < 0) tt += 4;
    if (tt >= 4) tt -= 4;
    if (za <= 2 / 3) {
      const t1 = nside * (0.5 + tt);
      const t2 = nside * z * 0.75;
      const jp = Math.floor(t1 - t2);
      const jm = Math.floor(t1 + t2);
      const ifp = Math.floor(jp / nside);
      const ifm = Math.floor(jm / nside);
      // ifp = ifm = 4 is the wrap past longitude 360°: equatorial face 4, hence | rather than +.
      const face = ifp === ifm ? ifp | 4 : ifp < ifm ? ifp : ifm + 8;
      return { face, ix: jm % nside, iy: nside - (jp % nside) - 1 };
    }
    const ntt = Math.min(3, Math.floor(tt));
    const tp = tt - ntt;
    const sth = Math.hypot(v.x, v.y);
    const tmp = nside * sth * Math.sqrt(3 / (1 + za));
    const jp = Math.min(nside - 1, Math.floor(tp * tmp));
    const jm = Math.min(nside - 1, Math.floor((1 - tp) * tmp));
    return z >= 0 ? { face: ntt, ix: nside - jm - 1, iy: nside - jp - 1 } : { face: ntt + 8, ix: jp, iy: jm };
  }

  #ring({ face, ix, iy }: FacePosition): bigint {
    const nside = BigInt(this.nside);
    const nl4 = 4n * nside;
    const jr = BigInt(JRLL[face] as number) * nside - BigInt(ix) - BigInt(iy) - 1n;
    let nr: bigint;
    let before: bigint;
    let shift = 0n;
    if (jr < nside) {
      nr = jr;
      before = 2n * nr * (nr - 1n);
    } else if (jr > 3n * nside) {
      nr = nl4 - jr;
      before = 12n * nside * nside - 2n * (nr + 1n) * nr;
    } else {
      nr = nside;
      before = 2n * nside * (nside - 1n) + (jr - nside) * nl4;
      shift = (jr - nside) & 1n;
    }
    let jp = (BigInt(JPLL[face] as number) * nr + BigInt(ix) - BigInt(iy) + 1n + shift) / 2n;
    if (jp > nl4) jp -= nl4;
    else if (jp < 1n) jp += nl4;
    return before + jp - 1n;
  }
}

/** Interleaves the bits of x (even positions) and y (odd positions), each below 2^29, as two 32-bit halves. */
function interleave(x: number, y: number): { low: number; high: number } {
  const low = (spread16(x) | (spread16(y) << 1)) >>> 0;
  const high = (spread16(Math.floor(x / 65536)) | (spread16(Math.floor(y / 65536)) << 1)) >>> 0;
  return { low, high };
}

/** Inverse of `interleave` for a nested index within one face (below 2^48). */
function deinterleave(n: number): { ix: number; iy: number } {
  let ix = 0;
  let iy = 0;
  let rest = n;
  for (let bit = 1; rest > 0; bit *= 2) {
    const pair = rest % 4;
    ix += (pair & 1) * bit;
    iy += (pair >> 1) * bit;
    rest = Math.floor(rest / 4);
  }
  return { ix, iy };
}

/** The point at face coordinates (x, y) in [0, 1]² of base face `face` (HEALPix's xyf2loc). */
function faceToVector(face: number, x: number, y: number): UnitVector3d {
  const jr = (JRLL[face] as number) - x - y;
  let nr: number;
  let z: number;
  let sth: number;
  if (jr < 1) {
    nr = jr;
    const tmp = (nr * nr) / 3;
    z = 1 - tmp;
    sth = Math.sqrt(tmp * (2 - tmp));
  } else if (jr > 3) {
    nr = 4 - jr;
    const tmp = (nr * nr) / 3;
    z = tmp - 1;
    sth = Math.sqrt(tmp * (2 - tmp));
  } else {
    nr = 1;
    z = ((2 - jr) * 2) / 3;
    sth = Math.sqrt((1 - z) * (1 + z));
  }
  let t = (JPLL[face] as number) * nr + x - y;
  if (t < 0) t += 8;
  if (t >= 8) t -= 8;
  const phi = nr < 1e-15 ? 0 : (Math.PI / 4) * (t / nr);
  return UnitVector3d.of(sth * Math.cos(phi), sth * Math.sin(phi), z);
}

/**
 * An upper bound on the distance from a pixel's center to any of its points at `order`: HEALPix's
 * max_pixrad (the worst center-to-corner distance) with 10% to spare, since pixel edges are not great circles.
 */
function maxPixelRadius(order: number): number {
  const nside = 2 ** order;
  const a = faceZPhi(2 / 3, Math.PI / (4 * nside));
  const t = (1 - 1 / nside) ** 2;
  const b = faceZPhi(1 - t / 3, 0);
  // atan2 of cross and dot keeps precision for the tiny pixels of high orders, where acos would not.
  return 1.1 * angleBetween(a, b);
}

function faceZPhi(z: number, phi: number): Vec3 {
  const s = Math.sqrt((1 - z) * (1 + z));
  return [s * Math.cos(phi), s * Math.sin(phi), z];
}
