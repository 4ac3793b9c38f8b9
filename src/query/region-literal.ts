import { RegionError } from "../errors.ts";
import { Angle } from "../sphgeom/angle.ts";
import { Box } from "../sphgeom/box.ts";
import { Circle } from "../sphgeom/circle.ts";
import { CompoundRegion } from "../sphgeom/compound-region.ts";
import { ConvexPolygon } from "../sphgeom/convex-polygon.ts";
import { decodeRegion } from "../sphgeom/decode-region.ts";
import { Ellipse } from "../sphgeom/ellipse.ts";
import { LonLat } from "../sphgeom/lon-lat.ts";
import type { Region } from "../sphgeom/region.ts";

/** The region functions of the `where` language. */
export type RegionFunction = "POINT" | "CIRCLE" | "BOX" | "POLYGON";

/** Most vertices a POLYGON literal may have: the query carries the region, so it must stay small. */
const MAX_POLYGON_VERTICES = 1000;

/**
 * The region of a `POINT`, `CIRCLE`, `BOX` or `POLYGON` call, from its arguments in degrees. A point is a
 * circle of radius 0 (it overlaps the regions that contain it). A polygon's vertices are taken in the
 * order given, either way round; unlike daf_butler, which takes their convex hull, a polygon that is not
 * convex is refused rather than silently replaced by a larger one.
 * @throws {RegionError} naming the value: a NaN or infinite number, a latitude outside ±90°, a negative
 *   or over-180° radius, a negative or over-360°×180° box, a polygon whose vertices repeat, that is not
 *   convex or that has more than {@link MAX_POLYGON_VERTICES} vertices.
 */
export function regionOfCall(name: RegionFunction, args: readonly number[]): Region {
  for (const value of args)
    if (!Number.isFinite(value))
      throw new RegionError(`Invalid ${name}() argument ${value}: it must be a finite number`);
  const [lon, lat, a, b] = args as [number, number, number, number];
  switch (name) {
    case "POINT":
      return pointRegion(LonLat.fromDegrees(lon, lat));
    case "CIRCLE":
      if (a < 0 || a > 180)
        throw new RegionError(`Invalid circle radius ${a}°: it must be between 0° and 180°`);
      return Circle.of(LonLat.fromDegrees(lon, lat), Angle.fromDegrees(a));
    case "BOX":
      if (a > 360 || b > 180)
        throw new RegionError(`Invalid box size ${a}° × ${b}°: at most 360° wide and 180° high`);
      LonLat.fromDegrees(lon, lat);
      return Box.aroundDegrees(lon, lat, a, b);
    case "POLYGON":
      return polygon(args);
  }
}

/** A position as a region: the circle of radius 0 around it, which overlaps exactly the regions holding it. */
export function pointRegion(position: LonLat): Region {
  return Circle.of(position, Angle.fromDegrees(0));
}

function polygon(args: readonly number[]): ConvexPolygon {
  if (args.length % 2 !== 0 || args.length < 6)
    throw new RegionError(
      `Invalid polygon: ${args.length} numbers given; it needs 3 or more (ra, dec) pairs`,
    );
  if (args.length / 2 > MAX_POLYGON_VERTICES)
    throw new RegionError(
      `Invalid polygon: ${args.length / 2} vertices is more than the ${MAX_POLYGON_VERTICES} a query takes`,
    );
  const vertices: LonLat[] = [];
  for (let i = 0; i < args.length; i += 2)
    vertices.push(LonLat.fromDegrees(args[i] as number, args[i + 1] as number));
  return ConvexPolygon.of(vertices);
}

/**
 * The region of an IVOA SIAv2 `POS` string, as `REGION('...')` takes it: `CIRCLE ra dec radius`,
 * `RANGE ra1 ra2 dec1 dec2` (`-Inf`/`+Inf` for open ends) or `POLYGON ra1 dec1 ra2 dec2 ...`, in degrees.
 * @throws {RegionError} for another shape, a wrong number of values, a value that is not a number, and
 *   the problems {@link regionOfCall} reports.
 */
export function regionOfPos(pos: string): Region {
  const [shape = "", ...words] = pos.trim().split(/\s+/);
  const numbers = words.map((word) => {
    const value = /^[+-]?inf$/i.test(word) ? (word.startsWith("-") ? -Infinity : Infinity) : Number(word);
    if (Number.isNaN(value) || word === "")
      throw new RegionError(`Invalid POS string "${pos}": "${word}" is not a number`);
    return value;
  });
  const count = (n: number) => {
    if (numbers.length !== n)
      throw new RegionError(
        `Invalid POS string "${pos}": ${shape} takes ${n} numbers, not ${numbers.length}`,
      );
  };
  switch (shape.toUpperCase()) {
    case "CIRCLE":
      count(3);
      return regionOfCall("CIRCLE", numbers);
    case "RANGE": {
      count(4);
      const [lon1, lon2, lat1, lat2] = numbers as [number, number, number, number];
      const fullLon = !Number.isFinite(lon1) || !Number.isFinite(lon2);
      return Box.fromDegrees(
        fullLon ? 0 : lon1,
        fullLon ? 360 : lon2,
        Number.isFinite(lat1) ? lat1 : -90,
        Number.isFinite(lat2) ? lat2 : 90,
      );
    }
    case "POLYGON":
      return polygon(numbers);
    default:
      throw new RegionError(
        `Invalid POS string "${pos}": the shape must be CIRCLE, RANGE or POLYGON, not "${shape}"`,
      );
  }
}

/** Whether a bound value is a sphgeom region (Circle, ConvexPolygon, SkyBox, Ellipse or a compound). */
export function isRegion(value: unknown): value is Region {
  return (
    value instanceof Circle ||
    value instanceof ConvexPolygon ||
    value instanceof Box ||
    value instanceof Ellipse ||
    value instanceof CompoundRegion
  );
}

/** A region as a query literal: the hex of its sphgeom encoding, as registry `region` columns hold it. */
export function regionLiteralValue(region: Region): string {
  return Buffer.from(region.encode()).toString("hex");
}

/** The region of a literal made by {@link regionLiteralValue}. */
export function regionOfLiteral(value: string): Region {
  return decodeRegion(Uint8Array.from(Buffer.from(value, "hex")));
}
