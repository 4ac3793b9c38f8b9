import { Angle } from "./angle.ts";
import type { LonLat } from "./lon-lat.ts";
import { UnitVector3d } from "./unit-vector-3d.ts";
import { angleBetween } from "./vector-math.ts";

/**
 * The great-circle angle between two positions, accurate for tiny separations and near-antipodes alike.
 * @example separation(LonLat.fromDegrees(0, 0), LonLat.fromDegrees(90, 0)).degrees // 90
 */
export function separation(a: LonLat | UnitVector3d, b: LonLat | UnitVector3d): Angle {
  const u = a instanceof UnitVector3d ? a : a.toVector();
  const v = b instanceof UnitVector3d ? b : b.toVector();
  return Angle.fromRadians(angleBetween(u.toVec3(), v.toVec3()));
}
