import { describe, expect, it } from "vitest";
import { ConvexPolygon } from "./convex-polygon.ts";
import { LonLat } from "./lon-lat.ts";

const at = (lon: number, lat: number) => LonLat.fromDegrees(lon, lat);
const deg = (radians: number) => (radians * 180) / Math.PI;

describe("ConvexPolygon.boundingBox()", () => {
  it("wraps across RA 0 and includes the bulge of edges toward the pole", () => {
    const box = ConvexPolygon.of([at(359, 0), at(1, 0), at(1, 1), at(359, 1)]).boundingBox();
    expect(deg(box.lonA)).toBeCloseTo(359, 9);
    expect(deg(box.lonB)).toBeCloseTo(1, 9);
    expect(deg(box.latA)).toBeCloseTo(0, 9);
    // The great circle through (359°, 1°) and (1°, 1°) rises to atan(tan 1° / cos 1°).
    expect(deg(box.latB)).toBeCloseTo(deg(Math.atan(Math.tan(Math.PI / 180) / Math.cos(Math.PI / 180))), 9);
    expect(box.contains(at(0, 1.0001).toVector())).toBe(true);
  });

  it("spans every longitude when the polygon holds a pole", () => {
    const box = ConvexPolygon.of([at(0, 80), at(120, 80), at(240, 80)]).boundingBox();
    expect(box.isFullLon()).toBe(true);
    expect(deg(box.latB)).toBe(90);
    expect(deg(box.latA)).toBeCloseTo(80, 9);
  });

  it("stays tight near a pole without holding it", () => {
    const box = ConvexPolygon.of([at(10, 85), at(100, 85), at(55, 88)]).boundingBox();
    expect(deg(box.lonA)).toBeCloseTo(10, 9);
    expect(deg(box.lonB)).toBeCloseTo(100, 9);
    expect(deg(box.latB)).toBeCloseTo(88, 9);
    expect(deg(box.latA)).toBeCloseTo(85, 9);
  });
});
