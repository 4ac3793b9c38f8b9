import { randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dataset, Group, Metadata } from "h5wasm/node";
import { type Hyperslab, resolveHyperslab } from "../../../arrays/hyperslab.ts";
import { type NdArray, ndArray } from "../../../arrays/nd-array.ts";
import { type NdData, type NdDtype, typedArrayClassOf } from "../../../arrays/nd-dtype.ts";
import { FormatterError } from "../../../errors.ts";
import type { ByteSource } from "../formatter.ts";
import { guardHdf5, loadH5wasm } from "./h5wasm-module.ts";
import { describeHdf5Type, ndDtypeOfHdf5 } from "./hdf5-dtypes.ts";
import { checkHdf5File } from "./hdf5-file-check.ts";

/**
 * An attribute value as read: a string, a number (a bigint for 64-bit integers beyond 2^53), a boolean
 * (h5py's bool), a list of strings, an array, or null for an attribute without a value.
 */
export type Hdf5AttributeRead = string | number | bigint | boolean | readonly string[] | NdArray | null;

/** One dataset of an open HDF5 file. */
export interface Hdf5DatasetReader {
  /** Its path in the file (`/data`). */
  readonly path: string;
  readonly shape: readonly number[];
  readonly dtype: NdDtype;
  /** @throws {FormatterError} for an attribute of a type butler-ts cannot hold. */
  attributes(): Record<string, Hdf5AttributeRead>;
  /**
   * Its elements, or only those of a hyperslab (only that part is read from the file).
   * @throws {FormatterError} when the part is too big for h5wasm's memory, or the file is damaged.
   * @throws {ArgumentError} for a malformed hyperslab.
   */
  read(slab?: Hyperslab): NdArray;
}

/** One group of an open HDF5 file. */
export interface Hdf5GroupReader {
  readonly path: string;
  /** Names of its members, in the file's order. */
  names(): string[];
  /** What a member is, or undefined when there is none of that name (or it is a link or a type). */
  kindOf(name: string): "group" | "dataset" | undefined;
  /** @throws {FormatterError} when there is no such group. */
  group(name: string): Hdf5GroupReader;
  /** @throws {FormatterError} when there is no such dataset, or its type is one butler-ts cannot hold. */
  dataset(name: string): Hdf5DatasetReader;
  /** @throws {FormatterError} for an attribute of a type butler-ts cannot hold. */
  attributes(): Record<string, Hdf5AttributeRead>;
}

/** The most one read may take of h5wasm's 2 GiB heap: the file's own buffers need the rest. */
const MAX_READ_BYTES = 1.5 * 2 ** 30;

function childPath(parent: string, name: string): string {
  return parent === "/" ? `/${name}` : `${parent}/${name}`;
}

function fail(message: string, file: string | undefined, hint?: string): FormatterError {
  return new FormatterError(message, { ...(file === undefined ? {} : { file }), ...(hint ? { hint } : {}) });
}

function dtypeOf(metadata: Metadata, what: string, file: string | undefined): NdDtype {
  const dtype = ndDtypeOfHdf5(metadata);
  if (dtype === undefined) {
    throw fail(
      `Cannot read HDF5 ${what}: its type is ${describeHdf5Type(metadata)}, which butler-ts cannot hold`,
      file,
      "butler-ts reads 8- to 64-bit integers, 32- and 64-bit floats, strings and h5py booleans.",
    );
  }
  return dtype;
}

/** h5wasm's output as the storage of `dtype` (h5py booleans come as signed bytes; scalars unwrapped). */
function storageOf(value: unknown, dtype: NdDtype): NdData {
  if (dtype === "str") return typeof value === "string" ? [value] : (value as string[]);
  if (dtype === "bool") {
    const bytes = value instanceof Int8Array ? value : new Int8Array([Number(value)]);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  }
  if (ArrayBuffer.isView(value)) return value as NdData;
  return ndArray([value as number], { dtype }).data;
}

function emptyOf(dtype: Exclude<NdDtype, "str">): NdData {
  return new (typedArrayClassOf(dtype))(0);
}

