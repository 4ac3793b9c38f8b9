import { columnDictOf, isColumnDict, tableFromColumnDict } from "../../../tables/column-dict.ts";
import { filterTable } from "../../../tables/row-filter.ts";
import { isTable, type Table } from "../../../tables/table.ts";
import { isTableSchema } from "../../../tables/table-schema.ts";
import type { StorageClassDelegate } from "../../storage-classes/storage-class-delegates.ts";
import { isPlainObject } from "../value-path.ts";
import { isArrowSchema } from "./arrow-schema.ts";
import { isArrowTable, tableOfArrow } from "./arrow-tables.ts";
import { fromTable, type TableForm } from "./table-forms.ts";

/**
 * A delegate for one table form: derives `columns`, `rowcount` and `schema` and applies the `columns`
 * parameter in memory (when the formatter did not: in-memory datastores, formatters that read whole).
 */
function tableDelegate(
  expected: string,
  accepts: (object: unknown) => boolean,
  toTable: (object: unknown) => Table | undefined,
  form: TableForm,
): StorageClassDelegate {
  return {
    expected,
    accepts,
    derive(object, component) {
      const table = toTable(object);
      if (table === undefined) return undefined;
      if (component === "columns") return Object.freeze([...table.names]);
      if (component === "rowcount") return table.rowcount;
      if (component === "schema") return fromTable(table, form === "arrow" ? "arrowSchema" : "schema");
      return undefined;
    },
    applyParameters(object, parameters) {
      const table = toTable(object);
      if (table === undefined) return object;
      return fromTable(applyTableParameters(table, parameters), form);
    },
  };
}

/** A table with `filters` (rows) then `columns` applied, in memory. */
function applyTableParameters(table: Table, parameters: Readonly<Record<string, unknown>>): Table {
  const filtered = parameters.filters === undefined ? table : filterTable(table, parameters.filters);
  const columns = parameters.columns as string | readonly string[] | undefined;
  return columns === undefined ? filtered : filtered.select(columns);
}

const TABLE_EXPECTED = "a Table (makeTable)";
const asTable = (object: unknown): Table | undefined => (isTable(object) ? object : undefined);

/**
 * Delegates of the table pytypes, by daf_butler's Python type: astropy and pandas tables are a Table;
 * pyarrow tables and schemas apache-arrow ones; `dict` keeps accepting any plain object (it is also
 * StructuredDataDict's type, and of composites whose parameters butler-ts cannot apply, so it applies
 * none: the Parquet formatter applies them to ArrowNumpyDict) and derives components of column dicts. The
 * Tables of ArrowNumpy (pytype `numpy.ndarray`) have {@link ARROW_NUMPY_DELEGATE}.
 */
export const TABLE_DELEGATES: Readonly<Record<string, StorageClassDelegate>> = Object.freeze({
  "astropy.table.Table": tableDelegate(TABLE_EXPECTED, isTable, asTable, "table"),
  "pandas.core.frame.DataFrame": tableDelegate(TABLE_EXPECTED, isTable, asTable, "table"),
  "pyarrow.lib.Table": tableDelegate(
    "an apache-arrow Table",
    isArrowTable,
    (object) => (isArrowTable(object) ? tableOfArrow(object) : undefined),
    "arrow",
  ),
  dict: {
    expected: "a mapping (a plain object, like Python's dict)",
    accepts: isPlainObject,
    derive: (object, component) =>
      component === "schema"
        ? isColumnDict(object)
          ? tableFromColumnDict(object).schema()
          : undefined
        : deriveMappingComponent(object, component),
  },
  "pyarrow.Schema": { expected: "an apache-arrow Schema", accepts: isArrowSchema },
  "lsst.daf.butler.formatters.parquet.ArrowAstropySchema": schemaDelegate(),
  "lsst.daf.butler.formatters.parquet.ArrowNumpySchema": schemaDelegate(),
  "lsst.daf.butler.formatters.parquet.DataFrameSchema": schemaDelegate(),
});

/**
 * The delegate of ArrowNumpy's Tables under numpy's `ndarray` pytype, which NumpyArray shares: the array
 * delegate takes it as its base (`ndArrayDelegate(ARROW_NUMPY_DELEGATE)`).
 */
export const ARROW_NUMPY_DELEGATE: StorageClassDelegate = tableDelegate(
  TABLE_EXPECTED,
  isTable,
  asTable,
  "table",
);

/**
 * `columns` and `rowcount` of a mapping of columns (arrays, typed arrays, or NdArrays read from HDF5):
 * its keys, and the length of its first column.
 */
function deriveMappingComponent(object: unknown, component: string): unknown {
  if (!isPlainObject(object)) return undefined;
  if (component === "columns") return Object.keys(object);
  if (component !== "rowcount") return undefined;
  const first = Object.values(object)[0] as { shape?: unknown; length?: unknown } | undefined;
  if (first === undefined) return 0;
  if (Array.isArray(first.shape)) return first.shape[0] ?? 1;
  return typeof first.length === "number" ? first.length : undefined;
}

function schemaDelegate(): StorageClassDelegate {
  return { expected: "a TableSchema (a table's schema())", accepts: isTableSchema };
}

/** A column dict's columns as a table, for converters. */
export function columnDictToTable(object: unknown): unknown {
  return isColumnDict(object) ? tableFromColumnDict(object) : object;
}

/** A table's columns as a column dict, for converters. */
export function tableToColumnDict(object: unknown): unknown {
  return isTable(object) ? columnDictOf(object) : object;
}
