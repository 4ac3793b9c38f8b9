import { readFileSync } from "node:fs";
import * as arrow from "apache-arrow";
import { parquetMetadata } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import { expect, it } from "vitest";
import { byteSource } from "../../../../test/support/byte-source.ts";
import { findPython, runPython } from "../../../../test/support/python.ts";
import { describeWithFixtures, fixturePath } from "../../../../test/support/shared-fixtures.ts";
import { makeTable, type Table } from "../../../tables/table.ts";
import { decodeArrowSchema, encodeArrowSchema } from "./arrow-schema.ts";
import { parquetFormatter } from "./parquet-formatter.ts";

const SOURCES = fixturePath(
  "repos/small/u/test/sources/sources/20210909/r/Cam1-R1/2/sources_Cam1_r_Cam1-R1_2_Aa_u_test_sources.parq",
);

/** The key-value metadata of Parquet bytes, in file order. */
function keyValues(bytes: Uint8Array): [string, string][] {
  const metadata = parquetMetadata(bytes.slice().buffer);
  return (metadata.key_value_metadata ?? []).map((kv) => [kv.key, kv.value ?? ""]);
}

const python = findPython("astropy");

/** astropy's reading of `table_meta_yaml` values (`get_header_from_yaml`), as JSON. */
function astropyHeaders(texts: string[]): unknown[] {
  if (python === undefined) throw new Error("no python with astropy");
  return runPython(
    python,
    `import json, sys
from astropy.table import meta
print(json.dumps([meta.get_header_from_yaml(t.split("\\n")) for t in json.load(sys.stdin)]))`,
    texts,
  );
}

