import { Angle } from "./angle.ts";
import type { Box } from "./box.ts";
import { Circle } from "./circle.ts";
import { decodeDoubles, encodeDoubles, TYPE_CODE } from "./codec.ts";
import type { Region } from "./region.ts";
import { relateRegions } from "./relate-regions.ts";
import type { Relationship } from "./relationship.ts";
import { UnitVector3d } from "./unit-vector-3d.ts";

/**
 * A spherical ellipse in sphgeom's representation: a rotation S taking the center to +z, the semi-axis
 * angles minus π/2 (a, b), the focal half-separation γ and |tan a|, |tan b|. Only decoded from sphgeom
 * bytes for now (no constructor from center and axes); relations use its bounding circle, as sphgeom does.
 */
export class Ellipse implements Region {
  readonly kind = "ellipse" as const;
  /** The 14 stored numbers: S row by row, a, b, γ, |tan a|, |tan b|. */
  readonly fields: readonly number[];

  private constructor(fields: readonly number[]) {
    this.fields = Object.freeze([...fields]);
    Object.freeze(this);
  }

  /** Decodes sphgeom's Ellipse encoding. @throws {RegionError} when the bytes are not one. */
  static decode(bytes: Uint8Array): Ellipse {
    return new Ellipse(decodeDoubles(bytes, TYPE_CODE.ellipse, "Ellipse", 14));
  }

  /** The center (third row of S). */
  get center(): UnitVector3d {
    const f = this.fields;
    return UnitVector3d.fromNormalized(f[6] as number, f[7] as number, f[8] as number);
  }

  /** The semi-axis angles α and β in radians. */
  get semiAxes(): readonly [number, number] {
    return [(this.fields[9] as number) + Math.PI / 2, (this.fields[10] as number) + Math.PI / 2];
  }

  /** Whether every point is inside (sphgeom's full ellipse has a = π/2). */
  isFull(): boolean {
    return (this.fields[9] as number) >= Math.PI / 2;
  }

  contains(v: UnitVector3d): boolean {
    const f = this.fields as number[];
    const c = this.center;
    const vc = v.dot(c);
    // As sphgeom: near ±c work with v ∓ c to keep accuracy for tiny and huge ellipses.
    const scz = vc > 0.5 ? 1 : vc < -0.5 ? -1 : 0;
    const u = [v.x - scz * c.x, v.y - scz * c.y, v.z - scz * c.z] as const;
    const row = (r: number) =>
      (f[3 * r] as number) * u[0] + (f[3 * r + 1] as number) * u[1] + (f[3 * r + 2] as number) * u[2];
    const x = row(0) * (f[12] as number);
    const y = row(1) * (f[13] as number);
    const z = row(2) + scz;
    const d = x * x + y * y - z * z;
    return (f[9] as number) > 0 ? z >= 0 || d >= 0 : z >= 0 && d <= 0;
  }

  relate(other: Region): Relationship {
    return relateRegions(this, other);
  }

  /** The circle around the center with the larger semi-axis as radius (plus a rounding margin). */
  boundingCircle(): Circle {
    const [alpha, beta] = this.semiAxes;
    const r = Math.max(alpha, beta);
    if (!(r >= 0)) return Circle.empty();
    return Circle.of(this.center, Angle.fromRadians(r + 3e-8));
  }

  boundingBox(): Box {
    return this.boundingCircle().boundingBox();
  }

  encode(): Uint8Array {
    return encodeDoubles(TYPE_CODE.ellipse, this.fields);
  }
}
