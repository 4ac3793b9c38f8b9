import { isNdArray, ndArray } from "../../../arrays/nd-array.ts";
import { FormatterError } from "../../../errors.ts";
import type { FormatterReadOptions } from "../formatter.ts";
import { describeValue, isPlainObject } from "../value-path.ts";
import type { Hdf5AttributeRead, Hdf5GroupReader } from "./hdf5-reader.ts";
import type { Hdf5AttributeValue, Hdf5GroupWriter } from "./hdf5-writer.ts";
import { missingComponent, readParameters } from "./read-options.ts";

/** A list of plain numbers or bigints as an array attribute: 64-bit integers when all are whole, else floats. */
function numberList(values: readonly unknown[]): Hdf5AttributeValue | undefined {
  if (values.every((v) => typeof v === "bigint" || Number.isSafeInteger(v))) {
    return ndArray(values as readonly (number | bigint)[] as readonly bigint[], { dtype: "int64" });
  }
  if (values.every((v) => typeof v === "number"))
    return ndArray(values as readonly number[], { dtype: "float64" });
  return undefined;
}

function attributeOf(value: unknown): Hdf5AttributeValue | undefined {
  if (typeof value === "string" || typeof value === "bigint") return value;
  if (typeof value === "number") return value;
  if (!Array.isArray(value)) return undefined;
  if (value.length > 0 && value.every((v) => typeof v === "string")) return value as string[];
  return numberList(value);
}

function writeMembers(group: Hdf5GroupWriter, object: Readonly<Record<string, unknown>>, path: string): void {
  const attributes: Record<string, Hdf5AttributeValue> = {};
  for (const [key, value] of Object.entries(object)) {
    if (isPlainObject(value)) {
      writeMembers(group.group(key), value, `${path}/${key}`);
    } else if (isNdArray(value)) {
      group.dataset(key, value);
    } else {
      const attribute = attributeOf(value);
      if (attribute === undefined) {
        throw new FormatterError(
          `Cannot write HDF5: "${path}/${key}" is ${describeValue(value)}, which an HDF5 mapping cannot hold`,
          {
            hint: "Values are mappings (groups), NdArrays (datasets), strings, numbers, bigints and lists of strings or numbers (attributes).",
          },
        );
      }
      attributes[key] = attribute;
    }
  }
  group.attributes(attributes);
}

/**
 * Write a nested mapping: mappings become groups, NdArrays datasets, and strings, numbers, bigints and lists
 * of them attributes of their group. Key order is not kept (HDF5 lists names in order).
 * @throws {FormatterError} for a value of another kind (booleans and null included), naming its path.
 */
export function writeMapping(root: Hdf5GroupWriter, object: unknown, storageClass: string): void {
  if (!isPlainObject(object)) {
    throw new FormatterError(
      `Cannot write HDF5: storage class "${storageClass}" needs a mapping (a plain object); got ${describeValue(object)}`,
    );
  }
  writeMembers(root, object, "");
}

function plainAttribute(value: Hdf5AttributeRead): unknown {
  if (!isNdArray(value)) return Array.isArray(value) ? [...value] : value;
  const list = value.toList();
  const unwrap = (item: unknown): unknown =>
    Array.isArray(item)
      ? item.map(unwrap)
      : typeof item === "bigint" && Number.isSafeInteger(Number(item))
        ? Number(item)
        : item;
  return unwrap(list);
}

function readMembers(group: Hdf5GroupReader): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(group.attributes())) result[key] = plainAttribute(value);
  for (const name of group.names()) {
    const kind = group.kindOf(name);
    if (kind === "group") result[name] = readMembers(group.group(name));
    else if (kind === "dataset") result[name] = group.dataset(name).read();
  }
  return result;
}

/**
 * Any HDF5 file as a nested mapping: groups as mappings, datasets as NdArrays, attributes as plain values
 * (array attributes as lists).
 * @throws {FormatterError} for a dataset or attribute of a type butler-ts cannot hold.
 */
export function readMapping(
  root: Hdf5GroupReader,
  options: FormatterReadOptions | undefined,
  storageClass: string,
): unknown {
  readParameters(options, storageClass, []);
  if (options?.component !== undefined) throw missingComponent(options.component, storageClass);
  return readMembers(root);
}
