import { FormatterError } from "../../../errors.ts";
import type { Table } from "../../../tables/table.ts";
import { cellOf, type TableColumn } from "../../../tables/table-column.ts";
import { loadArrow } from "./arrow-module.ts";
import { arrowSchemaOf, encodeArrowSchema } from "./arrow-schema.ts";
import { schemaElementOf } from "./parquet-column-types.ts";
import { importParquetModule } from "./parquet-modules.ts";
import { ARROW_SCHEMA_KEY, tableKeyValues } from "./table-key-values.ts";

/** daf_butler's target size of a row group on disk (`TARGET_ROW_GROUP_BYTES`). */
const TARGET_ROW_GROUP_BYTES = 1_000_000_000;

const BYTES_PER_VALUE: Readonly<Record<string, number>> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
};

/**
 * The bytes of a Parquet file of a table, as daf_butler writes one from an astropy table: SNAPPY
 * compression, row groups of about 1 GB, every column OPTIONAL, and the key-value metadata pyarrow
 * writes for it (`lsst::arrow::rowcount`, string widths, astropy's `table_meta_yaml`, and `ARROW:schema`
 * holding the Arrow schema with unit/description field metadata), so daf_butler reads it back as the
 * same astropy table.
 * @throws {MissingDependencyError} when hyparquet-writer or apache-arrow is not installed.
 */
export async function writeParquetTable(table: Table): Promise<Uint8Array> {
  const arrow = await loadArrow();
  const writer = await importParquetModule("hyparquet-writer", () => import("hyparquet-writer"));
  const keyValues = tableKeyValues(table);
  keyValues.set(ARROW_SCHEMA_KEY, encodeArrowSchema(arrow, arrowSchemaOf(arrow, table)));
  const rowBytes = table.columns.reduce(
    (sum, c) => sum + (c.type === "string" ? widthOf(c) : (BYTES_PER_VALUE[c.type] ?? 8)),
    0,
  );
  try {
    const buffer = writer.parquetWriteBuffer({
      columnData: table.columns.map((column) => ({ name: column.name, data: dataOf(column) as never })),
      schema: [
        { name: "schema", num_children: table.columns.length },
        ...table.columns.map((c) => schemaElementOf(c.name, c.type)),
      ],
      codec: "SNAPPY",
      rowGroupSize: Math.max(1, Math.floor(TARGET_ROW_GROUP_BYTES / Math.max(1, rowBytes))),
      kvMetadata: [...keyValues].map(([key, value]) => ({ key, value })),
      createdBy: "butler-ts (hyparquet-writer)",
    });
    return new Uint8Array(buffer);
  } catch (error) {
    throw new FormatterError(`Cannot write table as Parquet: ${(error as Error).message}`, { cause: error });
  }
}

/** A column's values as hyparquet-writer takes them: nulls where masked; uint32 as numbers (its quirk). */
function dataOf(column: TableColumn): unknown {
  if (column.mask !== undefined) {
    return Array.from({ length: column.values.length }, (_, i) => cellOf(column, i));
  }
  if (column.type === "uint32" || !ArrayBuffer.isView(column.values)) {
    return Array.from(column.values as ArrayLike<unknown>);
  }
  return column.values;
}

function widthOf(column: TableColumn): number {
  let width = 1;
  for (const value of column.values as readonly string[]) width = Math.max(width, value.length);
  return width;
}
