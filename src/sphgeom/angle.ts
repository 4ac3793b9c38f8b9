import { RegionError } from "../errors.ts";

/** An angle, stored in radians; `Angle.fromDegrees(1).degrees === 1`. */
export class Angle {
  /** The angle in radians. */
  readonly radians: number;

  private constructor(radians: number) {
    this.radians = radians;
    Object.freeze(this);
  }

  /** An angle of `radians`. @throws {RegionError} when it is NaN or infinite. */
  static fromRadians(radians: number): Angle {
    if (!Number.isFinite(radians)) throw new RegionError(`Invalid angle: ${radians} radians is not finite`);
    return new Angle(radians);
  }

  /** An angle of `degrees`. @throws {RegionError} when it is NaN or infinite. */
  static fromDegrees(degrees: number): Angle {
    if (!Number.isFinite(degrees)) throw new RegionError(`Invalid angle: ${degrees} degrees is not finite`);
    return new Angle((degrees * Math.PI) / 180);
  }

  /** The angle in degrees. */
  get degrees(): number {
    return (this.radians * 180) / Math.PI;
  }
}
