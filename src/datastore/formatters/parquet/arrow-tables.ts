import type { Table as ArrowTable, Field, Vector } from "apache-arrow";
import { columnFromValues } from "../../../tables/column-type.ts";
import { makeTable, type Table } from "../../../tables/table.ts";
import { cellOf } from "../../../tables/table-column.ts";
import type { ArrowModule } from "./arrow-module.ts";
import { arrowSchemaOf, isArrowSchema, tableSchemaOfArrow } from "./arrow-schema.ts";

/** Whether `object` looks like an apache-arrow Table (checked by shape: the module is imported lazily). */
export function isArrowTable(object: unknown): object is ArrowTable {
  const candidate = object as Partial<ArrowTable> | null;
  return (
    typeof object === "object" &&
    object !== null &&
    typeof candidate?.numRows === "number" &&
    typeof candidate.getChildAt === "function" &&
    isArrowSchema(candidate.schema)
  );
}

/** An apache-arrow Table of a table (daf_butler's `astropy_to_arrow`), masked values as nulls. */
export function arrowTableOf(arrow: ArrowModule, table: Table, stripMetaYaml = false): ArrowTable {
  const schema = arrowSchemaOf(arrow, table, stripMetaYaml);
  const vectors: Vector[] = table.columns.map((column, i) => {
    const type = (schema.fields[i] as Field).type;
    if (column.mask === undefined && ArrayBuffer.isView(column.values)) {
      return arrow.makeVector(column.values as Float64Array);
    }
    const values = Array.from({ length: table.rowcount }, (_, row) => cellOf(column, row));
    return arrow.vectorFromArray(values as never[], type);
  });
  const data = arrow.makeData({
    type: new arrow.Struct(schema.fields),
    length: table.rowcount,
    nullCount: 0,
    children: vectors.map((v) => v.data[0] as never),
  });
  return new arrow.Table(schema, [new arrow.RecordBatch(schema, data)]);
}

/**
 * A table of an apache-arrow Table (daf_butler's `arrow_to_astropy`): units, descriptions, formats and
 * metadata from `table_meta_yaml` when the schema has it, else units and descriptions from field metadata.
 * @throws {FormatterError} for a column of a type tables do not hold.
 */
export function tableOfArrow(arrowTable: ArrowTable): Table {
  const schema = tableSchemaOfArrow(arrowTable.schema);
  return makeTable({
    rowcount: arrowTable.numRows,
    meta: schema.meta,
    columns: schema.columns.map((column, i) => {
      const vector = arrowTable.getChildAt(i) as Vector;
      const values = vector.nullCount === 0 ? vector.toArray() : Array.from(vector);
      return { ...column, ...columnFromValues(column.type, values as ArrayLike<unknown>) };
    }),
  });
}
