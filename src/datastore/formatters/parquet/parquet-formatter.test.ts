import { spawnSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import type { Table as ArrowTable, Schema } from "apache-arrow";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { byteSource } from "../../../../test/support/byte-source.ts";
import { FormatterError, UnknownColumnError } from "../../../errors.ts";
import { isTable, makeTable, type Table } from "../../../tables/table.ts";
import { cellOf, type TableColumn } from "../../../tables/table-column.ts";
import type { TableSchema } from "../../../tables/table-schema.ts";
import type { ByteSource } from "../formatter.ts";
import { parquetFormatter } from "./parquet-formatter.ts";

/** Whether the zstd command is here, to write ZSTD pages. */
const ZSTD = spawnSync("zstd", ["--version"]).status === 0;

/** A byte source over `bytes` that records every range read. */
function countingSource(bytes: Uint8Array): ByteSource & { ranges: [number, number][]; bytesRead(): number } {
  const inner = byteSource(bytes);
  const ranges: [number, number][] = [];
  return {
    ranges,
    bytesRead: () => ranges.reduce((sum, [start, end]) => sum + end - start, 0),
    size: inner.size,
    read: (start, end) => {
      ranges.push([start, end]);
      return inner.read(start, end);
    },
    readAll: async () => {
      ranges.push([0, bytes.length]);
      return bytes;
    },
  };
}

async function failure(action: Promise<unknown>): Promise<FormatterError> {
  return action.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: FormatterError) => error,
  );
}

const EVERY_TYPE = makeTable({
  meta: { run: "u/test", nested: { a: 1 }, list: [1, 2.5] },
  columns: [
    { name: "b", values: [true, false, true], mask: [false, true, false] },
    { name: "i8", values: new Int8Array([-128, 0, 127]) },
    { name: "i16", values: new Int16Array([-32768, 1, 32767]), mask: [false, false, true] },
    { name: "i32", values: new Int32Array([-(2 ** 31), 2, 2 ** 31 - 1]), unit: "count" },
    { name: "i64", values: new BigInt64Array([-(2n ** 63n), 3n, 2n ** 63n - 1n]), description: "An ID" },
    { name: "u8", values: new Uint8Array([0, 1, 255]) },
    { name: "u16", values: new Uint16Array([0, 1, 65535]) },
    { name: "u32", values: new Uint32Array([0, 1, 2 ** 32 - 1]) },
    { name: "u64", values: new BigUint64Array([0n, 1n, 2n ** 64n - 1n]), mask: [true, false, false] },
    { name: "f32", values: new Float32Array([1.5, -0, Number.POSITIVE_INFINITY]), format: "%.2f" },
    { name: "f64", values: new Float64Array([0.1, Number.NaN, -1e300]), unit: "deg", description: "RA" },
    { name: "s", values: ["", "ünïcode", "a: b"], mask: [false, false, true] },
  ],
});

function sameTable(actual: Table, expected: Table): void {
  expect(actual.names).toEqual(expected.names);
  expect(actual.rowcount).toBe(expected.rowcount);
  expect(actual.meta).toEqual(expected.meta);
  for (const column of expected.columns) {
    const got = actual.column(column.name);
    const { values, ...rest } = column;
    expect({ ...got, values: undefined }).toEqual({ ...rest, values: undefined });
    expect(got.values.constructor).toBe(values.constructor);
    // Masked entries come back as daf_butler fills them, not as written.
    const cells = (c: TableColumn) => Array.from({ length: c.values.length }, (_, i) => cellOf(c, i));
    expect(cells(got)).toEqual(cells(column));
  }
}

