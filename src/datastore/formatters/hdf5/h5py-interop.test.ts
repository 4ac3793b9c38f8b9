import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rejection } from "../../../../test/support/caught.ts";
import { describeWithPython, runPython } from "../../../../test/support/python.ts";
import { type NdArray, ndArray } from "../../../arrays/nd-array.ts";
import { numpyDtypeString } from "../../../arrays/nd-dtype.ts";
import { FormatterError } from "../../../errors.ts";
import type { ByteSource } from "../formatter.ts";
import { hdf5Formatter } from "./hdf5-formatter.ts";
import { readHdf5 } from "./hdf5-reader.ts";
import { writeHdf5 } from "./hdf5-writer.ts";

const h5dump = spawnSync("h5dump", ["--version"]).status === 0;

const dir = mkdtempSync(join(tmpdir(), "h5py-interop-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function localSource(path: string): ByteSource {
  const bytes = new Uint8Array(readFileSync(path));
  return {
    size: async () => bytes.length,
    read: async (start, end) => bytes.slice(start, end),
    readAll: async () => bytes,
    localPath: path,
  };
}

/** h5py's view of a file: per object path its kind, dtype.str, shape, values and attributes, JSON-safe. */
const DESCRIBE = `
import h5py, json, math, sys, numpy as np
def plain(v):
    if isinstance(v, np.ndarray): return [plain(x) for x in v.tolist()] if v.ndim else plain(v.item())
    if isinstance(v, list): return [plain(x) for x in v]
    if isinstance(v, (bytes, np.bytes_)): return v.decode("utf-8")
    if isinstance(v, (bool, np.bool_)): return bool(v)
    if isinstance(v, (int, np.integer)): return str(int(v))
    if isinstance(v, (float, np.floating)): return None if math.isnan(v) else float(v)
    return v
out = {}
def visit(name, obj):
    entry = {"attrs": {k: plain(obj.attrs[k]) for k in obj.attrs}}
    if isinstance(obj, h5py.Dataset):
        entry.update(dtype=obj.dtype.str if obj.dtype.kind != "O" else "str", shape=list(obj.shape), values=plain(obj[()]))
    out[name] = entry
with h5py.File(json.load(sys.stdin)["path"], "r") as f:
    visit("/", f)
    f.visititems(lambda n, o: visit(n, o))
print(json.dumps(out))
`;

interface Described {
  readonly attrs: Record<string, unknown>;
  readonly dtype?: string;
  readonly shape?: number[];
  readonly values?: unknown;
}

/** Our array's values as DESCRIBE gives them: integers as strings, NaN as null. */
function plain(array: NdArray): unknown {
  const each = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(each)
      : typeof v === "bigint" || (typeof v === "number" && array.dtype.includes("int"))
        ? String(v)
        : Number.isNaN(v)
          ? null
          : v;
  return each(array.toList());
}

describe("HDF5 files and HDF5's own tools", () => {
  it.skipIf(!h5dump)(
    h5dump
      ? "h5dump reads every object of a file we write"
      : "h5dump reads our files [skipped: no h5dump found]",
    async () => {
      const path = join(dir, "dumped.h5");
      writeFileSync(
        path,
        await hdf5Formatter.write(
          {
            title: "t",
            n: 2n ** 40n,
            image: ndArray(new Int16Array([1, 2, 3, 4]), { shape: [2, 2] }),
            names: ndArray(["é"]),
          },
          { storageClass: "StructuredDataDict", parameters: { compression: 3 } },
        ),
      );
      const dump = spawnSync("h5dump", [path], { encoding: "utf8" });
      expect(dump.status).toBe(0);
      expect(dump.stdout).toMatch(
        /DATASET "image" \{\s+DATATYPE {2}H5T_STD_I16LE\s+DATASPACE {2}SIMPLE \{ \( 2, 2 \) \/ \( 2, 2 \) \}/,
      );
      expect(dump.stdout).toContain('ATTRIBUTE "n"');
    },
  );
});

describeWithPython("h5py", "HDF5 files and h5py", (python) => {
  const ours: Record<string, NdArray> = {
    i8: ndArray([-128, 0, 127], { dtype: "int8" }),
    u8: ndArray([0, 255], { dtype: "uint8" }),
    i16: ndArray([-32768, 32767, 1, 2], { dtype: "int16", shape: [2, 2] }),
    u16: ndArray([65535], { dtype: "uint16" }),
    i32: ndArray([-(2 ** 31), 2 ** 31 - 1], { dtype: "int32" }),
    u32: ndArray([2 ** 32 - 1], { dtype: "uint32" }),
    i64: ndArray([-(2n ** 63n), 2n ** 63n - 1n], { dtype: "int64" }),
    u64: ndArray([2n ** 64n - 1n], { dtype: "uint64" }),
    f32: ndArray([0.5, -1.25, Number.NaN, 3, 4, 5], { dtype: "float32", shape: [1, 2, 3] }),
    f64: ndArray([Math.PI], { dtype: "float64", shape: [] }),
    names: ndArray(["a", "bé", "", "日本"], { shape: [2, 2] }),
  };

  it("h5py reads the datasets and attributes we write, with the same values", async () => {
    const bytes = await writeHdf5((root) => {
      const group = root.group("arrays");
      for (const [name, array] of Object.entries(ours)) group.dataset(name, array);
      group.attributes({ text: "ünïcode", count: 3, ratio: 0.5, big: 2n ** 62n + 1n, list: ["x", "y"] });
      root.dataset("data", ndArray([1, 2]), { unit: "adu", shape: ndArray(new Int16Array([3, 4])) });
    });
    const path = join(dir, "ours.h5");
    writeFileSync(path, bytes);
    const seen = runPython<Record<string, Described>>(python, DESCRIBE, { path });
    for (const [name, array] of Object.entries(ours)) {
      const entry = seen[`arrays/${name}`] as Described;
      const dtype = array.dtype === "str" ? "str" : numpyDtypeString(array.dtype);
      expect([name, entry.dtype, entry.shape, entry.values]).toEqual([
        name,
        dtype,
        array.shape,
        plain(array),
      ]);
    }
    expect(seen.arrays?.attrs).toEqual({
      text: "ünïcode",
      count: "3",
      ratio: 0.5,
      big: String(2n ** 62n + 1n),
      list: ["x", "y"],
    });
    expect(seen.data?.attrs).toEqual({ unit: "adu", shape: ["3", "4"] });
  });

  it("h5py reads a compressed array, chunked and gzipped", async () => {
    const path = join(dir, "packed.h5");
    const image = ndArray(
      Int32Array.from({ length: 300 * 200 }, (_, i) => i),
      { shape: [300, 200] },
    );
    writeFileSync(
      path,
      await hdf5Formatter.write(image, { storageClass: "NumpyArray", parameters: { compression: 4 } }),
    );
    const seen = runPython<{ compression: string; level: number; chunks: number[]; sum: string }>(
      python,
      `
import h5py, json, sys
with h5py.File(json.load(sys.stdin)["path"], "r") as f:
    d = f["data"]
    print(json.dumps({"compression": d.compression, "level": d.compression_opts, "chunks": list(d.chunks), "sum": str(int(d[()].astype("i8").sum()))}))
`,
      { path },
    );
    expect(seen).toEqual({
      compression: "gzip",
      level: 4,
      chunks: [300, 200],
      sum: String((60000 * 59999) / 2),
    });
  });

  it("a dataset too big for h5wasm's memory is refused whole and read in slices", async () => {
    const path = join(dir, "huge.h5");
    runPython(
      python,
      `
import h5py, json, sys
with h5py.File(json.load(sys.stdin)["path"], "w") as f:
    d = f.create_dataset("data", shape=(60000, 60000), dtype="<f4", chunks=(1000, 1000), fillvalue=1.5)
    d[59999, 59999] = 7
print("null")
`,
      { path },
    );
    const error = await rejection(
      hdf5Formatter.read(localSource(path), { storageClass: "NumpyArray" }, path),
      FormatterError,
    );
    expect(error.message).toBe(
      `Cannot read HDF5 dataset "/data": 3600000000 elements of 4 bytes do not fit in h5wasm's 2 GiB of memory (${path})`,
    );
    expect(error.hint).toBe("Read it in parts with the slice parameter.");
    const corner = (await hdf5Formatter.read(
      localSource(path),
      {
        storageClass: "NumpyArray",
        parameters: {
          slice: [
            [59998, null],
            [59998, null],
          ],
        },
      },
      path,
    )) as NdArray;
    expect(corner.toList()).toEqual([
      [1.5, 1.5],
      [1.5, 7],
    ]);
  });

  it("we read what h5py writes: big-endian, booleans, fixed and variable strings, chunked and compressed", async () => {
    const path = join(dir, "theirs.h5");
    runPython(
      python,
      `
import h5py, json, sys, numpy as np
with h5py.File(json.load(sys.stdin)["path"], "w") as f:
    f["be"] = np.arange(6, dtype=">f8").reshape(2, 3)
    f["bei"] = np.array([-5, 70000], dtype=">i4")
    f["flags"] = np.array([True, False, True])
    f["fixed"] = np.array([b"ab", b"cde"], dtype="S3")
    f.create_dataset("vlen", data=["x", "yé"], dtype=h5py.string_dtype())
    f["u64"] = np.array([2**64 - 1], dtype="u8")
    f["scalar"] = np.float32(2.5)
    f.create_dataset("big", data=np.arange(200 * 300, dtype="<i4").reshape(200, 300), chunks=(50, 50), compression="gzip")
    g = f.create_group("g")
    g.attrs["s"] = "str"
    g.attrs["i"] = 5
    g.attrs["f"] = 1.5
    g.attrs["b"] = True
    g.attrs["arr"] = np.array([1, 2], dtype="i2")
    g.attrs["strs"] = ["a", "b"]
    g.attrs["huge"] = np.uint64(2**64 - 1)
print("null")
`,
      { path },
    );
    const read = await readHdf5(localSource(path), path, (root) => ({
      be: root.dataset("be").read(),
      bei: root.dataset("bei").read(),
      flags: root.dataset("flags").read(),
      fixed: root.dataset("fixed").read(),
      vlen: root.dataset("vlen").read(),
      u64: root.dataset("u64").read(),
      scalar: root.dataset("scalar").read(),
      corner: root.dataset("big").read([
        [190, 200],
        [295, 300],
      ]),
      attrs: root.group("g").attributes(),
    }));
    expect(read.be.dtype).toBe("float64");
    expect(read.be.toList()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect([read.bei.dtype, read.bei.toList()]).toEqual(["int32", [-5, 70000]]);
    expect([read.flags.dtype, read.flags.toList()]).toEqual(["bool", [true, false, true]]);
    expect(read.fixed.toList()).toEqual(["ab", "cde"]);
    expect(read.vlen.toList()).toEqual(["x", "yé"]);
    expect(read.u64.toList()).toEqual([2n ** 64n - 1n]);
    expect([read.scalar.dtype, read.scalar.shape, read.scalar.toList()]).toEqual(["float32", [], 2.5]);
    expect(read.corner.shape).toEqual([10, 5]);
    expect(read.corner.at(9, 4)).toBe(199 * 300 + 299);
    expect({ ...read.attrs, arr: (read.attrs.arr as NdArray).toList() }).toEqual({
      s: "str",
      i: 5,
      f: 1.5,
      b: true,
      arr: [1, 2],
      strs: ["a", "b"],
      huge: 2n ** 64n - 1n,
    });
  });

  it("the formatter reads an h5py NumpyArray file and an h5py column file", async () => {
    const arrayPath = join(dir, "array.h5");
    const columnsPath = join(dir, "columns.h5");
    runPython(
      python,
      `
import h5py, json, sys, numpy as np
paths = json.load(sys.stdin)
with h5py.File(paths["array"], "w") as f:
    f["data"] = np.arange(12, dtype="<u2").reshape(3, 4)
with h5py.File(paths["columns"], "w") as f:
    f["id"] = np.array([1, 2, 3], dtype="<i8")
    f["flux"] = np.array([0.5, 1.5, 2.5], dtype="<f4")
print("null")
`,
      { array: arrayPath, columns: columnsPath },
    );
    const array = (await hdf5Formatter.read(
      localSource(arrayPath),
      {
        storageClass: "NumpyArray",
        parameters: {
          slice: [
            [1, 3],
            [2, 4],
          ],
        },
      },
      arrayPath,
    )) as NdArray;
    expect([array.dtype, array.toList()]).toEqual([
      "uint16",
      [
        [6, 7],
        [10, 11],
      ],
    ]);
    const columns = await hdf5Formatter.read(
      localSource(columnsPath),
      { storageClass: "ArrowNumpyDict" },
      columnsPath,
    );
    expect(columns).toEqual({ flux: new Float32Array([0.5, 1.5, 2.5]), id: new BigInt64Array([1n, 2n, 3n]) });
  });

  it("h5py reads a column dict in its column order and a nested mapping", async () => {
    const columnsPath = join(dir, "our-columns.h5");
    writeFileSync(
      columnsPath,
      await hdf5Formatter.write({ z: [1.5, 2.5], a: ["p", "q"] }, { storageClass: "ArrowNumpyDict" }),
    );
    const mappingPath = join(dir, "our-mapping.h5");
    writeFileSync(
      mappingPath,
      await hdf5Formatter.write(
        {
          name: "run",
          n: 2,
          nested: { values: [1, 2, 3], image: ndArray(new Float32Array(4), { shape: [2, 2] }) },
        },
        { storageClass: "StructuredDataDict" },
      ),
    );
    const columns = runPython<Record<string, Described>>(python, DESCRIBE, { path: columnsPath });
    expect(columns["/"]?.attrs).toEqual({ columns: ["z", "a"] });
    expect([columns.z?.values, columns.a?.values]).toEqual([
      [1.5, 2.5],
      ["p", "q"],
    ]);
    const mapping = runPython<Record<string, Described>>(python, DESCRIBE, { path: mappingPath });
    expect(mapping["/"]?.attrs).toEqual({ name: "run", n: "2" });
    expect(mapping.nested?.attrs).toEqual({ values: ["1", "2", "3"] });
    expect([mapping["nested/image"]?.dtype, mapping["nested/image"]?.shape]).toEqual(["<f4", [2, 2]]);
  });
});
