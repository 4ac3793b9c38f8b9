import { describe, expect, it } from "vitest";
import { FormatterError, UnknownColumnError } from "../errors.ts";
import { filterTable, parseRowFilter, termHolds } from "./row-filter.ts";
import { makeTable } from "./table.ts";

const table = makeTable({
  columns: [
    { name: "id", values: new BigInt64Array([1n, 2n, 3n, 4n]) },
    { name: "mag", values: new Float32Array([20, 21.5, 22, 19]), mask: [false, false, true, false] },
    { name: "band", values: ["g", "r", "i", "g"] },
  ],
  meta: { kept: true },
});

describe("filterTable()", () => {
  it("keeps rows matching every term of a list (AND)", () => {
    const kept = filterTable(table, [
      ["band", "==", "g"],
      ["id", ">", 1],
    ]);
    expect(Array.from(kept.column("id").values as BigInt64Array)).toEqual([4n]);
    expect(kept.meta).toEqual({ kept: true });
  });

  it("keeps rows matching any list of a list of lists (OR), masked values matching nothing", () => {
    const kept = filterTable(table, [[["mag", "<", 21]], [["band", "in", ["i", "r"]]]]);
    expect(Array.from(kept.column("id").values as BigInt64Array)).toEqual([1n, 2n, 3n, 4n]);
    const bright = filterTable(table, [["mag", "<=", 22]]);
    expect(Array.from(bright.column("id").values as BigInt64Array)).toEqual([1n, 2n, 4n]);
    expect(bright.column("mag").mask).toBeUndefined();
    const notIn = filterTable(table, [
      ["band", "not in", ["g"]],
      ["id", "!=", 2],
    ]);
    expect(notIn.column("band").values).toEqual(["i"]);
    expect(notIn.column("mag").mask).toEqual([true]);
  });

  it("compares bigints with numbers exactly", () => {
    expect(termHolds(2n ** 60n + 1n, ">", 2 ** 60)).toBe(true);
    expect(termHolds(3n, "=", 3)).toBe(true);
    expect(termHolds(3n, "<", 3.5)).toBe(true);
    expect(termHolds("a", "<", 3)).toBe(false);
    expect(termHolds(null, "!=", 3)).toBe(false);
  });

  it("refuses malformed filters and unknown columns", () => {
    expect(() => parseRowFilter([["id", "~", 1]], table.names)).toThrow(FormatterError);
    expect(() => parseRowFilter([["id", "~", 1]], table.names, "x.parq")).toThrow(
      'Invalid filters: unknown operator "~" (x.parq)',
    );
    expect(() => parseRowFilter([], table.names)).toThrow("Invalid filters: expected a non-empty list");
    expect(() => parseRowFilter([["id", "in", 1]], table.names)).toThrow(
      'Invalid filters: "in" needs a list of values',
    );
    expect(() => parseRowFilter([["flux", "<", 1]], table.names)).toThrow(UnknownColumnError);
  });
});
