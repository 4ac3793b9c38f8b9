import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { expect, it, onTestFinished } from "vitest";
import { type NdArray, ndArray } from "../../src/arrays/nd-array.ts";
import type { Butler } from "../../src/butler/butler.ts";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import { StorageClassError } from "../../src/errors.ts";
import { det, expectFailure, RUN } from "../conformance/butler/target.ts";
import { createButlerRepo } from "../support/butler-fixtures.ts";
import { findPython } from "../support/python.ts";
import { describeWithFixtures } from "../support/shared-fixtures.ts";

const IMAGE = ndArray(
  Float32Array.from({ length: 50 * 80 }, (_, i) => i / 2),
  { shape: [50, 80] },
);
const TABLE = {
  id: new BigInt64Array([1n, 2n, 3n]),
  flux: new Float64Array([0.5, 1.5, 2.5]),
  band: ["g", "r", "i"],
};

/** A writer on a repository whose file datastore stores NumpyArray and ArrowNumpyDict as HDF5. */
async function hdf5Butler(numpyArray: unknown = "hdf5"): Promise<Butler> {
  const repo = await createButlerRepo({
    datastore: { formatters: { NumpyArray: numpyArray, ArrowNumpyDict: "hdf5" } },
  });
  onTestFinished(() => repo.cleanup());
  const butler = await repo.open({ run: RUN });
  for (const [name, storageClass] of [
    ["image", "NumpyArray"],
    ["catalog", "ArrowNumpyDict"],
  ] as const) {
    await butler.registry.datasetTypes.register(
      DatasetType.make(butler.registry.universe, {
        name,
        dimensions: ["instrument", "detector"],
        storageClass,
      }),
    );
  }
  return butler;
}

const python = findPython("h5py");

describeWithFixtures("a butler storing arrays and tables as HDF5", () => {
  it("put() writes an .h5 file that get() reads back, whole or sliced", async () => {
    const butler = await hdf5Butler();
    await butler.put(IMAGE, "image", det(1));
    const uri = await butler.getURI("image", det(1));
    expect(uri.path.endsWith(".h5")).toBe(true);
    const whole = (await butler.get("image", det(1))) as NdArray;
    expect([whole.dtype, whole.shape, whole.data]).toEqual(["float32", [50, 80], IMAGE.data]);
    const part = (await butler.get("image", det(1), {
      parameters: {
        slice: [
          [10, 12],
          [70, 73],
        ],
      },
    })) as NdArray;
    expect(part.shape).toEqual([2, 3]);
    expect(part.data).toEqual(
      IMAGE.slice([
        [10, 12],
        [70, 73],
      ]).data,
    );
    const box = (await butler.get("image", det(1), {
      parameters: { bbox: { x0: 5, y0: 6, x1: 5, y1: 7 } },
    })) as NdArray;
    expect(box.toList()).toEqual([[IMAGE.at(6, 5)], [IMAGE.at(7, 5)]]);
    const deferred = await butler.getDeferred("image", det(1));
    expect(
      (
        (await deferred.get({
          parameters: {
            slice: [
              [0, 1],
              [0, 2],
            ],
          },
        })) as NdArray
      ).toList(),
    ).toEqual([[0, 0.5]]);
    if (python !== undefined) {
      const check = spawnSync(
        python,
        ["-c", "import h5py, sys; print(h5py.File(sys.argv[1], 'r')['data'].shape)", uri.path],
        {
          encoding: "utf8",
        },
      );
      expect(check.stdout.trim()).toBe("(50, 80)");
    }
  });

  it("the formatter config can ask for compression", async () => {
    const butler = await hdf5Butler({ formatter: "hdf5", parameters: { compression: 5 } });
    const flat = ndArray(new Float64Array(100_000).fill(1), { shape: [100, 1000] });
    await butler.put(flat, "image", det(3));
    const { size } = statSync((await butler.getURI("image", det(3))).path);
    expect(size).toBeLessThan(100_000);
    expect(((await butler.get("image", det(3))) as NdArray).data).toEqual(flat.data);
  });

  it("put() refuses an object that is not an NdArray for a NumpyArray dataset type", async () => {
    const butler = await hdf5Butler();
    await expectFailure(
      butler.put([1, 2, 3], "image", det(1)),
      StorageClassError,
      /^Storage class "NumpyArray" expects an NdArray \(make one with ndArray\(data, \{ shape, dtype \}\) from "butler-ts"\).*; got an array$/,
    );
  });

  it("a column dict round-trips with its columns, and reads some columns and the derived components", async () => {
    const butler = await hdf5Butler();
    await butler.put(TABLE, "catalog", det(2));
    expect(await butler.get("catalog", det(2))).toEqual(TABLE);
    expect(await butler.get("catalog", det(2), { parameters: { columns: ["band"] } })).toEqual({
      band: TABLE.band,
    });
    expect(await butler.get("catalog.columns", det(2))).toEqual(["id", "flux", "band"]);
    expect(await butler.get("catalog.rowcount", det(2))).toBe(3);
  });
});
