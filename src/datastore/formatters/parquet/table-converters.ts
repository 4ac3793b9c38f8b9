import { isTable } from "../../../tables/table.ts";
import { isTableSchema } from "../../../tables/table-schema.ts";
import type { StorageClassConverter } from "../../storage-classes/storage-class-converters.ts";
import { isArrowSchema, tableSchemaOfArrow } from "./arrow-schema.ts";
import { isArrowTable, tableOfArrow } from "./arrow-tables.ts";
import { columnDictToTable, tableToColumnDict } from "./table-delegates.ts";
import { fromTable, toTable } from "./table-forms.ts";

const ASTROPY = "astropy.table.Table";
const PANDAS = "pandas.core.frame.DataFrame";
const NUMPY = "numpy.ndarray";
const ARROW = "pyarrow.lib.Table";
const DICT = "dict";
const PARQUET = "lsst.daf.butler.formatters.parquet";
const SCHEMAS = [
  `${PARQUET}.ArrowAstropySchema`,
  `${PARQUET}.ArrowNumpySchema`,
  `${PARQUET}.DataFrameSchema`,
];

/** The same object: the pytypes share one in-memory form. */
const same = (object: unknown): unknown => object;
const toArrow = (object: unknown): unknown => (isTable(object) ? fromTable(object, "arrow", false) : object);
const fromArrow = (object: unknown): unknown => (isArrowTable(object) ? tableOfArrow(object) : object);

function pairs(from: readonly string[], to: readonly string[], convert: (o: unknown) => unknown) {
  return from.flatMap((f) => to.filter((t) => t !== f).map((t) => ({ from: f, to: t, convert })));
}

/**
 * Conversions between the table storage classes' forms (daf_butler's DataFrame <-> ArrowTable <->
 * ArrowAstropy <-> ArrowNumpy <-> ArrowNumpyDict, and between their schemas). Objects that are not of
 * the expected form pass through unchanged, so the target's check reports them.
 */
export const TABLE_CONVERTERS: readonly StorageClassConverter[] = Object.freeze([
  ...pairs([ASTROPY, PANDAS, NUMPY], [ASTROPY, PANDAS, NUMPY], same),
  ...pairs([ASTROPY, PANDAS, NUMPY], [DICT], tableToColumnDict),
  ...pairs([DICT], [ASTROPY, PANDAS, NUMPY], columnDictToTable),
  ...pairs([ASTROPY, PANDAS, NUMPY], [ARROW], toArrow),
  ...pairs([ARROW], [ASTROPY, PANDAS, NUMPY], fromArrow),
  { from: ARROW, to: DICT, convert: (o: unknown) => tableToColumnDict(fromArrow(o)) },
  { from: DICT, to: ARROW, convert: (o: unknown) => toArrow(columnDictToTable(o)) },
  ...pairs(SCHEMAS, SCHEMAS, same),
  ...pairs(SCHEMAS, ["pyarrow.Schema"], (o) => (isTableSchema(o) ? fromTable(toTable(o), "arrowSchema") : o)),
  ...pairs(["pyarrow.Schema"], SCHEMAS, (o) => (isArrowSchema(o) ? tableSchemaOfArrow(o) : o)),
]);
