import { isNdArray } from "../../../arrays/nd-array.ts";
import { FormatterError } from "../../../errors.ts";
import type { Formatter, FormatterReadOptions } from "../formatter.ts";
import { writeParametersOf } from "../write-parameters.ts";
import { COLUMN_ORDER_ATTRIBUTE, readColumnDict, writeColumnDict } from "./column-dict-layout.ts";
import type { Hdf5GroupReader } from "./hdf5-reader.ts";
import { readHdf5 } from "./hdf5-reader.ts";
import type { Hdf5GroupWriter } from "./hdf5-writer.ts";
import { writeHdf5 } from "./hdf5-writer.ts";
import { readMapping, writeMapping } from "./mapping-layout.ts";
import { ARRAY_DATASET, readNumpyArray, writeNumpyArray } from "./numpy-array-layout.ts";

/** How objects of one storage class are laid out in an HDF5 file. */
interface Layout {
  /** The storage class it is for, named in messages when the caller gave none. */
  readonly storageClass: string;
  write(root: Hdf5GroupWriter, object: unknown, storageClass: string): void;
  read(
    root: Hdf5GroupReader,
    options: FormatterReadOptions | undefined,
    storageClass: string,
    file: string | undefined,
  ): unknown;
}

const ARRAY: Layout = { storageClass: "NumpyArray", write: writeNumpyArray, read: readNumpyArray };
const COLUMNS: Layout = { storageClass: "ArrowNumpyDict", write: writeColumnDict, read: readColumnDict };
const MAPPING: Layout = { storageClass: "StructuredDataDict", write: writeMapping, read: readMapping };

const LAYOUTS: Readonly<Record<string, Layout>> = {
  NumpyArray: ARRAY,
  ArrowNumpyDict: COLUMNS,
  StructuredDataDict: MAPPING,
};

/** The layout of a file written for a storage class this formatter does not name: from what it holds. */
function layoutOfFile(root: Hdf5GroupReader): Layout {
  if (root.attributes()[COLUMN_ORDER_ATTRIBUTE] !== undefined) return COLUMNS;
  return root.kindOf(ARRAY_DATASET) === "dataset" ? ARRAY : MAPPING;
}

/**
 * HDF5 files through h5wasm (loaded on first use). `NumpyArray`: an {@link NdArray} as the dataset `/data`,
 * read whole or in part with the `slice` (`[[start, stop], ...]` per axis) or `bbox` (`{x0, y0, x1, y1}`,
 * inclusive, on the last two axes) parameter, reading only that part. `ArrowNumpyDict`: a mapping of column
 * name to values (typed arrays, plain arrays of strings or numbers, 1-D NdArrays; read back as typed arrays
 * and string lists) as one dataset per column, their order in the root attribute `columns`; the `columns`
 * parameter reads only some; components `columns` and `rowcount`. `StructuredDataDict`: a nested mapping as
 * groups, datasets (NdArrays) and attributes (strings, numbers, lists). Write parameter `compression`: a
 * gzip level for numeric datasets (chunked). h5py reads what it writes and the other way round.
 */
export const hdf5Formatter: Formatter = Object.freeze<Formatter>({
  name: "hdf5",
  extension: ".h5",
  extensions: Object.freeze([".h5", ".hdf5", ".hdf"]),
  storageClasses: Object.freeze(Object.keys(LAYOUTS)),
  writeParameters: Object.freeze(["compression"]),
  appliesReadOptions: true,
  async read(source, options, file) {
    const storageClass = options?.storageClass;
    return readHdf5(source, file, (root) => {
      const layout = (storageClass === undefined ? undefined : LAYOUTS[storageClass]) ?? layoutOfFile(root);
      return layout.read(root, options, storageClass ?? layout.storageClass, file);
    });
  },
  async write(object, options) {
    const { compression } = writeParametersOf("hdf5", ["compression"], options);
    if (
      compression !== undefined &&
      !(Number.isInteger(compression) && Number(compression) >= 0 && Number(compression) <= 9)
    ) {
      throw new FormatterError(
        `Write parameter "compression" of formatter "hdf5" must be a gzip level 0-9; got ${String(compression)}`,
      );
    }
    const storageClass = options?.storageClass;
    const layout =
      (storageClass === undefined ? undefined : LAYOUTS[storageClass]) ??
      (isNdArray(object) ? ARRAY : MAPPING);
    return writeHdf5((root) => layout.write(root, object, storageClass ?? layout.storageClass), {
      gzip: (compression as number | undefined) ?? 0,
    });
  },
});
