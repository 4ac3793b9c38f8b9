// sphgeom writes the class of a region as the first byte of its encoding (`TYPE_CODE` in each class).
const CLASS_BY_TYPE_CODE: ReadonlyMap<number, string> = new Map([
  [0x70, "ConvexPolygon"], // 'p'
  [0x63, "Circle"], // 'c'
  [0x62, "Box"], // 'b'
  [0x65, "Ellipse"], // 'e'
  [0x75, "UnionRegion"], // 'u'
  [0x69, "IntersectionRegion"], // 'i'
]);

const REGION_TAGS: ReadonlySet<string> = new Set(
  [...CLASS_BY_TYPE_CODE.values()].map((name) => `lsst.sphgeom.${name}`),
);

/**
 * The YAML tag sphgeom gives a region with this encoding (`lsst.sphgeom.ConvexPolygon`, written
 * `!<lsst.sphgeom.ConvexPolygon>`), or undefined when the first byte is no region type code.
 */
export function regionTag(encoded: Uint8Array): string | undefined {
  const name = CLASS_BY_TYPE_CODE.get(encoded[0] ?? -1);
  return name === undefined ? undefined : `lsst.sphgeom.${name}`;
}

/** Whether `tag` is one of sphgeom's region tags. */
export function isRegionTag(tag: string): boolean {
  return REGION_TAGS.has(tag);
}
