import { type Hyperslab, type PixelBox, pixelBoxHyperslab } from "../../../arrays/hyperslab.ts";
import { isNdArray, type NdArray } from "../../../arrays/nd-array.ts";
import { ArgumentError, FormatterError } from "../../../errors.ts";
import type { FormatterReadOptions } from "../formatter.ts";
import { describeValue } from "../value-path.ts";
import type { Hdf5GroupReader } from "./hdf5-reader.ts";
import type { Hdf5GroupWriter } from "./hdf5-writer.ts";
import { missingComponent, readParameters } from "./read-options.ts";

/** Name of the dataset holding the array. */
export const ARRAY_DATASET = "data";

/** Write an array as the dataset `/data`. */
export function writeNumpyArray(root: Hdf5GroupWriter, object: unknown, storageClass: string): void {
  if (!isNdArray(object)) {
    throw new FormatterError(
      `Cannot write HDF5: storage class "${storageClass}" needs an NdArray; got ${describeValue(object)}`,
      { hint: 'Make one with ndArray(data, { shape, dtype }) from "butler-ts".' },
    );
  }
  root.dataset(ARRAY_DATASET, object);
}

function isBox(value: unknown): value is PixelBox {
  return (
    typeof value === "object" &&
    value !== null &&
    ["x0", "y0", "x1", "y1"].every((k) => typeof (value as Record<string, unknown>)[k] === "number")
  );
}

/**
 * The array of `/data`, or the part the `slice` (`[[start, stop], ...]` per axis) or `bbox`
 * (`{x0, y0, x1, y1}`, inclusive, on the last two axes) parameter selects, reading only that part.
 * @throws {FormatterError} when the file has no `/data` or its type cannot be held.
 * @throws {ArgumentError} for malformed or conflicting parameters.
 * @throws {StorageClassError} for another parameter.
 */
export function readNumpyArray(
  root: Hdf5GroupReader,
  options: FormatterReadOptions | undefined,
  storageClass: string,
): unknown {
  const parameters = readParameters(options, storageClass, ["slice", "bbox"]);
  const dataset = root.dataset(ARRAY_DATASET);
  if (options?.component !== undefined) {
    if (options.component === "shape") return dataset.shape;
    throw missingComponent(options.component, storageClass);
  }
  const { slice, bbox } = parameters;
  if (slice !== undefined && bbox !== undefined) {
    throw new ArgumentError("Give a slice or a bbox, not both");
  }
  let slab: Hyperslab = [];
  if (bbox !== undefined) {
    if (!isBox(bbox)) {
      throw new ArgumentError(
        `A bbox is {x0, y0, x1, y1} (inclusive pixel bounds); got ${describeValue(bbox)}`,
      );
    }
    slab = pixelBoxHyperslab(dataset.shape, bbox);
  } else if (slice !== undefined) {
    slab = slice as Hyperslab;
  }
  return dataset.read(slab) satisfies NdArray;
}