describe("parquetFormatter", () => {
  it("round-trips every column type, masked values, units, descriptions, formats and metadata", async () => {
    const bytes = await parquetFormatter.write(EVERY_TYPE);
    const read = await parquetFormatter.read(byteSource(bytes), { storageClass: "ArrowAstropy" });
    expect(isTable(read)).toBe(true);
    sameTable(read as Table, EVERY_TYPE);
  });

  it("round-trips a table without rows, and reads it without a storage class as a Table", async () => {
    const empty = makeTable({
      columns: [
        { name: "x", values: new Float64Array(0) },
        { name: "s", values: [] as string[], type: "string" },
      ],
    });
    const read = (await parquetFormatter.read(byteSource(await parquetFormatter.write(empty)))) as Table;
    expect(read.rowcount).toBe(0);
    expect(read.columns.map((c) => c.type)).toEqual(["float64", "string"]);
  });

  it("reads only the chunks of the columns asked for (names or globs), in the order asked", async () => {
    const rows = 20_000;
    const big = makeTable({
      columns: ["a", "b", "c", "d"].map((name, k) => ({
        name,
        values: Float64Array.from({ length: rows }, (_, i) => Math.sin(i * (k + 1))),
      })),
    });
    const bytes = await parquetFormatter.write(big);
    const all = countingSource(bytes);
    await parquetFormatter.read(all, { storageClass: "ArrowAstropy" });
    const some = countingSource(bytes);
    const read = (await parquetFormatter.read(some, {
      storageClass: "ArrowAstropy",
      parameters: { columns: ["d", "[b]"] },
    })) as Table;
    expect(read.names).toEqual(["d", "b"]);
    expect(Array.from(read.column("b").values as Float64Array)).toEqual(
      Array.from(big.column("b").values as Float64Array),
    );
    expect(some.bytesRead()).toBeLessThan(all.bytesRead() * 0.6);
    expect(some.bytesRead()).toBeGreaterThan(all.bytesRead() * 0.4);
  });

  it("reads the columns, rowcount and schema components from the footer only", async () => {
    const bytes = await parquetFormatter.write(EVERY_TYPE);
    const footerStart = bytes.length - 8 - new DataView(bytes.buffer).getUint32(bytes.length - 8, true);
    for (const [component, expected] of [
      ["columns", EVERY_TYPE.names],
      ["rowcount", 3],
      ["schema", EVERY_TYPE.schema()],
    ] as const) {
      const source = countingSource(bytes);
      expect(await parquetFormatter.read(source, { storageClass: "ArrowAstropy", component })).toEqual(
        expected,
      );
      expect(source.ranges.every(([start]) => start >= footerStart)).toBe(true);
    }
    const source = countingSource(bytes);
    const schema = (await parquetFormatter.read(source, {
      storageClass: "ArrowAstropySchema",
    })) as TableSchema;
    expect(schema.columns.map((c) => c.name)).toEqual(EVERY_TYPE.names);
    expect(source.ranges.every(([start]) => start >= footerStart)).toBe(true);
  });

  it("builds the storage class's form: apache-arrow Table, column dict, Arrow schema", async () => {
    const bytes = await parquetFormatter.write(EVERY_TYPE);
    const arrow = (await parquetFormatter.read(byteSource(bytes), {
      storageClass: "ArrowTable",
    })) as ArrowTable;
    expect(arrow.numRows).toBe(3);
    expect(arrow.schema.fields.map((f) => String(f.type))).toEqual([
      "Bool",
      "Int8",
      "Int16",
      "Int32",
      "Int64",
      "Uint8",
      "Uint16",
      "Uint32",
      "Uint64",
      "Float32",
      "Float64",
      "Utf8",
    ]);
    expect(arrow.schema.fields[10]?.metadata).toEqual(
      new Map([
        ["description", "RA"],
        ["unit", "deg"],
      ]),
    );
    // daf_butler strips astropy's table_meta_yaml from Arrow tables it reads (strip_astropy_meta_yaml).
    expect([...arrow.schema.metadata.keys()]).toEqual([
      "lsst::arrow::rowcount",
      "lsst::arrow::len::s",
      "table::len::s",
    ]);
    expect(arrow.getChild("s")?.toArray()).toEqual(["", "ünïcode", null]);
    const dict = (await parquetFormatter.read(byteSource(bytes), {
      storageClass: "ArrowNumpyDict",
      parameters: { columns: "i*" },
    })) as Record<string, unknown>;
    expect(Object.keys(dict)).toEqual(["i8", "i16", "i32", "i64"]);
    expect(dict.i16).toEqual([-32768, 1, null]);
    expect(dict.i64).toEqual(new BigInt64Array([-(2n ** 63n), 3n, 2n ** 63n - 1n]));
    const schema = (await parquetFormatter.read(byteSource(bytes), {
      storageClass: "ArrowSchema",
    })) as Schema;
    expect(schema.fields.map((f) => f.name)).toEqual(EVERY_TYPE.names);
    const component = (await parquetFormatter.read(byteSource(bytes), {
      storageClass: "ArrowTable",
      component: "schema",
    })) as Schema;
    expect(component.fields.length).toBe(12);
  });

  it("writes apache-arrow Tables, column dicts and schemas", async () => {
    const arrow = await parquetFormatter.read(byteSource(await parquetFormatter.write(EVERY_TYPE)), {
      storageClass: "ArrowTable",
      parameters: { strip_astropy_meta_yaml: false },
    });
    sameTable(
      (await parquetFormatter.read(byteSource(await parquetFormatter.write(arrow)))) as Table,
      EVERY_TYPE,
    );
    const fromDict = (await parquetFormatter.read(
      byteSource(await parquetFormatter.write({ x: new Int16Array([1, 2]), s: ["a", null] })),
    )) as Table;
    expect(fromDict.columns.map((c) => [c.name, c.type, c.mask])).toEqual([
      ["x", "int16", undefined],
      ["s", "string", [false, true]],
    ]);
    const schemaOnly = (await parquetFormatter.read(
      byteSource(await parquetFormatter.write(EVERY_TYPE.schema())),
    )) as Table;
    expect(schemaOnly.rowcount).toBe(0);
    expect(schemaOnly.schema()).toEqual(EVERY_TYPE.schema());
    await expect(parquetFormatter.write(42)).rejects.toThrow("Cannot write as a Parquet table: not a table");
  });

  it("reads files of several row groups and pages, nulls included", async () => {
    const rows = 2500;
    const buffer = parquetWriteBuffer({
      columnData: [
        {
          name: "i",
          data: Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? null : BigInt(i))),
          type: "INT64",
        },
        { name: "s", data: Array.from({ length: rows }, (_, i) => `row ${i}`), type: "STRING" },
      ],
      rowGroupSize: 1000,
      pageSize: 2000,
    });
    const source = byteSource(new Uint8Array(buffer));
    const read = (await parquetFormatter.read(source, { parameters: { columns: ["i"] } })) as Table;
    const column = read.column("i");
    expect(read.rowcount).toBe(rows);
    expect(column.type).toBe("int64");
    expect(column.mask?.filter(Boolean).length).toBe(Math.ceil(rows / 7));
    expect((column.values as BigInt64Array)[2498]).toBe(2498n);
    expect((column.values as BigInt64Array)[2499]).toBe(-1n);
    const strings = (await parquetFormatter.read(source, { parameters: { columns: "s" } })) as Table;
    expect((strings.column("s").values as string[])[1234]).toBe("row 1234");
  });

  it("filters rows, reading only the row groups whose statistics allow a match", async () => {
    const rows = 5000;
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: "id", data: BigInt64Array.from({ length: rows }, (_, i) => BigInt(i)), type: "INT64" },
        { name: "x", data: Float64Array.from({ length: rows }, (_, i) => Math.cos(i)), type: "DOUBLE" },
      ],
      rowGroupSize: 1000,
    });
    const bytes = new Uint8Array(buffer);
    const all = countingSource(bytes);
    await parquetFormatter.read(all);
    const some = countingSource(bytes);
    const read = (await parquetFormatter.read(some, {
      parameters: {
        columns: ["x"],
        filters: [
          [
            ["id", ">=", 1200],
            ["id", "<", 1203],
          ],
          [["id", "in", [4999]]],
        ],
      },
    })) as Table;
    expect(read.names).toEqual(["x"]);
    expect(Array.from(read.column("x").values as Float64Array)).toEqual(
      [1200, 1201, 1202, 4999].map(Math.cos),
    );
    expect(some.bytesRead()).toBeLessThan(all.bytesRead() * 0.5);
    const none = (await parquetFormatter.read(byteSource(bytes), {
      parameters: { filters: [["id", ">", 5000]] },
    })) as Table;
    expect(none.rowcount).toBe(0);
  });

  it.skipIf(!ZSTD)("reads ZSTD-compressed files, as pyarrow may write them", async () => {
    const buffer = parquetWriteBuffer({
      columnData: [{ name: "x", data: new Float64Array([1, 2, 3]), type: "DOUBLE" }],
      codec: "ZSTD",
      compressors: {
        ZSTD: (input: Uint8Array) => new Uint8Array(spawnSync("zstd", ["-c", "-q"], { input }).stdout),
      },
    });
    const read = (await parquetFormatter.read(byteSource(new Uint8Array(buffer)))) as Table;
    expect(Array.from(read.column("x").values as Float64Array)).toEqual([1, 2, 3]);
  });

  it("reads GZIP-compressed files (decompressors of hyparquet-compressors registered)", async () => {
    const buffer = parquetWriteBuffer({
      columnData: [{ name: "x", data: new Float64Array([1, 2, 3]), type: "DOUBLE" }],
      codec: "GZIP",
      compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input)) },
    });
    const read = (await parquetFormatter.read(byteSource(new Uint8Array(buffer)))) as Table;
    expect(Array.from(read.column("x").values as Float64Array)).toEqual([1, 2, 3]);
  });
});

