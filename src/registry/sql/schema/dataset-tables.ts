import type { DimensionGroup } from "../../../dimensions/group.ts";
import { TAI_MAX_NS, TAI_MIN_NS } from "../../../time/tai-range.ts";
import type { SqlColumn, SqlForeignKey, TableSpec } from "../table-spec.ts";
import { dimensionForeignKey, dimensionKeyColumn } from "./dimension-tables.ts";
import {
  COLLECTION_ID,
  collectionForeignKey,
  DATASET_TYPE_ID,
  datasetForeignKey,
  datasetTypeForeignKey,
  tableSpec,
} from "./static-tables.ts";

const DATASET_ID: SqlColumn = Object.freeze({ name: "dataset_id", type: "uuid", nullable: false });

/** `NNNNNNNN`: the saved dimension group's key, zero-padded to 8 digits as daf_butler names tables. */
function tableSuffix(dimensionsKey: number): string {
  if (!Number.isSafeInteger(dimensionsKey) || dimensionsKey < 0) {
    throw new RangeError(`dimensions key must be a non-negative integer, not ${dimensionsKey}`);
  }
  return String(dimensionsKey).padStart(8, "0");
}

/** Name of the tags table of the dataset types whose dimension group was saved under `dimensionsKey`. */
export function datasetTagsTableName(dimensionsKey: number): string {
  return `dataset_tags_${tableSuffix(dimensionsKey)}`;
}

/** Name of the calibs table of the dataset types whose dimension group was saved under `dimensionsKey`. */
export function datasetCalibsTableName(dimensionsKey: number): string {
  return `dataset_calibs_${tableSuffix(dimensionsKey)}`;
}

/**
 * The columns and foreign keys every dataset association table has, in daf_butler's order: the dataset
 * type, dataset and collection columns (given by the caller), then one column per required dimension,
 * each with a foreign key to its table and, for a governor, to its collection summary table.
 */
function associationParts(group: DimensionGroup): { columns: SqlColumn[]; foreignKeys: SqlForeignKey[] } {
  const dimensions = group.required.map((name) => group.universe.dimension(name));
  const summary = (table: string, column: string): SqlForeignKey =>
    Object.freeze({
      table,
      source: [COLLECTION_ID.name, column],
      target: [COLLECTION_ID.name, column],
      addIndex: true,
    });
  return {
    columns: [DATASET_TYPE_ID, DATASET_ID, COLLECTION_ID, ...dimensions.map(dimensionKeyColumn)],
    foreignKeys: [
      datasetTypeForeignKey(),
      datasetForeignKey("CASCADE"),
      collectionForeignKey(COLLECTION_ID.name, "CASCADE"),
      summary("collection_summary_dataset_type", DATASET_TYPE_ID.name),
      ...dimensions.flatMap((dimension) => {
        const own = dimensionForeignKey(dimension);
        return [
          ...(own === null ? [] : [own]),
          ...(dimension.isGovernor ? [summary(`collection_summary_${dimension.name}`, dimension.name)] : []),
        ];
      }),
    ],
  };
}

/**
 * The `dataset_tags_NNNNNNNN` table: which datasets of the types with these dimensions are in which RUN
 * and TAGGED collections, with their data IDs' required values; one dataset per data ID and collection.
 * @throws {RangeError} when `dimensionsKey` is not a non-negative integer.
 */
export function datasetTagsTable(group: DimensionGroup, dimensionsKey: number): TableSpec {
  const { columns, foreignKeys } = associationParts(group);
  return tableSpec({
    name: datasetTagsTableName(dimensionsKey),
    columns,
    primaryKey: [DATASET_ID.name, COLLECTION_ID.name],
    unique: [[DATASET_TYPE_ID.name, COLLECTION_ID.name, ...group.required]],
    foreignKeys,
  });
}

/**
 * The `dataset_calibs_NNNNNNNN` table: which datasets are in which CALIBRATION collections over which
 * validity range (unbounded by default). Ranges of one dataset type, collection and data ID may not
 * overlap: an exclusion constraint on PostgreSQL, a plain index (and a check when certifying) on SQLite.
 * @throws {RangeError} when `dimensionsKey` is not a non-negative integer.
 */
export function datasetCalibsTable(group: DimensionGroup, dimensionsKey: number): TableSpec {
  const { columns, foreignKeys } = associationParts(group);
  const id: SqlColumn = Object.freeze({ name: "id", type: "bigint", nullable: false, autoincrement: true });
  const timespan: SqlColumn = Object.freeze({
    name: "timespan",
    type: "timespan",
    nullable: false,
    default: [TAI_MIN_NS, TAI_MAX_NS] as const,
  });
  return tableSpec({
    name: datasetCalibsTableName(dimensionsKey),
    columns: [id, ...columns, timespan],
    primaryKey: [id.name],
    foreignKeys,
    exclusions: [
      { equal: [DATASET_TYPE_ID.name, COLLECTION_ID.name, ...group.required], overlap: timespan.name },
    ],
  });
}
