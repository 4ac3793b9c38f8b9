import type { SqlColumn, SqlColumnType, SqlForeignKey, TableSpec } from "../table-spec.ts";

/** A frozen table spec; lists not given are empty. */
export function tableSpec(
  parts: Pick<TableSpec, "name" | "columns" | "primaryKey"> & Partial<TableSpec>,
): TableSpec {
  return Object.freeze({ unique: [], foreignKeys: [], indexes: [], exclusions: [], ...parts });
}

/** A NOT NULL column unless `options` say otherwise. */
function column(name: string, type: SqlColumnType, options: Partial<SqlColumn> = {}): SqlColumn {
  return Object.freeze({ name, type, nullable: false, ...options });
}

/** A foreign key on `source` to the single-column key `target` of `table`, indexed as daf_butler does. */
function reference(
  table: string,
  source: string,
  target: string,
  onDelete?: SqlForeignKey["onDelete"],
): SqlForeignKey {
  return Object.freeze({
    table,
    source: [source],
    target: [target],
    addIndex: true,
    ...(onDelete === undefined ? {} : { onDelete }),
  });
}

/** The column that refers to a collection by its synthetic integer key (`SynthIntKeyCollectionManager`). */
export const COLLECTION_ID: SqlColumn = column("collection_id", "bigint");

/** A foreign key from column `source` to the `collection` table (`addCollectionForeignKey`). */
export function collectionForeignKey(source: string, onDelete?: "CASCADE"): SqlForeignKey {
  return reference("collection", source, COLLECTION_ID.name, onDelete);
}

/** The `dataset_type_id` column of the tables that refer to a dataset type. */
export const DATASET_TYPE_ID: SqlColumn = column("dataset_type_id", "bigint");

/** A foreign key from `dataset_type_id` to the `dataset_type` table. */
export function datasetTypeForeignKey(onDelete?: "CASCADE"): SqlForeignKey {
  return reference("dataset_type", DATASET_TYPE_ID.name, "id", onDelete);
}

/** A foreign key from `dataset_id` to the `dataset` table (`addDatasetForeignKey`). */
export function datasetForeignKey(onDelete?: "CASCADE"): SqlForeignKey {
  return reference("dataset", "dataset_id", "id", onDelete);
}

const TIMESPAN = column("timespan", "timespan", { nullable: true });

const STATIC_TABLES: readonly TableSpec[] = Object.freeze([
  tableSpec({
    name: "butler_attributes",
    columns: [column("name", "string", { length: 1024 }), column("value", "string", { length: 65535 })],
    primaryKey: ["name"],
  }),
  tableSpec({
    name: "opaque_meta",
    columns: [column("table_name", "string", { length: 128 })],
    primaryKey: ["table_name"],
  }),
  tableSpec({
    name: "dataset_location_trash",
    columns: [column("dataset_id", "uuid"), column("datastore_name", "string", { length: 256 })],
    primaryKey: ["dataset_id", "datastore_name"],
  }),
  tableSpec({
    name: "collection",
    columns: [
      column("collection_id", "bigint", { autoincrement: true }),
      column("name", "string", { length: 64 }),
      column("type", "smallint"),
      column("doc", "text", { nullable: true }),
    ],
    primaryKey: ["collection_id"],
    unique: [["name"]],
  }),
  tableSpec({
    name: "run",
    columns: [COLLECTION_ID, column("host", "string", { length: 128, nullable: true }), TIMESPAN],
    primaryKey: ["collection_id"],
    foreignKeys: [collectionForeignKey("collection_id", "CASCADE")],
  }),
  tableSpec({
    name: "collection_chain",
    columns: [column("parent", "bigint"), column("position", "smallint"), column("child", "bigint")],
    primaryKey: ["parent", "position"],
    foreignKeys: [collectionForeignKey("parent", "CASCADE"), collectionForeignKey("child")],
  }),
  tableSpec({
    name: "dataset_type",
    columns: [
      column("id", "bigint", { autoincrement: true }),
      column("name", "string", { length: 128 }),
      column("storage_class", "string", { length: 64 }),
      column("dimensions_key", "bigint"),
      column("tag_association_table", "string", { length: 128 }),
      column("calibration_association_table", "string", { length: 128, nullable: true }),
    ],
    primaryKey: ["id"],
    unique: [["name"]],
  }),
  // Datasets manager 2.0.0: ingest_date is TAI nanoseconds, not a TIMESTAMP.
  tableSpec({
    name: "dataset",
    columns: [
      column("id", "uuid"),
      DATASET_TYPE_ID,
      column("ingest_date", "bigint"),
      column("run_id", "bigint"),
    ],
    primaryKey: ["id"],
    foreignKeys: [datasetTypeForeignKey(), reference("run", "run_id", "collection_id", "CASCADE")],
  }),
  tableSpec({
    name: "collection_summary_dataset_type",
    columns: [COLLECTION_ID, DATASET_TYPE_ID],
    primaryKey: ["collection_id", "dataset_type_id"],
    foreignKeys: [collectionForeignKey("collection_id", "CASCADE"), datasetTypeForeignKey("CASCADE")],
  }),
  tableSpec({
    name: "dimension_graph_key",
    columns: [column("id", "bigint", { autoincrement: true })],
    primaryKey: ["id"],
  }),
  tableSpec({
    name: "dimension_graph_definition",
    columns: [column("dimension_graph_id", "bigint"), column("dimension_name", "text")],
    primaryKey: ["dimension_graph_id", "dimension_name"],
    foreignKeys: [reference("dimension_graph_key", "dimension_graph_id", "id", "CASCADE")],
  }),
  tableSpec({
    name: "dataset_location",
    columns: [column("datastore_name", "string", { length: 256 }), column("dataset_id", "uuid")],
    primaryKey: ["datastore_name", "dataset_id"],
    foreignKeys: [datasetForeignKey()],
  }),
  tableSpec({
    name: "file_datastore_records",
    columns: [
      column("dataset_id", "uuid"),
      column("path", "string", { length: 256 }),
      column("formatter", "string", { length: 128 }),
      column("storage_class", "string", { length: 64 }),
      column("component", "string", { length: 32 }),
      column("checksum", "string", { length: 128, nullable: true }),
      column("file_size", "bigint", { nullable: true }),
    ],
    primaryKey: ["dataset_id", "component"],
    indexes: [["path"]],
  }),
]);

/**
 * The registry tables that do not depend on the dimension universe, as daf_butler's default managers
 * create them: attributes, opaque tables, the datastore bridge, collections (synthetic integer keys),
 * datasets (manager 2.0.0), saved dimension groups, and the file datastore's records.
 */
export function staticTables(): readonly TableSpec[] {
  return STATIC_TABLES;
}
