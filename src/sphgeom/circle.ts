import { RegionError } from "../errors.ts";
import type { Angle } from "./angle.ts";
import { Box } from "./box.ts";
import { decodeDoubles, encodeDoubles, TYPE_CODE } from "./codec.ts";
import { LonLat } from "./lon-lat.ts";
import type { Region } from "./region.ts";
import { relateRegions } from "./relate-regions.ts";
import type { Relationship } from "./relationship.ts";
import { UnitVector3d } from "./unit-vector-3d.ts";

/** Margin (radians) added to computed bounds so that rounding never makes them too small. */
const MARGIN = 1e-12;

/**
 * A spherical cap: the points within an opening angle of a center. Like sphgeom it keeps the squared
 * chord length 4 sin²(θ/2) for exact-enough containment tests; negative means empty, ≥ 4 means full.
 */
export class Circle implements Region {
  readonly kind = "circle" as const;
  readonly center: UnitVector3d;
  /** Squared length of the chord from the center to the edge: 4 sin²(openingAngle / 2). */
  readonly squaredChordLength: number;
  /** The opening angle (radius) in radians. */
  readonly openingAngle: number;

  private constructor(center: UnitVector3d, squaredChordLength: number, openingAngle: number) {
    this.center = center;
    this.squaredChordLength = squaredChordLength;
    this.openingAngle = openingAngle;
    Object.freeze(this);
  }

  /**
   * The circle of radius `radius` around `center`; a radius of π or more gives the full sphere.
   * @throws {RegionError} when the radius is negative.
   * @example Circle.of(LonLat.fromDegrees(150.1, 2.2), Angle.fromDegrees(0.2))
   */
  static of(center: UnitVector3d | LonLat, radius: Angle): Circle {
    const r = radius.radians;
    if (r < 0) throw new RegionError(`Invalid circle radius ${radius.degrees}°: it must not be negative`);
    const c = center instanceof LonLat ? center.toVector() : center;
    // Like sphgeom, keep the angle as given (even past π) so that encodings match byte for byte.
    if (r >= Math.PI) return new Circle(c, 4, r);
    const s = Math.sin(0.5 * r);
    return new Circle(c, 4 * s * s, r);
  }

  /** The empty circle (sphgeom writes it with center +z and both sizes -1). */
  static empty(): Circle {
    return new Circle(UnitVector3d.fromNormalized(0, 0, 1), -1, -1);
  }

  /** The circle covering the whole sphere. */
  static full(): Circle {
    return new Circle(UnitVector3d.fromNormalized(0, 0, 1), 4, Math.PI);
  }

  /** Decodes sphgeom's Circle encoding. @throws {RegionError} when the bytes are not one. */
  static decode(bytes: Uint8Array): Circle {
    const [x, y, z, scl, angle] = decodeDoubles(bytes, TYPE_CODE.circle, "Circle", 5) as number[];
    if (Number.isNaN(scl) || Number.isNaN(angle))
      throw new RegionError("Cannot decode a Circle whose size is NaN");
    return new Circle(
      UnitVector3d.fromNormalized(x as number, y as number, z as number),
      scl as number,
      angle as number,
    );
  }

  /** Whether no point is inside. */
  isEmpty(): boolean {
    return !(this.squaredChordLength >= 0);
  }

  /** Whether every point is inside. */
  isFull(): boolean {
    return this.squaredChordLength >= 4;
  }

  contains(v: UnitVector3d): boolean {
    if (this.isFull()) return true;
    const dx = v.x - this.center.x;
    const dy = v.y - this.center.y;
    const dz = v.z - this.center.z;
    return dx * dx + dy * dy + dz * dz <= this.squaredChordLength;
  }

  relate(other: Region): Relationship {
    return relateRegions(this, other);
  }

  boundingCircle(): Circle {
    return this;
  }

  boundingBox(): Box {
    if (this.isEmpty()) return Box.empty();
    if (this.isFull()) return Box.full();
    const c = LonLat.fromVector(this.center);
    const lat = c.lat.radians;
    const r = this.openingAngle + MARGIN;
    const latMin = Math.max(-Math.PI / 2, lat - r);
    const latMax = Math.min(Math.PI / 2, lat + r);
    if (lat + r >= Math.PI / 2 || lat - r <= -Math.PI / 2)
      return Box.fromRadians(0, 2 * Math.PI, latMin, latMax);
    // Half the longitude width of a cap that does not reach a pole: asin(sin r / cos lat).
    const halfWidth = Math.asin(Math.min(1, Math.sin(r) / Math.cos(lat))) + MARGIN;
    const lon = c.lon.radians;
    return Box.fromRadians(lon - halfWidth, lon + halfWidth, latMin, latMax);
  }

  encode(): Uint8Array {
    const { x, y, z } = this.center;
    return encodeDoubles(TYPE_CODE.circle, [x, y, z, this.squaredChordLength, this.openingAngle]);
  }
}
