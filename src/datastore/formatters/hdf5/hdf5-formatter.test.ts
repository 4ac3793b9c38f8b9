import { describe, expect, it } from "vitest";
import { byteSource } from "../../../../test/support/byte-source.ts";
import { rejection } from "../../../../test/support/caught.ts";
import { type NdArray, ndArray } from "../../../arrays/nd-array.ts";
import {
  ArgumentError,
  FormatterError,
  MissingDependencyError,
  StorageClassError,
  UnknownColumnError,
} from "../../../errors.ts";
import type { FormatterReadOptions } from "../formatter.ts";
import { formatterForExtension, formatterNamed, recordNameOf } from "../formatter-names.ts";
import { hdf5Formatter } from "./hdf5-formatter.ts";

const IMAGE = ndArray(
  Float32Array.from({ length: 4 * 6 }, (_, i) => i),
  { shape: [4, 6] },
);

async function stored(object: unknown, storageClass?: string): Promise<Uint8Array> {
  return hdf5Formatter.write(object, storageClass === undefined ? {} : { storageClass });
}

async function read(bytes: Uint8Array, options: FormatterReadOptions = {}): Promise<unknown> {
  return hdf5Formatter.read(byteSource(bytes), options, "x.h5");
}

describe("hdf5 formatter", () => {
  it("is known by name and by extension, and recorded as hdf5", () => {
    expect(formatterNamed("hdf5")).toBe(hdf5Formatter);
    expect([".h5", ".hdf5", ".HDF"].map(formatterForExtension)).toEqual([
      hdf5Formatter,
      hdf5Formatter,
      hdf5Formatter,
    ]);
    expect(recordNameOf(hdf5Formatter)).toBe("hdf5");
  });

  describe("NumpyArray", () => {
    it("writes an NdArray as /data and reads it back", async () => {
      const bytes = await stored(IMAGE, "NumpyArray");
      const back = (await read(bytes, { storageClass: "NumpyArray" })) as NdArray;
      expect([back.dtype, back.shape, back.data]).toEqual(["float32", [4, 6], IMAGE.data]);
      expect(((await read(bytes)) as NdArray).shape).toEqual([4, 6]);
    });

    it("reads a slice, a bbox, and the shape component", async () => {
      const bytes = await stored(IMAGE, "NumpyArray");
      const slice = (await read(bytes, {
        storageClass: "NumpyArray",
        parameters: {
          slice: [
            [1, 3],
            [-2, null],
          ],
        },
      })) as NdArray;
      expect(slice.toList()).toEqual([
        [10, 11],
        [16, 17],
      ]);
      const box = (await read(bytes, {
        storageClass: "NumpyArray",
        parameters: { bbox: { x0: 1, y0: 2, x1: 2, y1: 3 } },
      })) as NdArray;
      expect(box.toList()).toEqual([
        [13, 14],
        [19, 20],
      ]);
      expect(await read(bytes, { storageClass: "NumpyArray", component: "shape" })).toEqual([4, 6]);
    });

    it("refuses both a slice and a bbox, bad values and unknown parameters", async () => {
      const bytes = await stored(IMAGE, "NumpyArray");
      const both = await rejection(
        read(bytes, {
          storageClass: "NumpyArray",
          parameters: { slice: [], bbox: { x0: 0, y0: 0, x1: 0, y1: 0 } },
        }),
        ArgumentError,
      );
      expect(both.message).toBe("Give a slice or a bbox, not both");
      const outside = await rejection(
        read(bytes, { storageClass: "NumpyArray", parameters: { bbox: { x0: 0, y0: 0, x1: 6, y1: 0 } } }),
        ArgumentError,
      );
      expect(outside.message).toBe(
        "bbox {x0: 0, y0: 0, x1: 6, y1: 0} is not a non-empty box of whole pixels inside the 6x4 image",
      );
      const unknown = await rejection(
        read(bytes, { storageClass: "NumpyArray", parameters: { columns: ["a"] } }),
        StorageClassError,
      );
      expect(unknown.code).toBe("StorageClassError");
      expect(unknown.message).toBe('Storage class "NumpyArray" has no read parameter "columns"');
      expect(unknown.hint).toBe("The hdf5 formatter applies: slice, bbox.");
    });

    it("refuses to write something that is not an NdArray, and a file without /data", async () => {
      const wrong = await rejection(stored([1, 2, 3], "NumpyArray"), FormatterError);
      expect(wrong.message).toBe(
        'Cannot write HDF5: storage class "NumpyArray" needs an NdArray; got an array',
      );
      const mapping = await stored({ other: ndArray([1]) }, "StructuredDataDict");
      const missing = await rejection(read(mapping, { storageClass: "NumpyArray" }), FormatterError);
      expect(missing.message).toBe('Cannot read HDF5: the file has no dataset "/data" (x.h5)');
      expect(missing.hint).toBe("It was not written by this formatter, or for another storage class.");
    });
  });

  describe("ArrowNumpyDict", () => {
    const table = {
      z: new Float64Array([1.5, 2.5, 3.5]),
      id: new BigInt64Array([7n, 8n, 9n]),
      name: ["a", "b", "c"],
    };

    it("keeps the columns and their order", async () => {
      const back = (await read(await stored(table, "ArrowNumpyDict"), {
        storageClass: "ArrowNumpyDict",
      })) as object;
      expect(Object.keys(back)).toEqual(["z", "id", "name"]);
      expect(back).toEqual(table);
      const plain = await stored({ x: [1, 2], s: ndArray(new Int16Array([3, 4])) }, "ArrowNumpyDict");
      expect(await read(plain, { storageClass: "ArrowNumpyDict" })).toEqual({
        x: new Float64Array([1, 2]),
        s: new Int16Array([3, 4]),
      });
    });

    it("reads only the columns asked for, and the columns and rowcount components", async () => {
      const bytes = await stored(table, "ArrowNumpyDict");
      const options = (more: FormatterReadOptions) => ({ storageClass: "ArrowNumpyDict", ...more });
      expect(await read(bytes, options({ parameters: { columns: ["name", "z"] } }))).toEqual({
        name: table.name,
        z: table.z,
      });
      expect(await read(bytes, options({ parameters: { columns: "id" } }))).toEqual({ id: table.id });
      expect(await read(bytes, options({ component: "columns" }))).toEqual(["z", "id", "name"]);
      expect(await read(bytes, options({ component: "rowcount" }))).toBe(3);
      const schema = await rejection(read(bytes, options({ component: "schema" })), MissingDependencyError);
      expect(schema.message).toBe(
        'butler-ts cannot compute derived component "schema" of storage class "ArrowNumpyDict" yet',
      );
      expect(await read(bytes, options({ parameters: { columns: ["na*"] } }))).toEqual({ name: table.name });
      const unknown = await rejection(
        read(bytes, options({ parameters: { columns: ["flux"] } })),
        UnknownColumnError,
      );
      expect(unknown.code).toBe("UnknownColumnError");
      expect(unknown.message).toBe('No column matches "flux" (x.h5)');
      expect(unknown.hint).toBe("Columns: z, id, name.");
      const malformed = await rejection(read(bytes, options({ parameters: { columns: 3 } })), ArgumentError);
      expect(malformed.message).toBe(
        "The columns parameter is a column name or a list of them; got a number",
      );
    });

    it("refuses columns of different lengths and columns that are not arrays", async () => {
      const ragged = await rejection(stored({ a: [1, 2], b: [1] }, "ArrowNumpyDict"), FormatterError);
      expect(ragged.message).toBe('Cannot write HDF5: column "b" has 1 rows but column "a" has 2');
      const masked = await rejection(stored({ a: [1, null] }, "ArrowNumpyDict"), FormatterError);
      expect(masked.message).toBe(
        'Cannot write HDF5: column "a" has missing values (null), which HDF5 columns cannot hold',
      );
      const scalar = await rejection(stored({ a: 1 }, "ArrowNumpyDict"), FormatterError);
      expect(scalar.message).toBe(
        'Cannot write HDF5: column "a" of a "ArrowNumpyDict" is a number, not a 1-D array',
      );
    });
  });

  describe("StructuredDataDict", () => {
    it("round-trips a nested mapping of arrays and scalars", async () => {
      const mapping = {
        title: "survey",
        count: 3,
        scale: 0.25,
        tags: ["a", "b"],
        values: [1, 2, 3],
        image: IMAGE,
        nested: { deeper: { id: 9n ** 20n }, flux: ndArray(["x"]) },
      };
      const back = (await read(await stored(mapping, "StructuredDataDict"), {
        storageClass: "StructuredDataDict",
      })) as Record<string, unknown>;
      expect(back).toEqual(mapping);
    });

    it("refuses values an HDF5 mapping cannot hold, naming their path", async () => {
      const error = await rejection(stored({ a: { on: true } }, "StructuredDataDict"), FormatterError);
      expect(error.message).toBe(
        'Cannot write HDF5: "/a/on" is a boolean, which an HDF5 mapping cannot hold',
      );
    });
  });

  it("compresses numeric datasets with the compression write parameter, and still reads slices", async () => {
    const big = ndArray(
      Float64Array.from({ length: 500 * 600 }, (_, i) => i % 7),
      { shape: [500, 600] },
    );
    const plain = await hdf5Formatter.write(big, { storageClass: "NumpyArray" });
    const packed = await hdf5Formatter.write(big, {
      storageClass: "NumpyArray",
      parameters: { compression: 6 },
    });
    expect(packed.length).toBeLessThan(plain.length / 10);
    const part = (await read(packed, {
      storageClass: "NumpyArray",
      parameters: {
        slice: [
          [498, 500],
          [0, 3],
        ],
      },
    })) as NdArray;
    expect(part.toList()).toEqual(
      big
        .slice([
          [498, 500],
          [0, 3],
        ])
        .toList(),
    );
  });

  it("refuses unknown write parameters and a bad compression level", async () => {
    const error = await rejection(hdf5Formatter.write(IMAGE, { parameters: { level: 4 } }), FormatterError);
    expect(error.message).toBe('Formatter "hdf5" has no write parameter "level"');
    expect(error.hint).toBe("It accepts: compression.");
    const level = await rejection(
      hdf5Formatter.write(IMAGE, { parameters: { compression: 11 } }),
      FormatterError,
    );
    expect(level.message).toBe(
      'Write parameter "compression" of formatter "hdf5" must be a gzip level 0-9; got 11',
    );
  });
});
