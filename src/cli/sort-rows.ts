import type { DimensionUniverse } from "../dimensions/universe.ts";
import type { Cell } from "./output-table.ts";

/**
 * The columns daf_butler's `sortAstropyTable` sorts a table of data IDs by: `sortFirst`, then the
 * required dimensions of each spatial or temporal column dimension (so `visit` sorts before
 * `detector`), then the other dimensions, in column order, each once.
 */
export function defaultSortKeys(
  universe: DimensionUniverse,
  dimensions: readonly string[],
  sortFirst: readonly string[] = [],
): string[] {
  const early: string[] = [];
  const late: string[] = [];
  for (const name of dimensions) {
    const dimension = universe.dimension(name);
    if (dimension.spatial !== null || dimension.temporal !== null)
      early.push(...dimension.required.map((d) => d.name));
    else late.push(name);
  }
  return [...new Set([...sortFirst, ...early, ...late])];
}

/** numpy's order within one column: numbers numerically, text by code point, nulls last. */
export function compareCells(a: Cell | undefined, b: Cell | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Rows sorted by the named columns, first key first (stable, so rows equal on every key keep their
 * order). Names that are not columns are ignored.
 */
export function sortRows<R extends readonly Cell[]>(
  columns: readonly string[],
  rows: readonly R[],
  keys: readonly string[],
): R[] {
  const indexes = keys.map((key) => columns.indexOf(key)).filter((i) => i >= 0);
  return [...rows].sort((a, b) => {
    for (const i of indexes) {
      const order = compareCells(a[i], b[i]);
      if (order !== 0) return order;
    }
    return 0;
  });
}
