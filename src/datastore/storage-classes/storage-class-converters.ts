import { TABLE_CONVERTERS } from "../formatters/parquet/table-converters.ts";
import { isTaskMetadata } from "./storage-class-delegates.ts";

/**
 * A conversion from the in-memory form of one Python type to another's (daf_butler's `converters`, which
 * name Python functions; ours are code in this table). Used by `get` with another storage class and by
 * `put` of an object of a convertible type.
 */
export interface StorageClassConverter {
  /** pytype of the objects it converts. */
  readonly from: string;
  /** pytype of what it returns. */
  readonly to: string;
  convert(object: unknown): unknown;
}

/** lsst.pipe.base's `TaskMetadata.to_dict()`: scalars, arrays and nested metadata as one nested mapping. */
function taskMetadataToDict(metadata: unknown): unknown {
  if (!isTaskMetadata(metadata)) return metadata;
  const result: Record<string, unknown> = { ...metadata.scalars, ...metadata.arrays };
  for (const [name, nested] of Object.entries(metadata.metadata ?? {}))
    result[name] = taskMetadataToDict(nested);
  return result;
}

/** Every conversion butler-ts knows; objects of the same pytype need none. */
export const CONVERTERS: readonly StorageClassConverter[] = Object.freeze([
  { from: "lsst.pipe.base.TaskMetadata", to: "dict", convert: taskMetadataToDict },
  // lsst.utils's Packages is a dict subclass: both directions keep the mapping as it is.
  { from: "dict", to: "lsst.utils.packages.Packages", convert: (object: unknown) => object },
  { from: "lsst.utils.packages.Packages", to: "dict", convert: (object: unknown) => object },
  ...TABLE_CONVERTERS,
]);
