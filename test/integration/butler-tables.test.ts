import { readFile } from "node:fs/promises";
import type { Table as ArrowTable } from "apache-arrow";
import { parquetMetadata } from "hyparquet";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Butler } from "../../src/butler/butler.ts";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import { StorageClassError, UnknownColumnError } from "../../src/errors.ts";
import { makeTable, type Table } from "../../src/tables/table.ts";
import { expectFailure, RUN } from "../conformance/butler/target.ts";
import { type ButlerRepo, createButlerRepo } from "../support/butler-fixtures.ts";
import { describeWithFixtures } from "../support/shared-fixtures.ts";

const DATA_ID = { instrument: "Cam1", detector: 1 };

const CATALOG = makeTable({
  meta: { source: "butler-ts test" },
  columns: [
    { name: "id", values: new BigInt64Array([1n, 2n, 3n]) },
    { name: "ra", values: new Float64Array([10.5, 11.5, 12.5]), unit: "deg", description: "Right ascension" },
    { name: "flux", values: new Float32Array([1, 2, 3]), unit: "nJy" },
    { name: "band", values: ["g", "r", "i"] },
    { name: "good", values: [true, false, true], mask: [false, false, true] },
  ],
});

describeWithFixtures("butler put/get of tables (ArrowAstropy, Parquet files)", () => {
  let repo: ButlerRepo;
  let butler: Butler;

  beforeEach(async () => {
    repo = await createButlerRepo();
    butler = await repo.open({ run: RUN, collections: [RUN] });
    for (const [name, storageClass] of [
      ["catalog", "ArrowAstropy"],
      ["arrowCatalog", "ArrowTable"],
      ["dictCatalog", "ArrowNumpyDict"],
    ] as const) {
      await butler.registry.datasetTypes.register(
        DatasetType.make(butler.registry.universe, {
          name,
          dimensions: ["instrument", "detector"],
          storageClass,
        }),
      );
    }
  });

  afterEach(async () => {
    await repo?.cleanup();
  });

  it("put() writes a .parq file with daf_butler's metadata and get() gives the table back", async () => {
    await butler.put(CATALOG, "catalog", DATA_ID);
    const uri = await butler.getURI("catalog", DATA_ID);
    expect(uri.toString()).toMatch(/\.parq$/);
    const bytes = await readFile(uri.path);
    const keys = (
      parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length))
        .key_value_metadata ?? []
    ).map((kv) => kv.key);
    expect(keys).toEqual([
      "lsst::arrow::rowcount",
      "lsst::arrow::len::band",
      "table::len::band",
      "table_meta_yaml",
      "ARROW:schema",
    ]);
    const table = (await butler.get("catalog", DATA_ID)) as Table;
    expect(table.schema()).toEqual(CATALOG.schema());
    expect(table.column("id").values).toEqual(CATALOG.column("id").values);
    expect(table.column("good").mask).toEqual([false, false, true]);
  });

  it("get() with columns and filters, and of the columns and rowcount components", async () => {
    await butler.put(CATALOG, "catalog", DATA_ID);
    const some = (await butler.get("catalog", DATA_ID, { parameters: { columns: ["flux", "r*"] } })) as Table;
    expect(some.names).toEqual(["flux", "ra"]);
    expect(some.column("flux").unit).toBe("nJy");
    expect(await butler.get("catalog.columns", DATA_ID)).toEqual(["id", "ra", "flux", "band", "good"]);
    expect(await butler.get("catalog.rowcount", DATA_ID)).toBe(3);
    const filtered = (await butler.get("catalog", DATA_ID, {
      parameters: { columns: ["id"], filters: [["band", "in", ["g", "i"]]] },
    })) as Table;
    expect(filtered.column("id").values).toEqual(new BigInt64Array([1n, 3n]));
    await expectFailure(
      butler.get("catalog", DATA_ID, { parameters: { columns: ["dec"] } }),
      UnknownColumnError,
      /^No column matches "dec" \(file:\/\/.*\.parq\)$/,
    );
  });

  it("get() with storage class ArrowTable or ArrowNumpyDict converts", async () => {
    await butler.put(CATALOG, "catalog", DATA_ID);
    const arrow = (await butler.get("catalog", DATA_ID, { storageClass: "ArrowTable" })) as ArrowTable;
    expect(arrow.schema.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ["id", "Int64"],
      ["ra", "Float64"],
      ["flux", "Float32"],
      ["band", "Utf8"],
      ["good", "Bool"],
    ]);
    expect(arrow.schema.fields[1]?.metadata.get("unit")).toBe("deg");
    expect(arrow.getChild("good")?.get(2)).toBeNull();
    const dict = (await butler.get("catalog", DATA_ID, {
      storageClass: "ArrowNumpyDict",
      parameters: { columns: ["band", "good"] },
    })) as Record<string, unknown>;
    expect(dict).toEqual({ band: ["g", "r", "i"], good: [true, false, null] });
  });

  it("put() of other table forms for other storage classes, and of a non-table", async () => {
    await butler.put(CATALOG, "catalog", DATA_ID);
    const arrow = await butler.get("catalog", DATA_ID, { storageClass: "ArrowTable" });
    await butler.put(arrow, "arrowCatalog", DATA_ID);
    expect(await butler.get("arrowCatalog.rowcount", DATA_ID)).toBe(3);
    const back = (await butler.get("arrowCatalog", DATA_ID, { storageClass: "ArrowAstropy" })) as Table;
    expect(back.schema().columns).toEqual(CATALOG.schema().columns);
    await butler.put({ x: new Int32Array([1, 2]), s: ["a", "b"] }, "dictCatalog", DATA_ID);
    expect(await butler.get("dictCatalog.columns", DATA_ID)).toEqual(["x", "s"]);
    expect(await butler.get("dictCatalog", DATA_ID, { parameters: { columns: "s" } })).toEqual({
      s: ["a", "b"],
    });
    // A column dict put as ArrowAstropy is converted to a Table.
    await butler.put({ x: [1.5, 2.5] }, "catalog", { instrument: "Cam1", detector: 2 });
    const converted = (await butler.get("catalog", { instrument: "Cam1", detector: 2 })) as Table;
    expect(converted.column("x").type).toBe("float64");
    await expectFailure(
      butler.put("not a table", "catalog", { instrument: "Cam1", detector: 3 }),
      StorageClassError,
      'Storage class "ArrowAstropy" expects a Table (makeTable); got "not a table"',
    );
  });
});
