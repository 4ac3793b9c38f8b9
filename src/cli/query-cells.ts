import type { RecordFieldSpec, RecordValue } from "../dimensions/dimension-record.ts";
import { formatTime } from "../time/format-time.ts";
import { Timespan } from "../time/timespan.ts";
import type { Cell, ShapedCell } from "./output-table.ts";

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** A TAI time in ISO form to the nanosecond, trailing zeros of the fraction dropped. */
function isoTai(ns: bigint): string {
  return formatTime(ns, { precision: 9 }).replace(/\.?0+$/, "");
}

/**
 * A timespan cell: daf_butler's `[begin, end)` text (TAI, to the second) in a table; in JSON the pair
 * `[begin, end]` of full-precision ISO TAI times, `null` for an unbounded side (and for the empty
 * timespan as a whole); in CSV an ISO 8601 interval `begin/end`, `..` for an unbounded side.
 */
export function timespanCell(timespan: Timespan): ShapedCell {
  if (timespan.isEmpty()) return { text: timespan.toString(), json: null, csv: "" };
  const begin = timespan.begin === null ? null : isoTai(timespan.beginNs);
  const end = timespan.end === null ? null : isoTai(timespan.endNs);
  return { text: timespan.toString(), json: [begin, end], csv: `${begin ?? ".."}/${end ?? ".."}` };
}

/**
 * A dimension record value as a cell, as daf_butler's query-dimension-records shows it: regions
 * `(elided)` (their hex encoding in JSON and CSV), other bytes as `0x…` hex, floats the Python way,
 * timespans by {@link timespanCell}, absent values `None`.
 */
export function recordCell(value: RecordValue, spec: RecordFieldSpec | undefined): Cell {
  if (value === null) return null;
  if (value instanceof Timespan) return timespanCell(value);
  if (value instanceof Uint8Array) {
    return spec === "region" ? { text: "(elided)", json: hex(value), csv: hex(value) } : `0x${hex(value)}`;
  }
  if (typeof value === "number" && typeof spec === "object" && spec.type === "float") return { float: value };
  return value;
}
