import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byteSource } from "../../../../test/support/byte-source.ts";
import { rejection } from "../../../../test/support/caught.ts";
import { type NdArray, ndArray } from "../../../arrays/nd-array.ts";
import { ND_DTYPES, type NdDtype } from "../../../arrays/nd-dtype.ts";
import { FormatterError } from "../../../errors.ts";
import type { ByteSource } from "../formatter.ts";
import { loadH5wasm } from "./h5wasm-module.ts";
import { readHdf5 } from "./hdf5-reader.ts";
import { chunkShape, type Hdf5GroupWriter, writeHdf5 } from "./hdf5-writer.ts";

// Temporary files go to a directory of this file's own, so the test can see that none are left behind.
const previousTmp = process.env.TMPDIR;
const scratch = mkdtempSync(join(tmpdir(), "hdf5-codec-"));
beforeAll(() => {
  process.env.TMPDIR = scratch;
});
afterAll(() => {
  process.env.TMPDIR = previousTmp;
  rmSync(scratch, { recursive: true, force: true });
});

const NUMERIC = ND_DTYPES.filter((d) => d !== "str" && d !== "bool");
const SHAPES: readonly (readonly number[])[] = [[], [5], [2, 3], [2, 3, 4], [0, 3]];

/** Values that test the ends of each dtype's range. */
function sample(dtype: NdDtype, size: number): NdArray {
  const values = Array.from({ length: size }, (_, i) => i * 7 - 3);
  switch (dtype) {
    case "int64":
      return ndArray(
        values.map((v, i) => (i === 0 ? -(2n ** 63n) : BigInt(v))),
        { dtype },
      );
    case "uint64":
      return ndArray(
        values.map((v, i) => (i === 0 ? 2n ** 64n - 1n : BigInt(Math.abs(v)))),
        { dtype },
      );
    case "float32":
    case "float64":
      return ndArray(
        values.map((v, i) => (i === 1 ? Number.NaN : v / 4)),
        { dtype },
      );
    case "str":
      return ndArray(
        values.map((v) => `é${v}`),
        { dtype },
      );
    default:
      return ndArray(
        values.map((v) => (dtype.startsWith("u") ? Math.abs(v) : v)),
        { dtype },
      );
  }
}

function shaped(array: NdArray, shape: readonly number[]): NdArray {
  return ndArray(array.data, { shape, dtype: array.dtype });
}

async function roundTrip<T>(
  build: (root: Hdf5GroupWriter) => void,
  read: Parameters<typeof readHdf5<T>>[2],
): Promise<T> {
  return readHdf5(byteSource(await writeHdf5(build)), "test.h5", read);
}

