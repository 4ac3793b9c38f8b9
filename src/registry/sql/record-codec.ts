import { DimensionRecord, type RecordValue, recordFieldSpecs } from "../../dimensions/dimension-record.ts";
import type { DimensionElement } from "../../dimensions/elements.ts";
import type { Timespan } from "../../time/timespan.ts";
import type { SqlDialect, SqlRow, SqlValue } from "./database.ts";

/**
 * How dimension records map to rows of their element's table: one SQL column per field, except the
 * timespan (stored as the dialect says) ; regions and hashes as base64 text, as daf_butler stores them.
 */
export class RecordCodec {
  readonly element: DimensionElement;
  /** SQL column names, in table order. */
  readonly columns: readonly string[];
  readonly #dialect: SqlDialect;

  constructor(element: DimensionElement, dialect: SqlDialect) {
    this.element = element;
    this.#dialect = dialect;
    this.columns = element.recordFields.flatMap((field) =>
      field === "timespan" ? dialect.timespanColumns("timespan") : [field],
    );
  }

  /** Whether rows must be read with bigints (the table has a timespan). */
  get needsBigInts(): boolean {
    return this.element.recordFields.includes("timespan");
  }

  /** The row values of a record, in {@link columns} order. */
  toRow(record: DimensionRecord): SqlValue[] {
    const specs = recordFieldSpecs(this.element);
    const row: SqlValue[] = [];
    for (const field of this.element.recordFields) {
      const value = record.get(field);
      const spec = specs.get(field);
      if (spec === "timespan") row.push(...this.#dialect.encodeTimespan(value as Timespan | null));
      else if (value instanceof Uint8Array) row.push(Buffer.from(value).toString("base64"));
      else if (typeof value === "boolean") row.push(this.#dialect.encodeBool(value));
      else row.push(value as SqlValue);
    }
    return row;
  }

  /** The record a row holds (read with bigints when {@link needsBigInts}). */
  fromRow(row: SqlRow): DimensionRecord {
    const specs = recordFieldSpecs(this.element);
    const fields: Record<string, RecordValue> = {};
    for (const field of this.element.recordFields) {
      const spec = specs.get(field);
      if (spec === "timespan") {
        fields[field] = this.#dialect.decodeTimespan(row, "timespan");
        continue;
      }
      const value = row[field] ?? null;
      if (value === null) fields[field] = null;
      else if (spec === "region" || (typeof spec === "object" && spec.type === "hash")) {
        fields[field] = new Uint8Array(Buffer.from(String(value), "base64"));
      } else if (typeof spec === "object" && spec.type === "bool") fields[field] = Boolean(value);
      else if (typeof value === "bigint") fields[field] = Number(value);
      else fields[field] = value as RecordValue;
    }
    return DimensionRecord.make(this.element, fields);
  }
}
