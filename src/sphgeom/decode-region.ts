import { RegionError } from "../errors.ts";
import { Box } from "./box.ts";
import { Circle } from "./circle.ts";
import { hexStart, TYPE_CODE } from "./codec.ts";
import { CompoundRegion } from "./compound-region.ts";
import { ConvexPolygon } from "./convex-polygon.ts";
import { Ellipse } from "./ellipse.ts";
import type { Region } from "./region.ts";

/**
 * The region encoded in `bytes` (sphgeom's `Region.decode`: the first byte names the class), such as the
 * `encoded:` hex of `!<lsst.sphgeom.ConvexPolygon>` in an export file or a registry `region` column.
 * @throws {RegionError} when the bytes are not a sphgeom region encoding.
 * @example decodeRegion(bytes).contains(LonLat.fromDegrees(150, 2).toVector())
 */
export function decodeRegion(bytes: Uint8Array): Region {
  switch (bytes[0]) {
    case TYPE_CODE.convexPolygon:
      return ConvexPolygon.decode(bytes);
    case TYPE_CODE.circle:
      return Circle.decode(bytes);
    case TYPE_CODE.box:
      return Box.decode(bytes);
    case TYPE_CODE.ellipse:
      return Ellipse.decode(bytes);
    case TYPE_CODE.union:
    case TYPE_CODE.intersection:
      return decodeCompound(bytes);
    default:
      throw new RegionError(
        `Cannot decode ${bytes.length} bytes starting ${hexStart(bytes)}: not a sphgeom region`,
      );
  }
}

function decodeCompound(bytes: Uint8Array): CompoundRegion {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const operands: Region[] = [];
  let offset = 1;
  while (offset < bytes.length) {
    if (offset + 8 > bytes.length) throw truncated(bytes);
    const length = view.getBigUint64(offset, true);
    if (length > BigInt(bytes.length - offset - 8)) throw truncated(bytes);
    const start = offset + 8;
    operands.push(decodeRegion(bytes.subarray(start, start + Number(length))));
    offset = start + Number(length);
  }
  return bytes[0] === TYPE_CODE.union
    ? CompoundRegion.union(operands)
    : CompoundRegion.intersection(operands);
}

function truncated(bytes: Uint8Array): RegionError {
  return new RegionError(
    `Cannot decode ${bytes.length} bytes starting ${hexStart(bytes)}: the compound region is truncated`,
  );
}
