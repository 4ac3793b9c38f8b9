import { RegionError } from "../errors.ts";
import { Angle } from "./angle.ts";
import { Circle } from "./circle.ts";
import { decodeDoubles, encodeDoubles, TYPE_CODE } from "./codec.ts";
import { LonLat } from "./lon-lat.ts";
import type { Region } from "./region.ts";
import { relateRegions } from "./relate-regions.ts";
import type { Relationship } from "./relationship.ts";
import type { UnitVector3d } from "./unit-vector-3d.ts";
import { angleBetween, type Vec3 } from "./vector-math.ts";

const TWO_PI = 2 * Math.PI;
const HALF_PI = Math.PI / 2;
const MARGIN = 1e-12;

/** A plain longitude segment [a, b] inside [0, 2π]. */
type Segment = readonly [number, number];

function wrap(lon: number): number {
  const w = lon % TWO_PI;
  const v = w < 0 ? w + TWO_PI : w;
  return v >= TWO_PI ? 0 : v;
}

/**
 * A longitude/latitude box, as sphgeom's `Box`: longitudes [lonA, lonB] counter-clockwise from lonA (so
 * lonA > lonB wraps through RA 0/360; [0, 2π] is every longitude) and latitudes [latA, latB].
 */
export class Box implements Region {
  readonly kind = "box" as const;
  readonly lonA: number;
  readonly lonB: number;
  readonly latA: number;
  readonly latB: number;

  private constructor(lonA: number, lonB: number, latA: number, latB: number) {
    this.lonA = lonA;
    this.lonB = lonB;
    this.latA = latA;
    this.latB = latB;
    Object.freeze(this);
  }

  /**
   * The box from longitude `lon1` to `lon2` (counter-clockwise, so 350 to 10 crosses RA 0; a span of 360 or
   * more is every longitude) and latitude `lat1` to `lat2`, in degrees.
   * @throws {RegionError} when a value is not finite, a latitude is outside ±90°, or lat1 > lat2.
   * @example Box.fromDegrees(350, 10, -5, 5)
   */
  static fromDegrees(lon1: number, lon2: number, lat1: number, lat2: number): Box {
    const rad = Math.PI / 180;
    for (const lat of [lat1, lat2])
      if (!(Math.abs(lat) <= 90)) throw new RegionError(`Invalid latitude ${lat}°: it must be within ±90°`);
    for (const lon of [lon1, lon2])
      if (!Number.isFinite(lon)) throw new RegionError(`Invalid longitude ${lon}°: it must be finite`);
    if (lat1 > lat2) throw new RegionError(`Invalid box latitudes [${lat1}°, ${lat2}°]: the first is larger`);
    return Box.fromRadians(lon1 * rad, lon2 * rad, lat1 * rad, lat2 * rad);
  }

  /**
   * The box centered on (`lon`, `lat`) that is `width` wide in longitude and `height` high in latitude, in
   * degrees, as daf_butler's `BOX(ra, dec, width, height)`; latitudes past a pole are clipped to it.
   * @throws {RegionError} when a value is not finite, the latitude is outside ±90° or a size is negative.
   */
  static aroundDegrees(lon: number, lat: number, width: number, height: number): Box {
    const center = LonLat.fromDegrees(lon, lat);
    for (const size of [width, height])
      if (!(size >= 0) || !Number.isFinite(size))
        throw new RegionError(`Invalid box size ${size}°: it must be finite and not negative`);
    const halfWidth = (width * Math.PI) / 360;
    const halfHeight = (height * Math.PI) / 360;
    const c = center.lon.radians;
    const l = center.lat.radians;
    return Box.fromRadians(c - halfWidth, c + halfWidth, l - halfHeight, l + halfHeight);
  }

  /** As `fromDegrees`, in radians, without the checks (for computed bounds). */
  static fromRadians(lon1: number, lon2: number, lat1: number, lat2: number): Box {
    const latA = Math.max(-HALF_PI, lat1);
    const latB = Math.min(HALF_PI, lat2);
    if (lon2 - lon1 >= TWO_PI) return new Box(0, TWO_PI, latA, latB);
    return new Box(wrap(lon1), wrap(lon2), latA, latB);
  }

  /** The box holding no point. */
  static empty(): Box {
    return new Box(Number.NaN, Number.NaN, 1, 0);
  }

  /** The box of the whole sphere. */
  static full(): Box {
    return new Box(0, TWO_PI, -HALF_PI, HALF_PI);
  }

  /** Decodes sphgeom's Box encoding. @throws {RegionError} when the bytes are not one. */
  static decode(bytes: Uint8Array): Box {
    const [lonA, lonB, latA, latB] = decodeDoubles(bytes, TYPE_CODE.box, "Box", 4) as [
      number,
      number,
      number,
      number,
    ];
    return new Box(lonA, lonB, latA, latB);
  }

  /** Whether no point is inside. */
  isEmpty(): boolean {
    return !(this.latA <= this.latB) || Number.isNaN(this.lonA) || Number.isNaN(this.lonB);
  }

  /** Whether every longitude is inside. */
  isFullLon(): boolean {
    return this.lonB - this.lonA >= TWO_PI;
  }

  /** The longitude interval as one or two plain segments. */
  lonSegments(): Segment[] {
    if (this.isFullLon()) return [[0, TWO_PI]];
    if (this.lonA <= this.lonB) return [[this.lonA, this.lonB]];
    return [
      [this.lonA, TWO_PI],
      [0, this.lonB],
    ];
  }

  contains(v: UnitVector3d): boolean {
    if (this.isEmpty()) return false;
    const p = LonLat.fromVector(v);
    const lat = p.lat.radians;
    if (lat < this.latA || lat > this.latB) return false;
    const lon = p.lon.radians;
    return this.lonSegments().some(([a, b]) => lon >= a && lon <= b);
  }

  relate(other: Region): Relationship {
    return relateRegions(this, other);
  }

  /**
   * A circle around the box: the smaller of a polar cap and a cap centered on the box whose radius reaches
   * the farthest corner (for a box under π wide the farthest points from its center are corners).
   */
  boundingCircle(): Circle {
    if (this.isEmpty()) return Circle.empty();
    const north = HALF_PI - this.latA;
    const south = this.latB + HALF_PI;
    const polar =
      north <= south
        ? Circle.of(LonLat.fromRadians(0, HALF_PI).toVector(), Angle.fromRadians(north + MARGIN))
        : Circle.of(LonLat.fromRadians(0, -HALF_PI).toVector(), Angle.fromRadians(south + MARGIN));
    const [[a, b]] = this.lonSegments() as [Segment];
    const width = this.isFullLon() ? TWO_PI : this.lonA <= this.lonB ? b - a : TWO_PI - this.lonA + this.lonB;
    if (width > Math.PI) return polar;
    const centerLon = this.lonA + width / 2;
    const center = LonLat.fromRadians(centerLon, (this.latA + this.latB) / 2).toVector();
    const c: Vec3 = center.toVec3();
    let radius = 0;
    for (const lon of [this.lonA, this.lonA + width])
      for (const lat of [this.latA, this.latB])
        radius = Math.max(radius, angleBetween(c, LonLat.fromRadians(lon, lat).toVector().toVec3()));
    return radius + MARGIN < polar.openingAngle
      ? Circle.of(center, Angle.fromRadians(radius + MARGIN))
      : polar;
  }

  boundingBox(): Box {
    return this;
  }

  encode(): Uint8Array {
    return encodeDoubles(TYPE_CODE.box, [this.lonA, this.lonB, this.latA, this.latB]);
  }
}
