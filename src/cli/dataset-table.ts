import type { DatasetRef } from "../datasets/dataset-ref.ts";
import type { DimensionGroup } from "../dimensions/group.ts";
import type { Cell, ResultTable } from "./output-table.ts";
import { defaultSortKeys, sortRows } from "./sort-rows.ts";

/** Datasets of one dataset type to show in one table, each with its URI when `--show-uri` asked for them. */
export interface DatasetRows {
  /** The dataset type name the table is for: a parent type, or a component (`calexp.wcs`). */
  readonly name: string;
  readonly dimensions: DimensionGroup;
  readonly refs: readonly DatasetRef[];
  /** URIs parallel to `refs`; a `URI` column when present. */
  readonly uris?: readonly string[];
}

/**
 * daf_butler's table of datasets: `type`, `run`, `id`, then the data ID (required then implied
 * dimensions), then `URI` when given; sorted by type, run and data ID when `sorted`.
 */
export function datasetTable(rows: DatasetRows, sorted = true): ResultTable {
  const dimensions = rows.dimensions.dataCoordinateKeys;
  const columns = ["type", "run", "id", ...dimensions, ...(rows.uris === undefined ? [] : ["URI"])];
  const cells: Cell[][] = rows.refs.map((ref, i) => [
    rows.name,
    ref.run,
    ref.id,
    ...dimensions.map((d) => ref.dataId.get(d) ?? null),
    ...(rows.uris === undefined ? [] : [rows.uris[i] ?? null]),
  ]);
  const universe = rows.dimensions.universe;
  return {
    columns,
    rows: sorted ? sortRows(columns, cells, defaultSortKeys(universe, dimensions, ["type", "run"])) : cells,
  };
}
