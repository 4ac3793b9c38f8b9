import { RegionError } from "../errors.ts";
import type { Vec3 } from "./vector-math.ts";

/** A direction on the unit sphere (x, y, z with x² + y² + z² = 1). Frozen. */
export class UnitVector3d {
  readonly x: number;
  readonly y: number;
  readonly z: number;

  private constructor(x: number, y: number, z: number) {
    this.x = x;
    this.y = y;
    this.z = z;
    Object.freeze(this);
  }

  /**
   * The unit vector along (x, y, z), normalized.
   * @throws {RegionError} when a component is NaN or infinite, or the vector is zero.
   */
  static of(x: number, y: number, z: number): UnitVector3d {
    if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z)))
      throw new RegionError(`Invalid vector (${x}, ${y}, ${z}): components must be finite`);
    const norm = Math.hypot(x, y, z);
    if (norm === 0) throw new RegionError("Invalid vector (0, 0, 0): a direction cannot be the zero vector");
    return new UnitVector3d(x / norm, y / norm, z / norm);
  }

  /**
   * The vector (x, y, z) taken as already normalized, as sphgeom's decoders do; the components are kept
   * bit for bit so that re-encoding gives the same bytes.
   * @throws {RegionError} when a component is not finite or the length is far from 1.
   */
  static fromNormalized(x: number, y: number, z: number): UnitVector3d {
    const squaredNorm = x * x + y * y + z * z;
    // Only a loose check: sphgeom writes vectors normalized to within a few ulps.
    if (!(Math.abs(squaredNorm - 1) < 1e-9))
      throw new RegionError(`Invalid unit vector (${x}, ${y}, ${z}): its length is not 1`);
    return new UnitVector3d(x, y, z);
  }

  /** The unit vector at longitude `lon` and latitude `lat` (radians), unchecked: see `LonLat` for checks. */
  static fromLonLatRadians(lon: number, lat: number): UnitVector3d {
    const cosLat = Math.cos(lat);
    return new UnitVector3d(Math.cos(lon) * cosLat, Math.sin(lon) * cosLat, Math.sin(lat));
  }

  /** Dot product with another vector. */
  dot(other: UnitVector3d): number {
    return this.x * other.x + this.y * other.y + this.z * other.z;
  }

  /** The antipode. */
  negated(): UnitVector3d {
    return new UnitVector3d(-this.x, -this.y, -this.z);
  }

  /** The components as a plain tuple. */
  toVec3(): Vec3 {
    return [this.x, this.y, this.z];
  }

  /** Whether the components are exactly equal. */
  equals(other: UnitVector3d): boolean {
    return this.x === other.x && this.y === other.y && this.z === other.z;
  }
}