describeWithFixtures("Parquet interoperability with daf_butler", () => {
  const theirs = new Uint8Array(readFileSync(SOURCES));

  it("reads a daf_butler sources file: int64 and float64 columns, astropy metadata", async () => {
    const table = (await parquetFormatter.read(byteSource(theirs), {
      storageClass: "ArrowAstropy",
    })) as Table;
    expect(table.columns.map((c) => [c.name, c.type])).toEqual([
      ["id", "int64"],
      ["ra", "float64"],
      ["dec", "float64"],
      ["flux", "float64"],
    ]);
    expect(table.column("id").values).toEqual(new BigInt64Array([21n, 22n, 23n, 24n, 25n]));
    expect(Object.is((table.column("dec").values as Float64Array)[0], -0)).toBe(true);
    expect(table.meta).toEqual({
      "LSST.BUTLER.ID": "01a213a8-e4f6-70c1-a2d0-4841a2ba9cac",
      "LSST.BUTLER.RUN": "u/test/sources",
      "LSST.BUTLER.DATASETTYPE": "sources",
      "LSST.BUTLER.DATAID.DETECTOR": 1,
      "LSST.BUTLER.DATAID.INSTRUMENT": "Cam1",
      "LSST.BUTLER.DATAID.VISIT": 2,
      "LSST.BUTLER.N_INPUTS": 0,
    });
  });

  it("writes the key-value metadata daf_butler writes: same keys, same Arrow schema, same header", async () => {
    const table = await parquetFormatter.read(byteSource(theirs), { storageClass: "ArrowAstropy" });
    const ours = await parquetFormatter.write(table);
    const [mine, theirKeys] = [keyValues(ours), keyValues(theirs)];
    expect(mine.map(([key]) => key)).toEqual(theirKeys.map(([key]) => key));
    expect(mine[0]).toEqual(["lsst::arrow::rowcount", "5"]);
    const [ourSchema, theirSchema] = [mine, theirKeys].map((kvs) =>
      decodeArrowSchema(arrow, new Map(kvs).get("ARROW:schema") as string),
    ) as [arrow.Schema, arrow.Schema];
    const describe = (schema: arrow.Schema) => ({
      fields: schema.fields.map((f) => [f.name, String(f.type), f.nullable, [...f.metadata]]),
      metadata: [...schema.metadata.keys()],
    });
    expect(describe(ourSchema)).toEqual(describe(theirSchema));
    expect(ourSchema.metadata.get("table_meta_yaml")).toBe(new Map(mine).get("table_meta_yaml"));
    if (python !== undefined) {
      const [ourHeader, theirHeader] = astropyHeaders(
        [mine, theirKeys].map((kvs) => new Map(kvs).get("table_meta_yaml") as string),
      );
      expect(ourHeader).toEqual(theirHeader);
    }
  });

  it.skipIf(python === undefined)(
    "astropy reads units, descriptions, formats, string widths and metadata of our files",
    async () => {
      const table = makeTable({
        meta: { note: "a: b", n: 3, list: [1, 2.5] },
        columns: [
          {
            name: "flux",
            values: new Float32Array([1, 2]),
            unit: "nJy",
            description: 'Flux "PSF"',
            format: "%.3f",
          },
          { name: "name", values: ["ab", "ünï"] },
          { name: "flag", values: [true, false] },
        ],
      });
      const kvs = new Map(keyValues(await parquetFormatter.write(table)));
      expect(kvs.get("lsst::arrow::len::name")).toBe("3");
      expect(kvs.get("table::len::name")).toBe("3");
      const [header] = astropyHeaders([kvs.get("table_meta_yaml") as string]);
      expect(header).toEqual({
        datatype: [
          { name: "flux", unit: "nJy", datatype: "float32", format: "%.3f", description: 'Flux "PSF"' },
          { name: "name", datatype: "string" },
          { name: "flag", datatype: "bool" },
        ],
        meta: { note: "a: b", n: 3, list: [1, 2.5] },
      });
    },
  );

  it.skipIf(python === undefined)(
    "reads the astropy metadata daf_butler writes (units, descriptions, formats, meta)",
    async () => {
      const header = runPython<string>(
        python as string,
        `import json
from astropy.table import Table, meta
t = Table()
t["ra"] = [1.5, 2.5]
t["ra"].unit = "deg"
t["ra"].description = "Right ascension: ICRS"
t["ra"].format = "{:.2f}"
t["n"] = [1, 2]
t.meta["comment"] = "made by astropy"
t.meta["seq"] = [1, 2]
print(json.dumps("\\n".join(meta.get_yaml_from_table(t))))`,
        null,
      );
      const bytes = daf_butlerShaped(header);
      const table = (await parquetFormatter.read(byteSource(bytes))) as Table;
      expect(table.schema()).toEqual({
        columns: [
          {
            name: "ra",
            type: "float64",
            unit: "deg",
            description: "Right ascension: ICRS",
            format: "{:.2f}",
          },
          { name: "n", type: "int64" },
        ],
        meta: { comment: "made by astropy", seq: [1, 2] },
      });
    },
  );

  it("without table_meta_yaml, reads units and descriptions from the Arrow field metadata", async () => {
    const table = (await parquetFormatter.read(byteSource(daf_butlerShaped(undefined)))) as Table;
    expect(table.column("ra")).toMatchObject({ unit: "deg", description: "RA from Arrow" });
    expect(table.meta).toEqual({});
  });
});

/**
 * A file shaped as pyarrow writes daf_butler's tables: OPTIONAL columns, `lsst::arrow::rowcount`, the
 * given `table_meta_yaml`, and `ARROW:schema` with unit/description field metadata.
 */
function daf_butlerShaped(tableMetaYaml: string | undefined): Uint8Array {
  const metadata = new Map([["lsst::arrow::rowcount", "2"]]);
  if (tableMetaYaml !== undefined) metadata.set("table_meta_yaml", tableMetaYaml);
  const fieldMetadata = new Map([
    ["description", "RA from Arrow"],
    ["unit", "deg"],
  ]);
  const schema = new arrow.Schema(
    [
      new arrow.Field("ra", new arrow.Float64(), true, fieldMetadata),
      new arrow.Field("n", new arrow.Int64(), true),
    ],
    metadata,
  );
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: "ra", data: new Float64Array([1.5, 2.5]) },
      { name: "n", data: new BigInt64Array([1n, 2n]) },
    ],
    schema: [
      { name: "schema", num_children: 2 },
      { name: "ra", type: "DOUBLE", repetition_type: "OPTIONAL" },
      { name: "n", type: "INT64", repetition_type: "OPTIONAL" },
    ],
    kvMetadata: [...metadata, ["ARROW:schema", encodeArrowSchema(arrow, schema)]].map(([key, value]) => ({
      key: key as string,
      value: value as string,
    })),
  });
  return new Uint8Array(buffer);
}
