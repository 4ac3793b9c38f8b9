import { uuidFromHex, uuidHex } from "../../../../datasets/dataset-id.ts";
import { Timespan } from "../../../../time/timespan.ts";
import type { SqlDialect, SqlRow, SqlValue } from "../../database.ts";
import { quoteSqliteIdentifier, renderSqliteTable } from "./sqlite-ddl.ts";

/**
 * SQLite's hooks, as daf_butler's SQLite backend stores things: numbered `?N` placeholders (so SQL
 * text may bind its values in any order), UUIDs as 32 hex
 * characters, timespans as `<name>_begin`/`<name>_end` BIGINT TAI-ns pairs, booleans as 0/1.
 */
export const sqliteDialect: SqlDialect = Object.freeze({
  name: "sqlite" as const,
  quote: quoteSqliteIdentifier,
  placeholder: (index: number) => `?${index}`,
  renderTable: renderSqliteTable,
  timespanColumns: (name: string) => [`${name}_begin`, `${name}_end`],
  encodeTimespan: (timespan: Timespan | null): SqlValue[] =>
    timespan === null ? [null, null] : [timespan.beginNs, timespan.endNs],
  decodeTimespan(row: SqlRow, name: string): Timespan | null {
    const begin = row[`${name}_begin`];
    const end = row[`${name}_end`];
    if (begin === null || begin === undefined || end === null || end === undefined) return null;
    return Timespan.fromNs(BigInt(begin as bigint), BigInt(end as bigint));
  },
  timespanOverlaps: (column: string) => `(${column}_end > ? AND ? > ${column}_begin)`,
  nextId: () => null,
  timespanBounds: (alias: string, name: string) => ({
    begin: `${alias}.${quoteSqliteIdentifier(`${name}_begin`)}`,
    end: `${alias}.${quoteSqliteIdentifier(`${name}_end`)}`,
  }),
  noLimit: " LIMIT -1",
  uuidAggregateOperand: (expr: string) => expr,
  typedParameter: (placeholder: string) => placeholder,
  floatType: "REAL",
  encodeUuid: (uuid: string): SqlValue => uuidHex(uuid) ?? uuid,
  decodeUuid: (value: SqlValue): string => uuidFromHex(String(value)),
  encodeBool: (value: boolean): SqlValue => (value ? 1 : 0),
  tableExistsQuery: "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?",
  glob(column: string, pattern: string) {
    if (pattern === "*") return { sql: "1 = 1", params: [] };
    // SQLite's GLOB has character classes; make `[` literal, and `\*`, `\?` literal star and question mark.
    const translated = pattern.replace(/\\([*?])|\[/g, (_match, escaped: string | undefined) =>
      escaped ? `[${escaped}]` : "[[]",
    );
    return { sql: `${column} GLOB ?`, params: [translated] };
  },
});
