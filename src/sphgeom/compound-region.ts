import { RegionError } from "../errors.ts";
import { Box } from "./box.ts";
import { Circle } from "./circle.ts";
import { TYPE_CODE } from "./codec.ts";
import type { Region } from "./region.ts";
import { relateRegions } from "./relate-regions.ts";
import { Relationship } from "./relationship.ts";
import type { UnitVector3d } from "./unit-vector-3d.ts";

/**
 * The union or intersection of regions (sphgeom's `UnionRegion` / `IntersectionRegion`). Encoded as the
 * tag, then for each operand its encoded length as a little-endian uint64 and its encoding.
 */
export class CompoundRegion implements Region {
  readonly kind: "union" | "intersection";
  readonly operands: readonly Region[];

  private constructor(kind: "union" | "intersection", operands: readonly Region[]) {
    this.kind = kind;
    this.operands = Object.freeze([...operands]);
    Object.freeze(this);
  }

  /** The union of the regions (a point is inside when any contains it). @throws {RegionError} when empty. */
  static union(operands: readonly Region[]): CompoundRegion {
    if (operands.length === 0) throw new RegionError("A union needs at least one region");
    return new CompoundRegion("union", operands);
  }

  /** The intersection of the regions. @throws {RegionError} when empty. */
  static intersection(operands: readonly Region[]): CompoundRegion {
    if (operands.length === 0) throw new RegionError("An intersection needs at least one region");
    return new CompoundRegion("intersection", operands);
  }

  contains(v: UnitVector3d): boolean {
    return this.kind === "union"
      ? this.operands.some((r) => r.contains(v))
      : this.operands.every((r) => r.contains(v));
  }

  relate(other: Region): Relationship {
    return relateRegions(this, other);
  }

  /** For a union the operand bound covering the others if any, else the full sphere; the smallest for an intersection. */
  boundingCircle(): Circle {
    const circles = this.operands.map((r) => r.boundingCircle());
    if (this.kind === "intersection")
      return circles.reduce((a, b) => (b.squaredChordLength < a.squaredChordLength ? b : a));
    const cover = circles.find((c) => circles.every((d) => c.relate(d) & Relationship.CONTAINS));
    return cover ?? Circle.full();
  }

  /** The smallest operand box for an intersection; the full sphere, or a covering operand box, for a union. */
  boundingBox(): Box {
    const boxes = this.operands.map((r) => r.boundingBox());
    if (this.kind === "intersection") return boxes.reduce((a, b) => (area(b) < area(a) ? b : a));
    return boxes.find((b) => boxes.every((d) => b.relate(d) & Relationship.CONTAINS)) ?? Box.full();
  }

  encode(): Uint8Array {
    const parts = this.operands.map((r) => r.encode());
    const bytes = new Uint8Array(1 + parts.reduce((n, p) => n + 8 + p.length, 0));
    const view = new DataView(bytes.buffer);
    bytes[0] = this.kind === "union" ? TYPE_CODE.union : TYPE_CODE.intersection;
    let offset = 1;
    for (const part of parts) {
      view.setBigUint64(offset, BigInt(part.length), true);
      bytes.set(part, offset + 8);
      offset += 8 + part.length;
    }
    return bytes;
  }
}

function area(b: Box): number {
  if (b.isEmpty()) return 0;
  const width = b.lonSegments().reduce((w, [lo, hi]) => w + hi - lo, 0);
  return width * (Math.sin(b.latB) - Math.sin(b.latA));
}
