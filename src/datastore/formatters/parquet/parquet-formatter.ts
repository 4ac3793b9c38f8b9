import { FormatterError } from "../../../errors.ts";
import {
  filterColumns,
  matchRows,
  parseRowFilter,
  type RowFilter,
  takeRows,
} from "../../../tables/row-filter.ts";
import { selectColumns } from "../../../tables/select-columns.ts";
import { makeTable, type Table } from "../../../tables/table.ts";
import type { TableSchema } from "../../../tables/table-schema.ts";
import type { ByteSource, Formatter, FormatterReadOptions } from "../formatter.ts";
import { writeParametersOf } from "../write-parameters.ts";
import { loadArrow } from "./arrow-module.ts";
import { type ParquetFooter, readParquetFooter } from "./parquet-footer.ts";
import { readParquetSchema, readParquetTable, topLevelElements } from "./parquet-table-reader.ts";
import { writeParquetTable } from "./parquet-table-writer.ts";
import { rowRangesMatching } from "./row-group-pruning.ts";
import { fromTable, tableFormOf, toTable } from "./table-forms.ts";

const READ_PARAMETERS = ["columns", "filters", "strip_astropy_meta_yaml"];

/**
 * Parquet tables, as daf_butler's ParquetFormatter reads and writes them (`.parq`; `.parquet` read too).
 * Reads only what is asked for through range reads: the footer for the `columns`, `rowcount` and `schema`
 * components and for schema storage classes, and only the chunks of the selected columns for the
 * `columns` parameter (names or globs); the `filters` parameter (pyarrow's form) reads only the row groups
 * whose statistics allow a match, and keeps the matching rows. The storage class read decides the object built: a Table for
 * `ArrowAstropy`, `DataFrame` and `ArrowNumpy`, an apache-arrow Table for `ArrowTable`, a ColumnDict for
 * `ArrowNumpyDict`, a schema for the schema classes (see {@link tableFormOf}). Writes any of those with
 * the key-value metadata daf_butler writes, so daf_butler reads the files back as astropy tables.
 */
export const parquetFormatter: Formatter = Object.freeze<Formatter>({
  name: "parquet",
  extension: ".parq",
  extensions: Object.freeze([".parq", ".parquet"]),
  storageClasses: Object.freeze([
    "ArrowAstropy",
    "ArrowTable",
    "DataFrame",
    "ArrowNumpy",
    "ArrowNumpyDict",
    "ArrowSchema",
    "ArrowAstropySchema",
    "ArrowNumpySchema",
    "DataFrameSchema",
  ]),
  writeParameters: Object.freeze([]),
  appliesReadOptions: true,
  read: readParquet,
  async write(object, options) {
    writeParametersOf("parquet", [], options);
    return writeParquetTable(toTable(object));
  },
});

async function readParquet(
  source: ByteSource,
  options: FormatterReadOptions = {},
  file?: string,
): Promise<unknown> {
  const where = file === undefined ? {} : { file };
  const form = tableFormOf(options.storageClass);
  const footer = await readParquetFooter(source, file);
  const available = topLevelElements(footer).map((e) => e.name);
  const parameters = Object.fromEntries(
    Object.entries(options.parameters ?? {}).filter(([, value]) => value !== undefined),
  );
  for (const key of Object.keys(parameters)) {
    if (!READ_PARAMETERS.includes(key)) {
      throw new FormatterError(`Parquet tables have no read parameter "${key}"`, {
        ...where,
        hint: `Use ${READ_PARAMETERS.join(", ")}.`,
      });
    }
  }
  const names =
    parameters.columns === undefined
      ? available
      : selectColumns(available, parameters.columns as string | readonly string[], file);
  const strip = parameters.strip_astropy_meta_yaml !== false;
  switch (options.component) {
    case undefined:
      break;
    case "columns":
      return Object.freeze([...available]);
    case "rowcount":
      return Number(footer.metadata.num_rows);
    case "schema":
      return schemaOf(await readParquetSchema(footer, available, file), form);
    default:
      throw new FormatterError(`Parquet tables have no component "${options.component}"`, {
        ...where,
        hint: "Their components: columns, rowcount, schema.",
      });
  }
  if (form === "schema" || form === "arrowSchema") {
    return schemaOf(await readParquetSchema(footer, names, file), form === "arrowSchema" ? "arrow" : form);
  }
  if (form === "arrow") await loadArrow();
  const table =
    parameters.filters === undefined
      ? await readParquetTable(source, footer, names, file)
      : await readFiltered(source, footer, names, parseRowFilter(parameters.filters, available, file), file);
  return fromTable(table, form, strip);
}

/**
 * The rows a filter keeps: only the row groups whose statistics allow a match are read, with the
 * filter's columns, then the rows are filtered and the columns asked for kept.
 */
async function readFiltered(
  source: ByteSource,
  footer: ParquetFooter,
  names: readonly string[],
  filter: RowFilter,
  file: string | undefined,
): Promise<Table> {
  const needed = [...new Set([...names, ...filterColumns(filter)])];
  const read = await readParquetTable(source, footer, needed, file, rowRangesMatching(footer, filter));
  const kept = takeRows(read, matchRows(read, filter));
  return makeTable({
    columns: names.map((name) => kept.column(name)),
    meta: kept.meta,
    rowcount: kept.rowcount,
  });
}

/** A schema in the form the storage class's `schema` component takes. */
async function schemaOf(schema: TableSchema, form: string): Promise<unknown> {
  if (form !== "arrow" && form !== "arrowSchema") return schema;
  await loadArrow();
  return fromTable(toTable(schema), "arrowSchema");
}
