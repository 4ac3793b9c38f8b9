import { randomUUID } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dataset, Group } from "h5wasm/node";
import { isNdArray, type NdArray } from "../../../arrays/nd-array.ts";
import { dtypeByteSize } from "../../../arrays/nd-dtype.ts";
import { FormatterError } from "../../../errors.ts";
import { guardHdf5, loadH5wasm } from "./h5wasm-module.ts";
import { hdf5WriteType } from "./hdf5-dtypes.ts";

/**
 * An HDF5 attribute value: a string, a number (written as a 64-bit integer when it has no fraction, else
 * a 64-bit float), a bigint (64-bit integer), a list of strings, or an array.
 */
export type Hdf5AttributeValue = string | number | bigint | readonly string[] | NdArray;

/** Builds one group of an HDF5 file being written. */
export interface Hdf5GroupWriter {
  /**
   * A new subgroup.
   * @throws {FormatterError} for a name HDF5 cannot hold (empty, with `/`, `.`).
   */
  group(name: string): Hdf5GroupWriter;
  /**
   * A new dataset holding an array, with attributes.
   * @throws {FormatterError} for a bad name or an array or attribute HDF5 cannot hold here.
   */
  dataset(name: string, array: NdArray, attributes?: Readonly<Record<string, Hdf5AttributeValue>>): void;
  /**
   * Attributes of the group itself.
   * @throws {FormatterError} for a value HDF5 cannot hold here.
   */
  attributes(values: Readonly<Record<string, Hdf5AttributeValue>>): void;
}

/** The most one dataset may take of h5wasm's 2 GiB heap, which also holds libhdf5's own buffers. */
const MAX_WRITE_BYTES = 1.5 * 2 ** 30;
const INT64_MIN = -(1n << 63n);
const UINT64_END = 1n << 64n;

function checkName(name: string, kind: string): void {
  if (name === "" || name === "." || name.includes("/")) {
    throw new FormatterError(`Cannot write HDF5: ${kind} name "${name}" is empty, "." or contains "/"`, {
      hint: "Use names without slashes.",
    });
  }
}

/** How h5wasm writes an attribute value: data, shape and type; undefined when it cannot. */
function attributeForm(value: Hdf5AttributeValue): [unknown, number[], string] | undefined {
  if (typeof value === "string") return [value, [], "S"];
  if (typeof value === "number") {
    return Number.isSafeInteger(value)
      ? [new BigInt64Array([BigInt(value)]), [], "<q"]
      : [new Float64Array([value]), [], "<d"];
  }
  if (typeof value === "bigint") {
    if (value < INT64_MIN || value >= UINT64_END) return undefined;
    return value < 1n << 63n
      ? [new BigInt64Array([value]), [], "<q"]
      : [new BigUint64Array([value]), [], "<Q"];
  }
  if (Array.isArray(value) && value.every((v) => typeof v === "string"))
    return [[...value], [value.length], "S"];
  if (!isNdArray(value)) return undefined;
  const type = hdf5WriteType(value.dtype);
  if (type === undefined) return undefined;
  return [
    value.dtype === "str" ? [...(value.data as readonly string[])] : value.data,
    [...value.shape],
    type,
  ];
}

function writeAttribute(target: Group | Dataset, name: string, value: Hdf5AttributeValue): void {
  checkName(name, "attribute");
  const form = attributeForm(value);
  if (form === undefined) {
    throw new FormatterError(`Cannot write HDF5: attribute "${name}" cannot hold ${describe(value)}`, {
      hint: "Attributes hold strings, numbers, bigints (64-bit), lists of strings and numeric or string arrays.",
    });
  }
  const [data, shape, type] = form;
  target.create_attribute(name, data as Float64Array, shape, type);
}

function describe(value: unknown): string {
  if (isNdArray(value)) return `an array of dtype ${value.dtype}`;
  if (typeof value === "bigint") return `the bigint ${value}, beyond 64 bits`;
  if (Array.isArray(value)) return "a list that is not all strings";
  return value === null ? "null" : `a ${typeof value}`;
}

