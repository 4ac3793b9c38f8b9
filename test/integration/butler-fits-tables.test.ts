import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it, onTestFinished } from "vitest";
import type { Butler } from "../../src/butler/butler.ts";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import { fitsTableFormatter } from "../../src/datastore/formatters/fits/fits-table-formatter.ts";
import { FormatterError, UnknownColumnError } from "../../src/errors.ts";
import { makeTable, type Table } from "../../src/tables/table.ts";
import { det, RUN } from "../conformance/butler/target.ts";
import { createButlerRepo } from "../support/butler-fixtures.ts";
import { rejection } from "../support/caught.ts";
import { findPython } from "../support/python.ts";
import { describeWithFixtures } from "../support/shared-fixtures.ts";
import { tempDir } from "../support/temp-repo.ts";

const TABLE = makeTable({
  columns: [
    { name: "id", values: new BigInt64Array([1n, 2n, 3n]) },
    { name: "flag", values: [true, false, true], mask: [false, true, false] },
    { name: "count", values: new Uint16Array([0, 40000, 65535]) },
    { name: "small", values: new Int8Array([-128, 0, 127]) },
    { name: "flux", values: new Float32Array([0.5, 1.5, 2.5]), unit: "nJy" },
    { name: "ra", values: new Float64Array([150.1, 150.2, 150.3]), unit: "deg" },
    { name: "band", values: ["g", "r", "i"] },
  ],
  meta: { VISIT: 903334, SURVEY: "demo" },
});

/** A writer on a repository whose file datastore stores `catalog` (ArrowAstropy) as FITS tables. */
async function fitsTableButler(): Promise<Butler> {
  const repo = await createButlerRepo({ datastore: { formatters: { catalog: "fits-table" } } });
  onTestFinished(() => repo.cleanup());
  const butler = await repo.open({ run: RUN });
  await butler.registry.datasetTypes.register(
    DatasetType.make(butler.registry.universe, {
      name: "catalog",
      dimensions: ["instrument", "detector"],
      storageClass: "ArrowAstropy",
    }),
  );
  onTestFinished(() => butler.close());
  return butler;
}

function plain(table: Table): Record<string, unknown> {
  return Object.fromEntries(
    table.columns.map((c) => [
      c.name,
      { values: Array.from(c.values as ArrayLike<unknown>), mask: c.mask, unit: c.unit },
    ]),
  );
}

const python = findPython("astropy");

describeWithFixtures("a butler storing tables as FITS binary tables", () => {
  it("put() writes a .fits table that get() reads back with types, units, masks and metadata", async () => {
    const butler = await fitsTableButler();
    await butler.put(TABLE, "catalog", det(1));
    expect((await butler.getURI("catalog", det(1))).path.endsWith(".fits")).toBe(true);
    const back = (await butler.get("catalog", det(1))) as Table;
    expect(plain(back)).toEqual(plain(TABLE));
    expect(back.columns.map((c) => c.type)).toEqual(TABLE.columns.map((c) => c.type));
    expect([back.meta.VISIT, back.meta.SURVEY]).toEqual([903334, "demo"]);
    const picked = (await butler.get("catalog", det(1), { parameters: { columns: ["ra", "f*"] } })) as Table;
    expect(picked.names).toEqual(["ra", "flag", "flux"]);
    expect(await butler.get("catalog.rowcount", det(1))).toBe(3);
    expect(await butler.get("catalog.columns", det(1))).toEqual(TABLE.names);
    const error = await rejection(
      butler.get("catalog", det(1), { parameters: { columns: ["dec"] } }),
      UnknownColumnError,
    );
    expect(error.message).toContain('No column matches "dec"');
  });

  it("refuses metadata a FITS header cannot hold", async () => {
    const butler = await fitsTableButler();
    const nested = makeTable({
      columns: [{ name: "a", values: new Int32Array([1]) }],
      meta: { nested: { x: 1 } },
    });
    const error = await rejection(butler.put(nested, "catalog", det(2)), FormatterError);
    expect(error.code).toBe("FormatterError");
    expect(error.message).toBe('Cannot write table metadata "nested" to a FITS header: it is not a scalar');
  });

  it.skipIf(python === undefined)(
    `writes tables astropy reads, and reads tables astropy writes${python === undefined ? " [skipped: no python3 with astropy; apt-get install python3-astropy]" : ""}`,
    async () => {
      const butler = await fitsTableButler();
      await butler.put(TABLE, "catalog", det(1));
      const ours = (await butler.getURI("catalog", det(1))).path;
      const dir = tempDir("fits-table-");
      onTestFinished(dir.cleanup);
      const theirs = join(dir.path, "theirs.fits");
      const script = `
import json, sys
import numpy as np
from astropy.io import fits
from astropy.table import Table
h = fits.open(sys.argv[1]); h.verify("exception")
t = Table.read(sys.argv[1])
out = {n: {"dtype": str(t[n].dtype), "unit": str(t[n].unit) if t[n].unit else None,
           "values": [None if np.ma.is_masked(v) else (v.item() if hasattr(v, "item") else v) for v in t[n]]} for n in t.colnames}
out["_meta"] = {k: t.meta[k] for k in ("VISIT", "SURVEY")}
t2 = Table({"x": np.array([1.5, -2.0], dtype=">f8"), "n": np.array([7, 8], dtype=np.int32), "s": ["ab", "c"]})
t2["x"].unit = "mag"
t2.meta["ORIGIN"] = "astropy"
t2.write(sys.argv[2])
print(json.dumps(out))
`;
      const run = spawnSync(python as string, ["-c", script, ours, theirs], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      const read = JSON.parse(run.stdout) as Record<
        string,
        { dtype: string; unit: string | null; values: unknown[] }
      >;
      expect(read.id?.values).toEqual([1, 2, 3]);
      // astropy 5.2 reads a FITS null logical (a 0 byte) as False; the file holds it as null all the same.
      expect(read.flag?.values).toEqual([true, false, true]);
      expect([read.count?.dtype, read.count?.values]).toEqual(["uint16", [0, 40000, 65535]]);
      // astropy 5.2 applies TZERO = -128 to bytes as a scaling (float64): the values are right all the same.
      expect(read.small?.values).toEqual([-128, 0, 127]);
      expect([read.flux?.unit, read.ra?.values, read.band?.values]).toEqual([
        "nJy",
        [150.1, 150.2, 150.3],
        ["g", "r", "i"],
      ]);
      expect(read._meta).toEqual({ VISIT: 903334, SURVEY: "demo" });
      const bytes = new Uint8Array(readFileSync(theirs));
      const table = (await fitsTableFormatter.read(
        {
          size: async () => bytes.length,
          read: async (s, e) => bytes.slice(s, e),
          readAll: async () => bytes,
        },
        { storageClass: "ArrowAstropy" },
        theirs,
      )) as Table;
      expect(table.names).toEqual(["x", "n", "s"]);
      expect([...(table.column("x").values as Float64Array)]).toEqual([1.5, -2]);
      expect(table.column("x").unit).toBe("mag");
      expect(table.column("n").type).toBe("int32");
      expect(table.column("s").values).toEqual(["ab", "c"]);
      expect(table.meta.ORIGIN).toBe("astropy");
    },
  );
});
