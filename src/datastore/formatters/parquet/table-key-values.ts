import type { Table } from "../../../tables/table.ts";
import { writeTableMetaYaml } from "./table-meta-yaml.ts";

/** Key of the row count daf_butler writes in the schema metadata of every table. */
export const ROWCOUNT_KEY = "lsst::arrow::rowcount";
/** Key of astropy's table header YAML (units, descriptions, formats, metadata). */
export const TABLE_META_YAML = "table_meta_yaml";
/** Key of the Arrow schema pyarrow stores in Parquet key-value metadata. */
export const ARROW_SCHEMA_KEY = "ARROW:schema";

/**
 * The schema metadata daf_butler's `astropy_to_arrow` writes for a table, in its order: the row count,
 * the width of each string column (numpy's `U<n>`, under `lsst::arrow::len::` and `table::len::`), and
 * astropy's `table_meta_yaml`.
 */
export function tableKeyValues(table: Table): Map<string, string> {
  const metadata = new Map<string, string>([[ROWCOUNT_KEY, String(table.rowcount)]]);
  for (const column of table.columns) {
    if (column.type !== "string") continue;
    let width = 1;
    for (const value of column.values as readonly string[]) width = Math.max(width, [...value].length);
    metadata.set(`lsst::arrow::len::${column.name}`, String(width));
    metadata.set(`table::len::${column.name}`, String(width));
  }
  metadata.set(TABLE_META_YAML, writeTableMetaYaml(table.schema().columns, table.meta));
  return metadata;
}
