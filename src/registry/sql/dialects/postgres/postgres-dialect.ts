import { TAI_MAX_NS, TAI_MIN_NS } from "../../../../time/tai-range.ts";
import { Timespan } from "../../../../time/timespan.ts";
import type { SqlDialect, SqlRow, SqlValue } from "../../database.ts";
import { postgresNextId, quotePostgresIdentifier, renderPostgresTable } from "./postgres-ddl.ts";

/** Stored form of a timespan as daf_butler writes it: an INT8RANGE, `(,)`-style for unbounded sides. */
function encodeRange(timespan: Timespan | null): SqlValue {
  if (timespan === null) return null;
  if (timespan.beginNs >= timespan.endNs) return "empty";
  const begin = timespan.beginNs === TAI_MIN_NS ? "" : String(timespan.beginNs);
  const end = timespan.endNs === TAI_MAX_NS ? "" : String(timespan.endNs);
  return `[${begin},${end})`;
}

/** The timespan of an INT8RANGE's text form (the server always writes discrete ranges as `[a,b)`). */
function decodeRange(text: string): Timespan {
  if (text === "empty") return Timespan.empty();
  const match = /^[[(](-?\d*),(-?\d*)[)\]]$/.exec(text);
  if (match === null) throw new TypeError(`not an INT8RANGE: ${JSON.stringify(text)}`);
  const [, begin, end] = match as unknown as [string, string, string];
  return Timespan.fromNs(begin === "" ? TAI_MIN_NS : BigInt(begin), end === "" ? TAI_MAX_NS : BigInt(end));
}

/**
 * PostgreSQL's hooks, as daf_butler's PostgreSQL backend stores things: `$N` placeholders, native UUID
 * (canonical lower-case strings), one INT8RANGE column per timespan, booleans bound as 1/0 (the server
 * casts the untyped parameter to the column's BOOLEAN; reads come back as 1/0 like SQLite's), and LIKE
 * with escapes for daf_butler's glob patterns.
 */
export const postgresDialect: SqlDialect = Object.freeze({
  name: "postgresql" as const,
  quote: quotePostgresIdentifier,
  placeholder: (index: number) => `$${index}`,
  renderTable: renderPostgresTable,
  timespanColumns: (name: string) => [name],
  encodeTimespan: (timespan: Timespan | null): SqlValue[] => [encodeRange(timespan)],
  decodeTimespan(row: SqlRow, name: string): Timespan | null {
    const value = row[name];
    return value === null || value === undefined ? null : decodeRange(String(value));
  },
  timespanOverlaps: (column: string, firstPlaceholder: number) =>
    `(${column} && $${firstPlaceholder}::int8range)`,
  nextId: postgresNextId,
  timespanBounds(alias: string, name: string) {
    const column = `${alias}.${quotePostgresIdentifier(name)}`;
    // lower()/upper() are null both for an unbounded side and for an empty range: only the first is a limit,
    // so an empty (or null) timespan gets null ends and overlaps nothing, as on SQLite.
    return {
      begin: `COALESCE(lower(${column}), CASE WHEN lower_inf(${column}) THEN ${TAI_MIN_NS} END)`,
      end: `COALESCE(upper(${column}), CASE WHEN upper_inf(${column}) THEN ${TAI_MAX_NS} END)`,
    };
  },
  noLimit: "",
  uuidAggregateOperand: (expr: string) => `${expr}::text`,
  typedParameter: (placeholder: string, type: "bigint" | "float") =>
    `${placeholder}::${type === "float" ? "double precision" : "bigint"}`,
  floatType: "double precision",
  encodeUuid: (uuid: string): SqlValue => uuid.toLowerCase(),
  decodeUuid: (value: SqlValue): string => String(value).toLowerCase(),
  encodeBool: (value: boolean): SqlValue => (value ? 1 : 0),
  tableExistsQuery:
    "SELECT table_name AS name FROM information_schema.tables " +
    "WHERE table_schema = current_schema() AND table_name = $1",
  glob(column: string, pattern: string) {
    if (pattern === "*") return { sql: "1 = 1", params: [] };
    // `*` and `?` are wildcards unless escaped with a backslash; LIKE's own `%`, `_` and `\` are literal.
    const like = pattern.replace(/\\([*?])|[%_\\]|[*?]/g, (match, escaped: string | undefined) => {
      if (escaped !== undefined) return escaped;
      if (match === "*") return "%";
      if (match === "?") return "_";
      return `\\${match}`;
    });
    // The caller numbers its parameters; the condition binds one, placed by `?` like SQLite's.
    return { sql: `${column} LIKE ? ESCAPE '\\'`, params: [like] };
  },
});
