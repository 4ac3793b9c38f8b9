import type { Table as ArrowTable } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { StorageClassError } from "../../../errors.ts";
import { isTable, makeTable, type Table } from "../../../tables/table.ts";
import { defaultStorageClasses } from "../../storage-classes/storage-class-registry.ts";

const classes = defaultStorageClasses();
const table = makeTable({
  columns: [
    { name: "a", values: new Int32Array([1, 2]), unit: "m" },
    { name: "b", values: ["x", "y"] },
  ],
  meta: { k: 1 },
});

describe("table storage classes in memory", () => {
  it("derive columns, rowcount and schema of every table form", () => {
    const astropy = classes.get("ArrowAstropy");
    expect(astropy.getComponent(table, "columns")).toEqual(["a", "b"]);
    expect(astropy.getComponent(table, "rowcount")).toBe(2);
    expect(astropy.getComponent(table, "schema")).toEqual(table.schema());
    const dict = classes.get("ArrowNumpyDict");
    expect(dict.getComponent({ a: [1, 2, 3] }, "rowcount")).toBe(3);
    expect(classes.get("ArrowNumpy").getComponent(table, "columns")).toEqual(["a", "b"]);
    expect(classes.get("DataFrame").getComponent(table, "rowcount")).toBe(2);
  });

  it("apply the columns and filters parameters when the formatter did not", () => {
    const picked = classes.get("ArrowAstropy").applyParameters(table, { columns: ["b"] }) as Table;
    expect(picked.names).toEqual(["b"]);
    const rows = classes.get("ArrowAstropy").applyParameters(table, { filters: [["a", ">", 1]] }) as Table;
    expect(rows.column("b").values).toEqual(["y"]);
    const both = classes.get("DataFrame").applyParameters(table, {
      filters: [["b", "=", "y"]],
      columns: "a",
    }) as Table;
    expect(both.names).toEqual(["a"]);
    const arrow = classes.get("ArrowAstropy").convertTo(table, classes.get("ArrowTable"));
    const arrowRows = classes.get("ArrowTable").applyParameters(arrow, { columns: "b" }) as ArrowTable;
    expect(arrowRows.schema.fields.map((f) => f.name)).toEqual(["b"]);
  });

  it("convert between astropy, Arrow, numpy dict and pandas forms", () => {
    const astropy = classes.get("ArrowAstropy");
    const arrow = astropy.convertTo(table, classes.get("ArrowTable")) as ArrowTable;
    expect(arrow.numRows).toBe(2);
    expect(arrow.schema.fields[0]?.metadata.get("unit")).toBe("m");
    const back = classes.get("ArrowTable").convertTo(arrow, astropy) as Table;
    expect(back.schema()).toEqual(table.schema());
    expect(astropy.convertTo(table, classes.get("ArrowNumpyDict"))).toEqual({
      a: new Int32Array([1, 2]),
      b: ["x", "y"],
    });
    expect(astropy.convertTo(table, classes.get("DataFrame"))).toBe(table);
    expect(isTable(classes.get("ArrowNumpyDict").convertTo({ a: [1] }, astropy))).toBe(true);
    expect(classes.get("ArrowTable").getComponent(arrow, "columns")).toEqual(["a", "b"]);
  });

  it("coerce column dicts and Arrow tables put as ArrowAstropy, and refuse other objects", () => {
    const astropy = classes.get("ArrowAstropy");
    expect(isTable(astropy.coerce({ a: [1, 2] }))).toBe(true);
    expect(() => astropy.coerce(42)).toThrow(StorageClassError);
    expect(() => astropy.coerce(42)).toThrow(
      'Storage class "ArrowAstropy" expects a Table (makeTable); got 42',
    );
    expect(classes.get("StructuredDataDict").coerce({ a: 1 })).toEqual({ a: 1 });
  });
});
