import type { DatasetRef } from "../datasets/dataset-ref.ts";
import type { DatasetType } from "../datasets/dataset-type.ts";
import type { DataCoordinate } from "../dimensions/data-coordinate.ts";
import type { DimensionRecord } from "../dimensions/dimension-record.ts";
import type { DimensionUniverse } from "../dimensions/universe.ts";
import type { QuerySpec } from "./tree/query-tree.ts";

/**
 * What runs query specs: the SQL registry here, a remote server's client later. The builder and result
 * objects of {@link Query} only ever talk to this.
 */
export interface QueryDriver {
  readonly universe: DimensionUniverse;
  /**
   * A registered dataset type.
   * @throws {MissingDatasetTypeError} when there is none of that name.
   */
  datasetType(name: string): Promise<DatasetType>;
  /** Data IDs of a `dataIds` spec, streamed in pages (full data IDs where every implied value is known). */
  dataIds(spec: QuerySpec): AsyncIterable<DataCoordinate[]>;
  /**
   * Datasets of a `datasets` spec, streamed in pages.
   * @throws {CalibrationLookupError} when a find-first search finds several datasets for one data ID in one collection.
   */
  datasets(spec: QuerySpec): AsyncIterable<DatasetRef[]>;
  /** Records of a `dimensionRecords` spec, streamed in pages. */
  dimensionRecords(spec: QuerySpec): AsyncIterable<DimensionRecord[]>;
  /** Exact number of result rows (LIMIT and OFFSET applied). */
  count(spec: QuerySpec): Promise<number>;
  /** Whether there is at least one result row. */
  any(spec: QuerySpec): Promise<boolean>;
  /** Why the result is empty: the collection, dataset type or `where` term that rules every row out. */
  explainNoResults(spec: QuerySpec): Promise<string[]>;
}
