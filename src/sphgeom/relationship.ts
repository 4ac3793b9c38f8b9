/**
 * How region A relates to region B, as bit flags like sphgeom's `Relationship`: `DISJOINT` (no common
 * point), `CONTAINS` (A contains B), `WITHIN` (B contains A); `INTERSECTS` (0) means none of these is known.
 * A flag is only set when it is certain, so a flag that is missing does not prove the opposite.
 */
export const Relationship = Object.freeze({ INTERSECTS: 0, CONTAINS: 1, DISJOINT: 2, WITHIN: 4 });

/** A combination of `Relationship` flags. */
export type Relationship = number;

/** The relationship of B to A, given that of A to B (CONTAINS and WITHIN swap). */
export function invertRelationship(r: Relationship): Relationship {
  return (
    (r & Relationship.DISJOINT) |
    (r & Relationship.CONTAINS ? Relationship.WITHIN : 0) |
    (r & Relationship.WITHIN ? Relationship.CONTAINS : 0)
  );
}
