import { IMAGE_DELEGATES } from "../../images/image-delegates.ts";
import { ARRAY_DELEGATES, ndArrayDelegate } from "../formatters/hdf5/array-delegates.ts";
import { ARROW_NUMPY_DELEGATE, TABLE_DELEGATES } from "../formatters/parquet/table-delegates.ts";
import { isPlainObject } from "../formatters/value-path.ts";

/**
 * The in-memory form of one Python type in butler-ts (daf_butler's `StorageClassDelegate`, reduced to
 * what JavaScript objects need): which objects are of the type, and how to compute derived components or
 * apply read parameters when the type supports them. Read/write components of composites are the
 * properties of the same name of a plain object, for every type.
 */
export interface StorageClassDelegate {
  /** What objects of the type are, for messages: `a mapping (a plain object, like Python's dict)`. */
  readonly expected: string;
  /** Whether `object` is of the type. */
  accepts(object: unknown): boolean;
  /** A derived component (`columns`, `rowcount`, ...) of an object, or undefined when the type has none it can compute. */
  derive?(object: unknown, component: string): unknown;
  /** The object with read parameters applied, when the type supports parameters. */
  applyParameters?(object: unknown, parameters: Readonly<Record<string, unknown>>): unknown;
}

const TASK_METADATA_PARTS = ["scalars", "arrays", "metadata"];

/** lsst.pipe.base's TaskMetadata in its JSON form: `{scalars: {...}, arrays: {...}, metadata: {name: TaskMetadata}}`. */
export function isTaskMetadata(
  object: unknown,
): object is Readonly<Record<string, Readonly<Record<string, unknown>>>> {
  return (
    isPlainObject(object) &&
    Object.keys(object).every((key) => TASK_METADATA_PARTS.includes(key) && isPlainObject(object[key]))
  );
}

/** Delegates by pytype (daf_butler's Python type string); a storage class uses its own pytype's, else its nearest ancestor's. */
export const DELEGATES: Readonly<Record<string, StorageClassDelegate>> = Object.freeze({
  dict: { expected: "a mapping (a plain object, like Python's dict)", accepts: isPlainObject },
  list: { expected: "a list (an array)", accepts: Array.isArray },
  int: {
    expected: "an integer (a number without fraction, at most 2^53 in size)",
    accepts: Number.isSafeInteger,
  },
  str: { expected: "a string", accepts: (object) => typeof object === "string" },
  "lsst.utils.packages.Packages": {
    expected: "a mapping of package names to version strings",
    accepts: (object) => isPlainObject(object) && Object.values(object).every((v) => typeof v === "string"),
  },
  "lsst.pipe.base.TaskMetadata": {
    expected: "task metadata (a plain object with only scalars, arrays and metadata mappings)",
    accepts: isTaskMetadata,
  },
  ...ARRAY_DELEGATES,
  // Tables: `dict` still accepts any plain object, and column dicts are tables (ArrowNumpyDict).
  ...TABLE_DELEGATES,
  // NumpyArray's NdArrays, and the Tables of ArrowNumpy (same pytype).
  "numpy.ndarray": ndArrayDelegate(ARROW_NUMPY_DELEGATE),
  ...IMAGE_DELEGATES,
});

/**
 * The delegate of types butler-ts has no model for (images, catalogs, ...): a composite must be a plain
 * object holding its components; anything else is left for its formatter to judge.
 */
export function genericDelegate(pytype: string, composite: boolean): StorageClassDelegate {
  return composite
    ? { expected: `a plain object holding the components of a ${pytype}`, accepts: isPlainObject }
    : { expected: `a ${pytype}`, accepts: () => true };
}
