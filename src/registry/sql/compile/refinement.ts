/**
 * What a query's rows must still pass after SQL: exact spatial tests. SQL can only narrow rows to
 * candidates (regions sharing a common-skypix pixel); these tests, run on each candidate row, decide.
 * Plain, serializable data naming the row columns it reads.
 */

/** A region a test reads: a selected `region` column, a literal's sphgeom hex, or a skypix pixel's index. */
export type RegionOperand =
  | { readonly kind: "column"; readonly column: string }
  | { readonly kind: "literal"; readonly value: string }
  | { readonly kind: "pixel"; readonly dimension: string; readonly column: string };

/**
 * A test on a row, in three-valued logic: regions that overlap, a selected SQL condition (1, 0 or NULL),
 * and their AND, OR and NOT.
 */
export type RefineTest =
  | { readonly kind: "and" | "or"; readonly operands: readonly RefineTest[] }
  | { readonly kind: "not"; readonly operand: RefineTest }
  | { readonly kind: "overlaps"; readonly a: RegionOperand; readonly b: RegionOperand }
  | { readonly kind: "condition"; readonly column: string }
  | { readonly kind: "keyRanges"; readonly column: string; readonly ranges: readonly KeyRange[] };

/** A half-open range `[begin, end)` of integer keys (skypix indices). */
export type KeyRange = readonly [begin: number, end: number];

/**
 * A skypix dimension whose values SQL cannot give (no overlap table at its level): each row becomes one
 * row per pixel of the dimension that overlaps `source`, with the pixel index in `column`.
 */
export interface SkyPixExpansion {
  readonly dimension: string;
  readonly column: string;
  readonly source: RegionOperand;
}

/** The refinement of a query's candidate rows, and the paging SQL could not apply before it. */
export interface Refinement {
  /** Skypix values to generate before the test, in order. */
  readonly expansions?: readonly SkyPixExpansion[];
  readonly test: RefineTest;
  /** Columns that identify a result row, when several candidate rows can give the same one. */
  readonly distinct?: readonly string[];
  readonly limit?: number;
  readonly offset?: number;
}
