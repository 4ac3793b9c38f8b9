import { RegionError } from "../errors.ts";
import { Angle } from "./angle.ts";
import { UnitVector3d } from "./unit-vector-3d.ts";

const TWO_PI = 2 * Math.PI;

/** A sky position: longitude (RA) normalized to [0, 2π) and latitude (Dec) in [-π/2, π/2]. Frozen. */
export class LonLat {
  readonly lon: Angle;
  readonly lat: Angle;

  private constructor(lon: Angle, lat: Angle) {
    this.lon = lon;
    this.lat = lat;
    Object.freeze(this);
  }

  /**
   * The position at `lon`, `lat` degrees; any finite longitude is wrapped into [0, 360).
   * @throws {RegionError} when a value is NaN or infinite, or the latitude is outside ±90°.
   * @example LonLat.fromDegrees(150.1, 2.2).toVector()
   */
  static fromDegrees(lon: number, lat: number): LonLat {
    if (!Number.isFinite(lon)) throw new RegionError(`Invalid longitude ${lon}°: it must be finite`);
    if (!(Math.abs(lat) <= 90)) throw new RegionError(`Invalid latitude ${lat}°: it must be within ±90°`);
    return LonLat.fromRadians((lon * Math.PI) / 180, (lat * Math.PI) / 180);
  }

  /** The position at `lon`, `lat` radians. @throws {RegionError} as `fromDegrees`. */
  static fromRadians(lon: number, lat: number): LonLat {
    if (!Number.isFinite(lon)) throw new RegionError(`Invalid longitude ${lon} rad: it must be finite`);
    if (!(Math.abs(lat) <= Math.PI / 2))
      throw new RegionError(`Invalid latitude ${lat} rad: it must be within ±π/2`);
    let wrapped = lon % TWO_PI;
    if (wrapped < 0) wrapped += TWO_PI;
    // -1e-17 % 2π + 2π rounds to 2π, which is outside [0, 2π).
    if (wrapped >= TWO_PI) wrapped = 0;
    return new LonLat(Angle.fromRadians(wrapped), Angle.fromRadians(lat));
  }

  /** The position a unit vector points to. */
  static fromVector(v: UnitVector3d): LonLat {
    const lat = Math.atan2(v.z, Math.hypot(v.x, v.y));
    const lon = v.x === 0 && v.y === 0 ? 0 : Math.atan2(v.y, v.x);
    return LonLat.fromRadians(lon, lat);
  }

  /** The unit vector pointing at this position. */
  toVector(): UnitVector3d {
    return UnitVector3d.fromLonLatRadians(this.lon.radians, this.lat.radians);
  }
}
