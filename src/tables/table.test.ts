import { describe, expect, it } from "vitest";
import { FormatterError, UnknownColumnError } from "../errors.ts";
import { columnDictOf, isColumnDict, tableFromColumnDict } from "./column-dict.ts";
import { selectColumns } from "./select-columns.ts";
import { isTable, makeTable } from "./table.ts";
import { isTableSchema } from "./table-schema.ts";

const table = makeTable({
  columns: [
    { name: "id", values: new BigInt64Array([1n, 2n, 3n]) },
    { name: "ra", values: new Float64Array([0.5, 1.5, 2.5]), unit: "deg", description: "Right ascension" },
    { name: "dec", values: new Float64Array([-1, -2, -3]), unit: "deg" },
    { name: "name", values: ["a", "b", ""], mask: [false, false, true] },
    { name: "good", values: [true, false, true] },
  ],
  meta: { run: "u/test", n: 3 },
});

describe("makeTable()", () => {
  it("takes column types from the values and keeps units, descriptions, masks and metadata", () => {
    expect(table.names).toEqual(["id", "ra", "dec", "name", "good"]);
    expect(table.columns.map((c) => c.type)).toEqual(["int64", "float64", "float64", "string", "bool"]);
    expect(table.rowcount).toBe(3);
    expect(table.column("ra")).toMatchObject({ unit: "deg", description: "Right ascension" });
    expect(table.column("name").mask).toEqual([false, false, true]);
    expect(table.column("good").mask).toBeUndefined();
    expect(table.meta).toEqual({ run: "u/test", n: 3 });
    expect(Object.isFrozen(table)).toBe(true);
    expect(Object.isFrozen(table.column("ra"))).toBe(true);
    expect(isTable(table)).toBe(true);
    expect(isTable({ columns: [], meta: {} })).toBe(false);
  });

  it("refuses columns of different lengths, duplicate names and values that do not fit the type", () => {
    expect(() =>
      makeTable({
        columns: [
          { name: "a", values: new Int8Array(2) },
          { name: "b", values: new Int8Array(3) },
        ],
      }),
    ).toThrow(FormatterError);
    expect(() =>
      makeTable({
        columns: [
          { name: "a", values: new Int8Array(2) },
          { name: "b", values: new Int8Array(3) },
        ],
      }),
    ).toThrow('Column "b" has 3 rows, column "a" 2');
    expect(() =>
      makeTable({
        columns: [
          { name: "a", values: new Int8Array(2) },
          { name: "a", values: new Int8Array(2) },
        ],
      }),
    ).toThrow('A table cannot have two columns named "a"');
    expect(() => makeTable({ columns: [{ name: "a", type: "int64", values: new Float64Array(1) }] })).toThrow(
      'Column "a" of type int64 has values of another type',
    );
    expect(() => makeTable({ columns: [{ name: "a", values: [1, "x"] as never }] })).toThrow(
      'Column "a" has values of no column type',
    );
  });
});

describe("Table.select()", () => {
  it("picks names and globs in the order asked, each column once", () => {
    expect(table.select(["dec", "r*"]).names).toEqual(["dec", "ra"]);
    expect(table.select("*").names).toEqual(table.names);
    expect(table.select(["ra", "?a"]).names).toEqual(["ra"]);
    expect(table.select(["id"]).meta).toEqual(table.meta);
  });

  it("fails with UnknownColumnError listing the columns for a name or glob matching none", () => {
    let error: unknown;
    try {
      table.select(["ra", "flux*"]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnknownColumnError);
    expect(error).toBeInstanceOf(FormatterError);
    const typed = error as UnknownColumnError;
    expect(typed.code).toBe("UnknownColumnError");
    expect(typed.message).toBe('No column matches "flux*"');
    expect(typed.hint).toBe("Columns: id, ra, dec, name, good.");
    expect(typed.available).toEqual(table.names);
    expect(() => table.column("flux")).toThrow(UnknownColumnError);
  });

  it("selectColumns() names the file in its error", () => {
    expect(() => selectColumns(["a"], ["b"], "x.parq")).toThrow('No column matches "b" (x.parq)');
  });
});

describe("column dicts (ArrowNumpyDict)", () => {
  it("round-trip a table's values, masked values as nulls", () => {
    const dict = columnDictOf(table);
    expect(dict.name).toEqual(["a", "b", null]);
    expect(dict.id).toBe(table.column("id").values);
    expect(isColumnDict(dict)).toBe(true);
    const back = tableFromColumnDict(dict);
    expect(back.columns.map((c) => c.type)).toEqual(["int64", "float64", "float64", "string", "bool"]);
    expect(back.column("name").mask).toEqual([false, false, true]);
    expect(back.column("name").values).toEqual(["a", "b", ""]);
  });

  it("infer types of plain arrays: numbers float64, bigints int64, nulls masked", () => {
    const made = tableFromColumnDict({ x: [1, null, 3], n: [1n, 2n, 3n], s: ["p", "q", "r"] });
    expect(made.columns.map((c) => c.type)).toEqual(["float64", "int64", "string"]);
    expect(Array.from(made.column("x").values as Float64Array)).toEqual([1, Number.NaN, 3]);
    expect(made.column("x").mask).toEqual([false, true, false]);
    expect(() => tableFromColumnDict({ x: [1, "a"] })).toThrow(
      'Column "x" holds values of kinds number, string',
    );
  });
});

describe("Table.schema()", () => {
  it("has the columns without values and the metadata", () => {
    const schema = table.schema();
    expect(schema.columns[1]).toEqual({
      name: "ra",
      type: "float64",
      unit: "deg",
      description: "Right ascension",
    });
    expect(schema.meta).toEqual(table.meta);
    expect(isTableSchema(schema)).toBe(true);
    expect(isTableSchema(table)).toBe(false);
  });
});