describe("parquetFormatter errors", () => {
  it("bytes without the PAR1 magic are not Parquet", async () => {
    const error = await failure(
      parquetFormatter.read(byteSource("this is not a parquet file"), {}, "x.parq"),
    );
    expect(error).toBeInstanceOf(FormatterError);
    expect(error.code).toBe("FormatterError");
    expect(error.message).toBe(
      'Cannot read Parquet: no "PAR1" magic at the end of the file (x.parq at byte 22)',
    );
    expect(error.file).toBe("x.parq");
    expect(error.offset).toBe(22);
  });

  it("a file too short, or whose footer is longer than the file, is truncated", async () => {
    const short = await failure(parquetFormatter.read(byteSource("PAR1"), {}, "x.parq"));
    expect(short.message).toBe(
      "Cannot read Parquet: 4 bytes is too short for a Parquet file (x.parq at byte 0)",
    );
    const bytes = await parquetFormatter.write(EVERY_TYPE);
    const truncated = bytes.slice(bytes.length - 200);
    const error = await failure(parquetFormatter.read(byteSource(truncated), {}, "x.parq"));
    expect(error).toBeInstanceOf(FormatterError);
    expect(error.message).toMatch(
      /^Cannot read Parquet: the footer is \d+ bytes long but the file has only 200 \(x\.parq at byte 192\)$/,
    );
    expect(error.hint).toBe(
      "The file is not a complete Parquet file: it may be truncated, or be in another format.",
    );
  });

  it("a footer that does not decode is invalid", async () => {
    const bytes = await parquetFormatter.write(EVERY_TYPE);
    const broken = bytes.slice();
    const start = broken.length - 8 - new DataView(broken.buffer).getUint32(broken.length - 8, true);
    broken.fill(0xff, start, start + 40);
    const error = await failure(parquetFormatter.read(byteSource(broken), {}, "x.parq"));
    expect(error.code).toBe("FormatterError");
    expect(error.message).toMatch(
      new RegExp(`^Cannot read Parquet: invalid footer \\(.*\\) \\(x\\.parq at byte ${start}\\)$`),
    );
  });

  it("a column parameter matching no column gives UnknownColumnError listing the columns", async () => {
    const bytes = await parquetFormatter.write(EVERY_TYPE);
    const error = (await failure(
      parquetFormatter.read(byteSource(bytes), { parameters: { columns: ["i8", "flux"] } }, "x.parq"),
    )) as UnknownColumnError;
    expect(error).toBeInstanceOf(UnknownColumnError);
    expect(error.code).toBe("UnknownColumnError");
    expect(error.message).toBe('No column matches "flux" (x.parq)');
    expect(error.hint).toBe(`Columns: ${EVERY_TYPE.names.join(", ")}.`);
    expect(error.file).toBe("x.parq");
  });

  it("a column of a type tables cannot hold is refused by name; the others can be read", async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: "x", data: new Float64Array([1, 2]), type: "DOUBLE" },
        { name: "when", data: [new Date(0), new Date(1000)], type: "TIMESTAMP" },
      ],
    });
    const bytes = new Uint8Array(buffer);
    const error = await failure(parquetFormatter.read(byteSource(bytes), {}, "t.parq"));
    expect(error.code).toBe("FormatterError");
    expect(error.message).toBe(
      'Cannot read column "when": butler-ts tables cannot hold Parquet TIMESTAMP_MILLIS (t.parq)',
    );
    expect(await parquetFormatter.read(byteSource(bytes), { component: "columns" })).toEqual(["x", "when"]);
    const read = (await parquetFormatter.read(byteSource(bytes), { parameters: { columns: "x" } })) as Table;
    expect(read.names).toEqual(["x"]);
  });

  it("unknown parameters and components are refused", async () => {
    const bytes = await parquetFormatter.write(EVERY_TYPE);
    const parameter = await failure(
      parquetFormatter.read(byteSource(bytes), { parameters: { bbox: 1 } }, "x.parq"),
    );
    expect(parameter.message).toBe('Parquet tables have no read parameter "bbox" (x.parq)');
    const component = await failure(parquetFormatter.read(byteSource(bytes), { component: "wcs" }, "x.parq"));
    expect(component.message).toBe('Parquet tables have no component "wcs" (x.parq)');
    const filters = await failure(
      parquetFormatter.read(byteSource(bytes), { parameters: { filters: [["x", "<", 1]] } }, "x.parq"),
    );
    expect(filters).toBeInstanceOf(UnknownColumnError);
  });
});