describe("HDF5 codec", () => {
  it("round-trips arrays of every dtype and rank", async () => {
    const arrays = new Map<string, NdArray>();
    for (const dtype of [...NUMERIC, "str" as const]) {
      for (const shape of SHAPES) {
        const size = shape.reduce((a, b) => a * b, 1);
        arrays.set(`${dtype}-${shape.join("x") || "scalar"}`, shaped(sample(dtype, size), shape));
      }
    }
    const read = await roundTrip(
      (root) => {
        for (const [name, array] of arrays) root.dataset(name, array);
      },
      (root) => new Map(root.names().map((name) => [name, root.dataset(name).read()])),
    );
    expect([...read.keys()].sort()).toEqual([...arrays.keys()].sort());
    for (const [name, array] of arrays) {
      const got = read.get(name) as NdArray;
      expect([name, got.dtype, got.shape]).toEqual([name, array.dtype, array.shape]);
      expect(got.data).toEqual(array.data);
    }
  });

  it("round-trips attributes of datasets and groups, in nested groups", async () => {
    const attributes = {
      text: "naïve ✓",
      whole: 42,
      negative: -7,
      fraction: 0.1,
      huge: 2n ** 62n,
      unsigned: 2n ** 64n - 1n,
      names: ["a", "bé"],
      floats: ndArray(new Float32Array([1.5, -2])),
      matrix: ndArray(new Int16Array([1, 2, 3, 4]), { shape: [2, 2] }),
    };
    const [onDataset, onGroup] = await roundTrip(
      (root) => {
        const inner = root.group("outer").group("inner");
        inner.attributes(attributes);
        inner.dataset("d", ndArray([1, 2]), attributes);
      },
      (root) => {
        const inner = root.group("outer").group("inner");
        return [inner.dataset("d").attributes(), inner.attributes()];
      },
    );
    for (const read of [onDataset ?? {}, onGroup ?? {}]) {
      expect(read).toEqual({ ...attributes, names: ["a", "bé"] });
      expect((read.matrix as NdArray).toList()).toEqual([
        [1, 2],
        [3, 4],
      ]);
    }
  });

  it("reads only a hyperslab of a dataset", async () => {
    const image = ndArray(
      Float32Array.from({ length: 300 * 400 }, (_, i) => i),
      { shape: [300, 400] },
    );
    const part = await roundTrip(
      (root) => root.dataset("image", image),
      (root) =>
        root.dataset("image").read([
          [10, 13],
          [395, 1000],
        ]),
    );
    expect(part.shape).toEqual([3, 5]);
    expect(part.data).toEqual(
      image.slice([
        [10, 13],
        [395, 400],
      ]).data,
    );
    expect(part.at(0, 0)).toBe(10 * 400 + 395);
  });

  it("chunks compressed datasets in about 1 MiB of whole trailing rows", () => {
    expect(chunkShape([4000, 4000], 4)).toEqual([65, 4000]);
    expect(chunkShape([10, 20], 8)).toEqual([10, 20]);
    expect(chunkShape([3, 2000, 2000], 4)).toEqual([1, 131, 2000]);
    expect(chunkShape([10, 1_000_000], 8)).toEqual([1, 131072]);
  });

  it("opens a local file where it is, and leaves no temporary file behind", async () => {
    const bytes = await writeHdf5((root) => root.dataset("data", ndArray([1, 2, 3])));
    const path = join(mkdtempSync(join(tmpdir(), "local-")), "a.h5");
    writeFileSync(path, bytes);
    const local: ByteSource = {
      ...byteSource(bytes),
      localPath: path,
      readAll: async () => Promise.reject(new Error("read by path")),
    };
    const read = await readHdf5(local, path, (root) => root.dataset("data").read().toList());
    expect(read).toEqual([1, 2, 3]);
    expect(readdirSync(scratch).filter((name) => name.startsWith("butler-ts-"))).toEqual([]);
  });

  it("refuses a file without the HDF5 signature", async () => {
    const error = await rejection(
      readHdf5(byteSource("not an HDF5 file at all"), "a.h5", () => 0),
      FormatterError,
    );
    expect(error.code).toBe("FormatterError");
    expect(error.message).toBe("Cannot read HDF5: the file has no HDF5 signature (a.h5 at byte 0)");
    expect(error.hint).toBe("The file is not HDF5: it may be in another format, or empty.");
    expect(
      (
        await rejection(
          readHdf5(byteSource(""), "e.h5", () => 0),
          FormatterError,
        )
      ).message,
    ).toBe("Cannot read HDF5: the file has no HDF5 signature (e.h5 at byte 0)");
  });

  it("refuses a truncated file", async () => {
    const bytes = await writeHdf5((root) => root.dataset("data", ndArray(new Float64Array(1000))));
    const cut = bytes.slice(0, 3000);
    const error = await rejection(
      readHdf5(byteSource(cut), "cut.h5", () => 0),
      FormatterError,
    );
    expect(error.message).toBe(
      `Cannot read HDF5: the file is truncated (3000 bytes of ${bytes.length}) (cut.h5)`,
    );
  });

  it("turns libhdf5's errors on a damaged file into a FormatterError", async () => {
    const bytes = await writeHdf5((root) => root.dataset("data", ndArray(new Float64Array(10))));
    const damaged = bytes.slice();
    damaged.fill(0xee, 100, 1500);
    const error = await rejection(
      readHdf5(byteSource(damaged), "bad.h5", (root) => root.dataset("data").read()),
      FormatterError,
    );
    expect(error.message).toMatch(/^Cannot read HDF5: .+ \(bad\.h5\)$/);
    // h5wasm formats each libhdf5 error through a temporary file it does not close; we close it.
    const open = readdirSync("/proc/self/fd").map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return "";
      }
    });
    expect(open.filter((target) => target.includes("tmpfile_"))).toEqual([]);
  });

  it("refuses a missing dataset and an unsupported type, naming the file", async () => {
    const h5 = await loadH5wasm();
    const path = join(mkdtempSync(join(tmpdir(), "compound-")), "c.h5");
    const file = new h5.File(path, "w");
    file.create_dataset({
      name: "pairs",
      data: new Map([
        ["a", [1, 2]],
        ["b", [0.5, 1.5]],
      ]),
    });
    file.close();
    const real = { ...byteSource(new Uint8Array(readFileSync(path))), localPath: path };
    const missing = await rejection(
      readHdf5(real, "c.h5", (root) => root.dataset("data")),
      FormatterError,
    );
    expect(missing.message).toBe('Cannot read HDF5: the file has no dataset "/data" (c.h5)');
    const unsupported = await rejection(
      readHdf5(real, "c.h5", (root) => root.dataset("pairs")),
      FormatterError,
    );
    expect(unsupported.message).toBe(
      'Cannot read HDF5 dataset "/pairs": its type is compound (a structured or complex type), which butler-ts cannot hold (c.h5)',
    );
  });

  it("refuses to write what HDF5 through h5wasm cannot hold", async () => {
    const bool = await rejection(
      writeHdf5((root) => root.dataset("flags", ndArray([true]))),
      FormatterError,
    );
    expect(bool.message).toBe('Cannot write HDF5: dataset "flags" has dtype bool');
    const slash = await rejection(
      writeHdf5((root) => root.group("a/b")),
      FormatterError,
    );
    expect(slash.message).toBe('Cannot write HDF5: group name "a/b" is empty, "." or contains "/"');
    const flag = await rejection(
      writeHdf5((root) => root.attributes({ on: true as unknown as string })),
      FormatterError,
    );
    expect(flag.message).toBe('Cannot write HDF5: attribute "on" cannot hold a boolean');
    expect(readdirSync(scratch).filter((name) => name.startsWith("butler-ts-"))).toEqual([]);
  });
});