/** Options of {@link writeHdf5}. */
export interface Hdf5WriteOptions {
  /** gzip level (1-9) for numeric datasets, stored in chunks of about 1 MiB; 0 or none: uncompressed. */
  readonly gzip?: number;
}

/** Chunk size {@link chunkShape} aims at: big enough for gzip, small enough that a slice reads little extra. */
const CHUNK_BYTES = 2 ** 20;

/** A chunk shape of about {@link CHUNK_BYTES}: whole trailing axes, as many leading rows as fit. */
export function chunkShape(shape: readonly number[], itemSize: number): number[] {
  const chunk = shape.map(() => 1);
  for (let axis = 0; axis < shape.length; axis++) {
    const slab = shape.slice(axis + 1).reduce((a, b) => a * b, itemSize);
    if (slab <= CHUNK_BYTES) {
      chunk[axis] = Math.min(Math.max(Math.floor(CHUNK_BYTES / slab), 1), shape[axis] as number);
      for (let rest = axis + 1; rest < shape.length; rest++) chunk[rest] = shape[rest] as number;
      break;
    }
  }
  return chunk;
}

function groupWriter(group: Group, options: Hdf5WriteOptions): Hdf5GroupWriter {
  return {
    group(name) {
      checkName(name, "group");
      return groupWriter(group.create_group(name), options);
    },
    dataset(name, array, attributes = {}) {
      checkName(name, "dataset");
      const type = hdf5WriteType(array.dtype);
      if (type === undefined) {
        throw new FormatterError(`Cannot write HDF5: dataset "${name}" has dtype ${array.dtype}`, {
          hint: "butler-ts writes integer, float and string arrays to HDF5; store booleans as uint8.",
        });
      }
      const data = array.dtype === "str" ? [...(array.data as readonly string[])] : array.data;
      const itemSize = dtypeByteSize(array.dtype);
      if ((itemSize ?? 0) * array.size > MAX_WRITE_BYTES) {
        throw new FormatterError(
          `Cannot write HDF5: dataset "${name}" has ${array.size * (itemSize ?? 0)} bytes, more than h5wasm's 2 GiB of memory holds`,
          { hint: "Split the array into several datasets." },
        );
      }
      const compress = (options.gzip ?? 0) > 0 && itemSize !== undefined && array.ndim > 0 && array.size > 0;
      const dataset = group.create_dataset({
        name,
        data: data as Float64Array,
        shape: [...array.shape],
        dtype: type,
        ...(compress
          ? { chunks: chunkShape(array.shape, itemSize), compression: "gzip", compression_opts: options.gzip }
          : {}),
      });
      for (const [key, value] of Object.entries(attributes)) writeAttribute(dataset, key, value);
    },
    attributes(values) {
      for (const [key, value] of Object.entries(values)) writeAttribute(group, key, value);
    },
  };
}

/**
 * The bytes of a new HDF5 file that `build` fills from its root group. h5wasm writes only to files, so it
 * goes through a temporary file, always removed.
 * @throws {FormatterError} when `build` asks for something HDF5 cannot hold, or h5wasm fails.
 * @throws {MissingDependencyError} when h5wasm is not installed.
 */
export async function writeHdf5(
  build: (root: Hdf5GroupWriter) => void,
  options: Hdf5WriteOptions = {},
): Promise<Uint8Array> {
  const h5 = await loadH5wasm();
  const path = join(tmpdir(), `butler-ts-${randomUUID()}.h5`);
  try {
    guardHdf5("write", undefined, () => {
      const file = new h5.File(path, "w");
      if (file.file_id < 0n) throw new Error(`cannot create temporary file ${path}`);
      try {
        build(groupWriter(file, options));
      } finally {
        file.close();
      }
    });
    return new Uint8Array(await readFile(path));
  } finally {
    await rm(path, { force: true });
  }
}
