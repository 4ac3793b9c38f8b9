import { FormatterError } from "../../../errors.ts";
import { columnDictOf, isColumnDict, tableFromColumnDict } from "../../../tables/column-dict.ts";
import { columnFromValues } from "../../../tables/column-type.ts";
import { isTable, makeTable, type Table } from "../../../tables/table.ts";
import { isTableSchema, type TableSchema } from "../../../tables/table-schema.ts";
import { arrowSync } from "./arrow-module.ts";
import { arrowSchemaOf, isArrowSchema, tableSchemaOfArrow } from "./arrow-schema.ts";
import { arrowTableOf, isArrowTable, tableOfArrow } from "./arrow-tables.ts";

/**
 * The in-memory form of each table storage class in butler-ts. `ArrowAstropy`, `DataFrame` and
 * `ArrowNumpy` are all a {@link Table} (JavaScript has no pandas or numpy; a Table holds what a
 * DataFrame or a structured array holds), `ArrowTable` an apache-arrow Table, `ArrowNumpyDict` a
 * ColumnDict; the schema classes are a {@link TableSchema}, but `ArrowSchema` an apache-arrow Schema.
 */
export type TableForm = "table" | "arrow" | "dict" | "schema" | "arrowSchema";

const FORMS: Readonly<Record<string, TableForm>> = {
  ArrowAstropy: "table",
  DataFrame: "table",
  ArrowNumpy: "table",
  ArrowTable: "arrow",
  ArrowNumpyDict: "dict",
  ArrowSchema: "arrowSchema",
  ArrowAstropySchema: "schema",
  ArrowNumpySchema: "schema",
  DataFrameSchema: "schema",
};

/** The form a storage class's objects take (`table` for an unknown or absent one). */
export function tableFormOf(storageClass: string | undefined): TableForm {
  return FORMS[storageClass ?? ""] ?? "table";
}

/**
 * A table from any table form: a Table, a ColumnDict, an apache-arrow Table, or a schema (a table with
 * no rows).
 * @throws {FormatterError} for anything else.
 */
export function toTable(object: unknown): Table {
  if (isTable(object)) return object;
  if (isArrowTable(object)) return tableOfArrow(object);
  if (isArrowSchema(object)) return emptyTable(tableSchemaOfArrow(object));
  if (isTableSchema(object)) return emptyTable(object);
  if (isColumnDict(object)) return tableFromColumnDict(object);
  throw new FormatterError("Cannot write as a Parquet table: not a table", {
    hint: "Pass a Table (makeTable), a plain object of column arrays, an apache-arrow Table or a schema.",
  });
}

/** A table in the form of `form` (apache-arrow loaded synchronously when needed). */
export function fromTable(table: Table, form: TableForm, stripMetaYaml = true): unknown {
  switch (form) {
    case "table":
      return table;
    case "dict":
      return columnDictOf(table);
    case "arrow":
      return arrowTableOf(arrowSync(), table, stripMetaYaml);
    case "schema":
      return table.schema();
    case "arrowSchema":
      return arrowSchemaOf(arrowSync(), table, stripMetaYaml);
  }
}

function emptyTable(schema: TableSchema): Table {
  return makeTable({
    meta: schema.meta,
    columns: schema.columns.map((c) => ({ ...c, ...columnFromValues(c.type, []) })),
  });
}
