import type { DatasetRef } from "../datasets/dataset-ref.ts";
import type { DataCoordinate } from "../dimensions/data-coordinate.ts";
import type { DimensionRecord } from "../dimensions/dimension-record.ts";
import type { DataIdInput } from "../dimensions/standardize-data-id.ts";
import { EmptyQueryResultError } from "../errors.ts";
import type { Query, QueryResults } from "./query.ts";

/** Options shared by the one-call query helpers. */
export interface QueryHelperOptions {
  /** Data ID values rows must have. */
  readonly dataId?: DataIdInput;
  /** A `where` expression. */
  readonly where?: string;
  /** Values of the expression's `:name` parameters. */
  readonly bind?: Readonly<Record<string, unknown>>;
  /** ORDER BY terms (`visit`, `-detector`, `visit.timespan.begin`). */
  readonly orderBy?: string | readonly string[];
  /** At most this many rows (all when undefined); the returned list says when more existed. */
  readonly limit?: number;
  /** Throw {@link EmptyQueryResultError} with the reasons when nothing matches (default true, as daf_butler). */
  readonly explain?: boolean;
}

/** A helper's rows; `truncated` is true when `limit` cut off more rows. */
export type QueryList<T> = T[] & { readonly truncated: boolean };

async function collect<T>(results: QueryResults<T>, options: QueryHelperOptions): Promise<QueryList<T>> {
  let constrained = results;
  if (options.dataId !== undefined) constrained = constrained.where(options.dataId);
  if (options.where !== undefined) constrained = constrained.where(options.where, options.bind);
  if (options.orderBy !== undefined)
    constrained = constrained.orderBy(
      ...(typeof options.orderBy === "string" ? [options.orderBy] : options.orderBy),
    );
  // One row beyond the limit tells whether the limit cut anything off.
  if (options.limit !== undefined) constrained = constrained.limit(options.limit + 1);
  const rows = await constrained.toArray();
  const truncated = options.limit !== undefined && rows.length > options.limit;
  if (truncated) rows.length = options.limit as number;
  if (rows.length === 0 && options.limit !== 0 && options.explain !== false) {
    throw new EmptyQueryResultError(await constrained.explainNoResults());
  }
  return Object.assign(rows, { truncated });
}

/**
 * Data IDs of the dimensions matching the options, in one call (daf_butler's `query_data_ids`).
 * @throws {EmptyQueryResultError} when nothing matches, unless `explain: false`.
 * @throws {InvalidQueryError} for a malformed `where` or ORDER BY.
 */
export function queryDataIds(
  query: Query,
  dimensions: Iterable<string>,
  options: QueryHelperOptions = {},
): Promise<QueryList<DataCoordinate>> {
  return collect(query.dataIds(dimensions), options);
}

/**
 * Datasets of one type in the collections (daf_butler's `query_datasets`): find-first unless told
 * otherwise, so each data ID gives the dataset of the first collection that has one.
 * @throws {EmptyQueryResultError} when nothing matches, unless `explain: false`.
 * @throws {MissingDatasetTypeError} @throws {MissingCollectionError} @throws {CalibrationLookupError}
 */
export function queryDatasets(
  query: Query,
  datasetType: string,
  options: QueryHelperOptions & { readonly collections: readonly string[]; readonly findFirst?: boolean },
): Promise<QueryList<DatasetRef>> {
  return collect(
    query.datasets(datasetType, options.collections, { findFirst: options.findFirst ?? true }),
    options,
  );
}

/**
 * Records of one dimension element matching the options (daf_butler's `query_dimension_records`).
 * @throws {EmptyQueryResultError} when nothing matches, unless `explain: false`.
 * @throws {DimensionNameError} for an unknown element.
 */
export function queryDimensionRecords(
  query: Query,
  element: string,
  options: QueryHelperOptions = {},
): Promise<QueryList<DimensionRecord>> {
  return collect(query.dimensionRecords(element), options);
}
