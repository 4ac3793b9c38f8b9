import { describe, expect, it } from "vitest";
import { parseTime } from "../time/parse-time.ts";
import { Timespan } from "../time/timespan.ts";
import { formatTable, formatTables, type ResultTable } from "./output-table.ts";
import { recordCell, timespanCell } from "./query-cells.ts";

const span = Timespan.between(parseTime("2014-03-25T09:34:19.634/tai"), null);

describe("formatTables()", () => {
  const bias: ResultTable = { columns: ["type", "detector"], rows: [["bias", 1]] };
  const flat: ResultTable = { columns: ["type", "detector", "band"], rows: [["flat", 2, "g"]] };
  const none: ResultTable = { columns: ["type", "exposure"], rows: [] };

  it("prints each non-empty table after a blank line, as daf_butler's query-datasets", () => {
    expect(formatTables([bias, none, flat], "table")).toBe(
      "\ntype detector\n---- --------\nbias        1\n\ntype detector band\n---- -------- ----\nflat        2    g\n\n",
    );
    expect(formatTables([none], "table")).toBe("\n");
  });

  it("gives one JSON array keyed by each table's columns, and one CSV of every column", () => {
    expect(JSON.parse(formatTables([bias, none, flat], "json"))).toEqual([
      { type: "bias", detector: 1 },
      { type: "flat", detector: 2, band: "g" },
    ]);
    expect(formatTables([none], "json")).toBe("[]\n");
    expect(formatTables([bias, none, flat], "csv")).toBe(
      "type,detector,exposure,band\nbias,1,,\nflat,2,,g\n",
    );
  });
});

describe("query cells", () => {
  it("show a timespan as daf_butler's text, an ISO pair in JSON and an ISO interval in CSV", () => {
    const table: ResultTable = { columns: ["timespan (TAI)"], rows: [[timespanCell(span)]] };
    expect(formatTable(table, "table")).toContain("[2014-03-25T09:34:19, ∞)");
    expect(JSON.parse(formatTable(table, "json"))).toEqual([
      { "timespan (TAI)": ["2014-03-25T09:34:19.634", null] },
    ]);
    expect(formatTable(table, "csv")).toBe("timespan (TAI)\n2014-03-25T09:34:19.634/..\n");
  });

  it("elide regions in tables, print floats the Python way and bytes as hex", () => {
    const region = recordCell(new Uint8Array([0x70, 0x01]), "region");
    const float = recordCell(240, { name: "exposure_time", type: "float" } as never);
    const hash = recordCell(new Uint8Array([0xab]), { name: "hash", type: "hash" } as never);
    const table: ResultTable = {
      columns: ["region", "exposure_time", "hash"],
      rows: [[region, float, hash]],
    };
    expect(formatTable(table, "table").split("\n")[2]).toBe("(elided)         240.0 0xab");
    expect(JSON.parse(formatTable(table, "json"))).toEqual([
      { region: "7001", exposure_time: 240, hash: "0xab" },
    ]);
  });
});
