import { readFileSync } from "node:fs";
import type { Table as ArrowTable, Schema } from "apache-arrow";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Butler } from "../../src/butler/butler.ts";
import { openButler } from "../../src/butler/open-butler.ts";
import type { ByteSource } from "../../src/datastore/formatters/formatter.ts";
import { parquetFormatter } from "../../src/datastore/formatters/parquet/parquet-formatter.ts";
import { UnknownColumnError } from "../../src/errors.ts";
import type { Table } from "../../src/tables/table.ts";
import type { TableSchema } from "../../src/tables/table-schema.ts";
import { expectFailure } from "../conformance/butler/target.ts";
import { byteSource } from "../support/byte-source.ts";
import { describeWithFixtures, fixturePath } from "../support/shared-fixtures.ts";
import { copySmallRepo } from "../support/temp-repo.ts";

const RUN = "u/test/sources";
const DATA_ID = { instrument: "Cam1", visit: 2, detector: 1 };
const FILE = "u/test/sources/sources/20210909/r/Cam1-R1/2/sources_Cam1_r_Cam1-R1_2_Aa_u_test_sources.parq";

/** daf_butler's columns of sources visit 2 detector 1 (its JSON writes the int64 ids as floats: 21.0). */
const expected: Record<string, number[]> = JSON.parse(
  readFileSync(fixturePath("repos", "small-expected", "sources_v2_d1.json"), "utf8"),
);

/** A table's columns as name -> numbers, for comparing with daf_butler's JSON. */
function asNumbers(table: Table): Record<string, number[]> {
  return Object.fromEntries(
    table.columns.map((c) => [c.name, Array.from(c.values as ArrayLike<number | bigint>, Number)]),
  );
}

function counting(bytes: Uint8Array): ByteSource & { read_: () => number } {
  let total = 0;
  const inner = byteSource(bytes);
  return {
    read_: () => total,
    size: inner.size,
    read: (start, end) => {
      total += end - start;
      return inner.read(start, end);
    },
    readAll: async () => {
      total += bytes.length;
      return bytes;
    },
  };
}

describeWithFixtures("Parquet datasets of the daf_butler repository repos/small", () => {
  let repo: { path: string; cleanup: () => void };
  let butler: Butler;

  beforeEach(async () => {
    repo = copySmallRepo();
    butler = await openButler(repo.path, { collections: [RUN] });
  });

  afterEach(async () => {
    await butler?.close();
    repo?.cleanup();
  });

  it("get() of sources gives daf_butler's columns and values, int64 ids as bigints", async () => {
    const table = (await butler.get("sources", DATA_ID, { collections: [RUN] })) as Table;
    expect(asNumbers(table)).toEqual(expected);
    expect(table.names).toEqual(["id", "ra", "dec", "flux"]);
    expect(table.column("id").type).toBe("int64");
    expect(table.column("id").values).toEqual(new BigInt64Array([21n, 22n, 23n, 24n, 25n]));
    expect(Object.is((table.column("dec").values as Float64Array)[0], -0)).toBe(true);
    expect(table.meta["LSST.BUTLER.DATAID.VISIT"]).toBe(2);
  });

  it("get() with columns reads those columns, by name or glob", async () => {
    const table = (await butler.get("sources", DATA_ID, { parameters: { columns: ["ra", "d*"] } })) as Table;
    expect(table.names).toEqual(["ra", "dec"]);
    expect(asNumbers(table)).toEqual({ ra: expected.ra, dec: expected.dec });
    await expectFailure(
      butler.get("sources", DATA_ID, { parameters: { columns: ["mag"] } }),
      UnknownColumnError,
      /^No column matches "mag" \(file:\/\/.*sources_Cam1_r_Cam1-R1_2_Aa_u_test_sources\.parq\)$/,
    );
  });

  it("a columns read of the file reads fewer bytes than a whole read", async () => {
    const bytes = new Uint8Array(readFileSync(fixturePath("repos", "small", FILE)));
    const whole = counting(bytes);
    await parquetFormatter.read(whole, { storageClass: "ArrowAstropy" });
    const one = counting(bytes);
    const table = (await parquetFormatter.read(one, {
      storageClass: "ArrowAstropy",
      parameters: { columns: ["flux"] },
    })) as Table;
    expect(asNumbers(table)).toEqual({ flux: expected.flux });
    expect(one.read_()).toBeLessThan(whole.read_());
    const component = counting(bytes);
    expect(await parquetFormatter.read(component, { component: "rowcount" })).toBe(5);
    expect(component.read_()).toBeLessThan(one.read_());
  });

  it("get() of the columns, rowcount and schema components", async () => {
    expect(await butler.get("sources.columns", DATA_ID)).toEqual(["id", "ra", "dec", "flux"]);
    expect(await butler.get("sources.rowcount", DATA_ID)).toBe(5);
    const schema = (await butler.get("sources.schema", DATA_ID)) as TableSchema;
    expect(schema.columns.map((c) => [c.name, c.type])).toEqual([
      ["id", "int64"],
      ["ra", "float64"],
      ["dec", "float64"],
      ["flux", "float64"],
    ]);
  });

  it("get() with another table storage class converts", async () => {
    const arrow = (await butler.get("sources", DATA_ID, { storageClass: "ArrowTable" })) as ArrowTable;
    expect(arrow.numRows).toBe(5);
    expect(Array.from(arrow.getChild("flux")?.toArray() as Float64Array)).toEqual(expected.flux);
    const dict = (await butler.get("sources", DATA_ID, { storageClass: "ArrowNumpyDict" })) as Record<
      string,
      ArrayLike<number>
    >;
    expect(Array.from(dict.ra as Float64Array)).toEqual(expected.ra);
    const frame = (await butler.get("sources", DATA_ID, { storageClass: "DataFrame" })) as Table;
    expect(asNumbers(frame)).toEqual(expected);
    const schema = (await butler.get("sources.schema", DATA_ID, { storageClass: "ArrowSchema" })) as Schema;
    expect(schema.fields.map((f) => f.name)).toEqual(["id", "ra", "dec", "flux"]);
  });
});