function readAttributes(
  target: Group | Dataset,
  file: string | undefined,
): Record<string, Hdf5AttributeRead> {
  const result: Record<string, Hdf5AttributeRead> = {};
  for (const [name, attribute] of Object.entries(target.attrs)) {
    const { metadata } = attribute;
    if (metadata.shape === null) {
      result[name] = null;
      continue;
    }
    const dtype = dtypeOf(metadata, `attribute "${name}" of ${target.path}`, file);
    const data = storageOf(attribute.value, dtype);
    const shape = metadata.shape;
    if (shape.length === 0) {
      const value = data[0] as string | number | bigint;
      if (dtype === "bool") result[name] = value === 1;
      else if (typeof value === "bigint" && Number.isSafeInteger(Number(value))) result[name] = Number(value);
      else result[name] = value;
    } else if (dtype === "str" && shape.length === 1) {
      result[name] = Object.freeze([...(data as readonly string[])]);
    } else {
      result[name] = ndArray(data, { shape, dtype });
    }
  }
  return result;
}

function datasetReader(dataset: Dataset, file: string | undefined): Hdf5DatasetReader {
  const { metadata } = dataset;
  const what = `dataset "${dataset.path}"`;
  if (metadata.shape === null) throw fail(`Cannot read HDF5 ${what}: it has no dataspace (no value)`, file);
  const dtype = dtypeOf(metadata, what, file);
  const shape = Object.freeze([...metadata.shape]);
  return Object.freeze({
    path: dataset.path,
    shape,
    dtype,
    attributes: () => readAttributes(dataset, file),
    read(slab: Hyperslab = []): NdArray {
      const { start, count } = resolveHyperslab(shape, slab);
      const size = count.reduce((a, b) => a * b, 1);
      if (size * metadata.size > MAX_READ_BYTES) {
        throw fail(
          `Cannot read HDF5 ${what}: ${size} elements of ${metadata.size} bytes do not fit in h5wasm's 2 GiB of memory`,
          file,
          "Read it in parts with the slice parameter.",
        );
      }
      if (size === 0) return ndArray(dtype === "str" ? [] : emptyOf(dtype), { shape: count, dtype });
      const value =
        shape.length === 0
          ? dataset.value
          : dataset.slice(start.map((s, i) => [s, s + (count[i] as number)]));
      return ndArray(storageOf(value, dtype), { shape: count, dtype });
    },
  });
}

function groupReader(group: Group, file: string | undefined): Hdf5GroupReader {
  const entity = (name: string) =>
    (group.keys().includes(name) ? group.get(name) : null) as Group | Dataset | { type?: undefined } | null;
  const kindOf = (name: string) => {
    const type = entity(name)?.type;
    return type === "Group" ? "group" : type === "Dataset" ? "dataset" : undefined;
  };
  return Object.freeze({
    path: group.path,
    names: () => group.keys(),
    kindOf,
    group(name: string): Hdf5GroupReader {
      const found = entity(name);
      if (found?.type !== "Group") {
        throw fail(`Cannot read HDF5: the file has no group "${childPath(group.path, name)}"`, file);
      }
      return groupReader(found as Group, file);
    },
    dataset(name: string): Hdf5DatasetReader {
      const found = entity(name);
      if (found?.type !== "Dataset") {
        throw fail(
          `Cannot read HDF5: the file has no dataset "${childPath(group.path, name)}"`,
          file,
          found === null ? "It was not written by this formatter, or for another storage class." : undefined,
        );
      }
      return datasetReader(found as Dataset, file);
    },
    attributes: () => readAttributes(group, file),
  });
}

/**
 * Open an HDF5 artifact read-only and run `read` on its root group. A local file is opened where it is,
 * so hyperslab reads touch only what they need; other bytes go through a temporary file, always removed.
 * @param file The artifact's URI or path, for error messages.
 * @throws {FormatterError} for a file that is not HDF5, is truncated or damaged, or lacks what `read` needs.
 * @throws {MissingDependencyError} when h5wasm is not installed.
 */
export async function readHdf5<T>(
  source: ByteSource,
  file: string | undefined,
  read: (root: Hdf5GroupReader) => T,
): Promise<T> {
  await checkHdf5File(source, file);
  const h5 = await loadH5wasm();
  let temporary: string | undefined;
  let path = source.localPath;
  try {
    if (path === undefined) {
      temporary = join(tmpdir(), `butler-ts-${randomUUID()}.h5`);
      await writeFile(temporary, await source.readAll());
      path = temporary;
    }
    const opened = path;
    return guardHdf5("read", file, () => {
      const handle = new h5.File(opened, "r");
      if (handle.file_id < 0n) throw new Error(`cannot open ${opened}`);
      try {
        return read(groupReader(handle, file));
      } finally {
        handle.close();
      }
    });
  } finally {
    if (temporary !== undefined) await rm(temporary, { force: true });
  }
}
