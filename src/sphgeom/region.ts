import type { Box } from "./box.ts";
import type { Circle } from "./circle.ts";
import type { Relationship } from "./relationship.ts";
import type { UnitVector3d } from "./unit-vector-3d.ts";

/** The kinds of region, one per sphgeom region class. */
export type RegionKind = "circle" | "convex-polygon" | "box" | "ellipse" | "union" | "intersection";

/** A region of the unit sphere, as sphgeom's `Region`: point containment, relations, bounds, encoding. */
export interface Region {
  /** Which kind of region this is. */
  readonly kind: RegionKind;
  /** Whether the region contains the point (boundary points count as inside). */
  contains(v: UnitVector3d): boolean;
  /** How this region relates to `other`; see `Relationship` for which flags are certain. */
  relate(other: Region): Relationship;
  /** A circle containing the region (not always the smallest). */
  boundingCircle(): Circle;
  /** A lon/lat box containing the region (not always the smallest). */
  boundingBox(): Box;
  /** The sphgeom encoding of the region (the bytes daf_butler stores). */
  encode(): Uint8Array;
}
