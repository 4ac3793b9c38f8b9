import { describe, expect, it } from "vitest";
import { Angle } from "./angle.ts";
import { Circle } from "./circle.ts";
import { encodeDoubles, TYPE_CODE } from "./codec.ts";
import { decodeRegion } from "./decode-region.ts";
import type { Ellipse } from "./ellipse.ts";
import { LonLat } from "./lon-lat.ts";
import { Relationship } from "./relationship.ts";
import { UnitVector3d } from "./unit-vector-3d.ts";

/** sphgeom's encoding of the ellipse centered on +z with semi-axes alpha (along x) and beta (along y). */
function ellipseBytes(alpha: number, beta: number): Uint8Array {
  const a = alpha - Math.PI / 2;
  const b = beta - Math.PI / 2;
  const gamma = Math.acos(Math.cos(alpha) / Math.cos(beta));
  return encodeDoubles(TYPE_CODE.ellipse, [
    1,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    1,
    a,
    b,
    gamma,
    Math.abs(Math.tan(a)),
    Math.abs(Math.tan(b)),
  ]);
}

const toward = (axis: "x" | "y", angle: number) =>
  axis === "x"
    ? UnitVector3d.of(Math.sin(angle), 0, Math.cos(angle))
    : UnitVector3d.of(0, Math.sin(angle), Math.cos(angle));

describe("Ellipse (decoded from sphgeom bytes)", () => {
  const bytes = ellipseBytes(0.2, 0.1);
  const ellipse = decodeRegion(bytes) as Ellipse;

  it("re-encodes to the same bytes and reports its center and semi-axes", () => {
    expect(ellipse.kind).toBe("ellipse");
    expect(ellipse.encode()).toEqual(bytes);
    expect(ellipse.center.z).toBe(1);
    expect(ellipse.semiAxes[0]).toBeCloseTo(0.2, 15);
  });

  it("contains() follows the two semi-axes", () => {
    expect(ellipse.contains(toward("x", 0.19))).toBe(true);
    expect(ellipse.contains(toward("x", 0.21))).toBe(false);
    expect(ellipse.contains(toward("y", 0.09))).toBe(true);
    expect(ellipse.contains(toward("y", 0.11))).toBe(false);
  });

  it("relate() uses the bounding circle, so only DISJOINT and WITHIN are claimed", () => {
    const far = Circle.of(LonLat.fromDegrees(0, 0), Angle.fromDegrees(1));
    const around = Circle.of(UnitVector3d.of(0, 0, 1), Angle.fromRadians(0.5));
    const inside = Circle.of(UnitVector3d.of(0, 0, 1), Angle.fromRadians(0.01));
    expect(ellipse.relate(far)).toBe(Relationship.DISJOINT);
    expect(ellipse.relate(around)).toBe(Relationship.WITHIN);
    expect(ellipse.relate(inside)).toBe(Relationship.INTERSECTS);
    expect(around.relate(ellipse)).toBe(Relationship.CONTAINS);
  });
});
