import type { DataIdValue } from "../../../dimensions/data-coordinate.ts";
import { formatValue } from "../../../dimensions/data-coordinate.ts";
import {
  type DimensionRecord,
  type RecordValue,
  recordFieldSpecs,
  recordValuesEqual,
} from "../../../dimensions/dimension-record.ts";
import type { DimensionElement, SkyPixDimension } from "../../../dimensions/elements.ts";
import type { DimensionRecordSource } from "../../../dimensions/expand-data-id.ts";
import {
  ConflictingDefinitionError,
  DatabaseError,
  DataIdValueError,
  DimensionValueError,
} from "../../../errors.ts";
import type { Database, SqlValue } from "../database.ts";
import { RecordCodec } from "../record-codec.ts";
import { uniqueViolation } from "../transaction-retry.ts";
import { writeSkyPixOverlaps } from "./skypix-overlaps.ts";

/** Options of {@link DimensionRecordStore.insert}. */
export interface InsertRecordsOptions {
  /** Leave records whose key already exists untouched, without comparing them. */
  readonly skipExisting?: boolean;
  /** Overwrite records whose key already exists. */
  readonly replace?: boolean;
}

/**
 * Dimension records in their element tables: insert, sync, fetch. Records of cached elements
 * (instruments, detectors, filters...) are kept in memory after the first fetch.
 */
export class DimensionRecordStore implements DimensionRecordSource {
  readonly #db: Database;
  readonly #codecs = new Map<string, RecordCodec>();
  readonly #cache = new Map<string, Map<string, DimensionRecord>>();
  readonly #fineSkyPix: SkyPixDimension | undefined;

  /** @param fineSkyPix the repository's fine skypix level, whose overlap rows are written too. */
  constructor(db: Database, fineSkyPix?: SkyPixDimension) {
    this.#db = db;
    this.#fineSkyPix = fineSkyPix;
  }

  #codec(element: DimensionElement): RecordCodec {
    let codec = this.#codecs.get(element.name);
    if (codec === undefined) {
      codec = new RecordCodec(element, this.#db.dialect);
      this.#codecs.set(element.name, codec);
    }
    return codec;
  }

  #table(element: DimensionElement): string {
    if (!element.hasOwnTable) {
      throw new DimensionValueError(
        `Element "${element.name}" has no table of its own; its records cannot be stored`,
      );
    }
    return this.#db.dialect.quote(element.name);
  }

  /**
   * Insert records of one element in one transaction, with their overlaps with the common skypix
   * dimension when the element has regions.
   * @throws {ConflictingDefinitionError} when a record with the same key exists (unless skipping or replacing).
   * @throws {DataIdValueError} when a record refers to a dimension value that has no record.
   * @throws {DimensionValueError} when a value is too long for its column.
   * @throws {RegionError} when a record's region bytes are not a sphgeom region.
   */
  async insert(
    element: DimensionElement,
    records: readonly DimensionRecord[],
    options: InsertRecordsOptions = {},
  ): Promise<number> {
    if (records.length === 0) return 0;
    const codec = this.#codec(element);
    for (const record of records) checkLengths(record);
    this.#table(element); // throws for an element without a table of its own
    const { quote } = this.#db.dialect;
    const key = element.required.map((d) => quote(element.keyField(d.name) as string)).join(", ");
    let conflict = "";
    if (options.replace) {
      const keyFields = new Set(element.required.map((d) => element.keyField(d.name)));
      const updates = codec.columns
        .filter((c) => !keyFields.has(c))
        .map((c) => `${quote(c)} = excluded.${quote(c)}`);
      conflict =
        updates.length > 0
          ? `ON CONFLICT (${key}) DO UPDATE SET ${updates.join(", ")}`
          : "ON CONFLICT DO NOTHING";
    } else if (options.skipExisting) {
      conflict = "ON CONFLICT DO NOTHING";
    }
    this.#cache.delete(element.name);
    try {
      return await this.#db.transaction(async (tx) => {
        const inserted = await tx.insertRows(
          element.name,
          codec.columns,
          records.map((r) => codec.toRow(r)),
          conflict,
        );
        await writeSkyPixOverlaps(tx, element, records, {
          replace: options.replace === true,
          ...(this.#fineSkyPix === undefined ? {} : { fineSkyPix: this.#fineSkyPix }),
        });
        return inserted;
      });
    } catch (error) {
      throw await this.#explainInsertFailure(error, element, records);
    }
  }

  /**
   * Insert a record if no record has its key; compare it with the stored one otherwise.
   * @returns true when inserted, false when an identical record exists, or (with `update`) the old values
   *   of the fields it changed.
   * @throws {ConflictingDefinitionError} when a different record exists, showing both values.
   */
  async sync(
    record: DimensionRecord,
    options: { update?: boolean } = {},
  ): Promise<boolean | Record<string, RecordValue>> {
    const element = record.element;
    return this.#db.transaction(async () => {
      const key = element.required.map((d) => record.valueOf(d.name) as DataIdValue);
      const existing = await this.fetchRecord(element, key, { bypassCache: true });
      if (existing === null) {
        await this.insert(element, [record]);
        return true;
      }
      const differing = element.recordFields.filter(
        (f) => !recordValuesEqual(existing.get(f), record.get(f)),
      );
      if (differing.length === 0) return false;
      if (!options.update) {
        const diff = differing
          .map((f) => `${f}: ${show(existing.get(f))} != ${show(record.get(f))}`)
          .join(", ");
        throw new ConflictingDefinitionError(
          `A different ${element.name} record exists for ${describeKey(element, key)} (existing != new: ${diff})`,
          { hint: "Pass update to overwrite it, or correct the new record." },
        );
      }
      await this.insert(element, [record], { replace: true });
      return Object.fromEntries(differing.map((f) => [f, existing.get(f)]));
    });
  }

  /** The record of `element` with the given required values, or null. */
  async fetchRecord(
    element: DimensionElement,
    requiredValues: readonly DataIdValue[],
    options: { bypassCache?: boolean } = {},
  ): Promise<DimensionRecord | null> {
    const cacheKey = requiredValues.join("\u0000");
    if (element.isCached && !options.bypassCache) {
      const cached = await this.#cachedRecords(element);
      return cached.get(cacheKey) ?? null;
    }
    const codec = this.#codec(element);
    const { quote, placeholder } = this.#db.dialect;
    const where = element.required.map(
      (d, i) => `${quote(element.keyField(d.name) as string)} = ${placeholder(i + 1)}`,
    );
    const rows = await this.#db.query(
      `SELECT ${codec.columns.map(quote).join(", ")} FROM ${this.#table(element)} WHERE ${where.join(" AND ")}`,
      requiredValues as SqlValue[],
      { bigints: codec.needsBigInts },
    );
    return rows[0] === undefined ? null : codec.fromRow(rows[0]);
  }

  /** Records of `element` whose fields equal the given values (for resolving alternate keys). */
  async findByFields(
    element: DimensionElement,
    fields: Readonly<Record<string, SqlValue>>,
  ): Promise<DimensionRecord[]> {
    const codec = this.#codec(element);
    const { quote, placeholder } = this.#db.dialect;
    const names = Object.keys(fields);
    const where = names.map((name, i) => `${quote(name)} = ${placeholder(i + 1)}`).join(" AND ");
    const rows = await this.#db.query(
      `SELECT ${codec.columns.map(quote).join(", ")} FROM ${this.#table(element)}${names.length > 0 ? ` WHERE ${where}` : ""}`,
      names.map((name) => fields[name] as SqlValue),
      { bigints: codec.needsBigInts },
    );
    return rows.map((row) => codec.fromRow(row));
  }

  /** Every record of an element, in key order. */
  async fetchAll(element: DimensionElement): Promise<DimensionRecord[]> {
    const codec = this.#codec(element);
    const { quote } = this.#db.dialect;
    const order = element.required.map((d) => quote(element.keyField(d.name) as string)).join(", ");
    const rows = await this.#db.query(
      `SELECT ${codec.columns.map(quote).join(", ")} FROM ${this.#table(element)} ORDER BY ${order}`,
      [],
      { bigints: codec.needsBigInts },
    );
    return rows.map((row) => codec.fromRow(row));
  }

  async #cachedRecords(element: DimensionElement): Promise<Map<string, DimensionRecord>> {
    let cached = this.#cache.get(element.name);
    if (cached === undefined) {
      cached = new Map();
      for (const record of await this.fetchAll(element)) {
        cached.set(element.required.map((d) => record.valueOf(d.name)).join("\u0000"), record);
      }
      this.#cache.set(element.name, cached);
      // Read inside a transaction, it may hold records that a rollback takes away.
      this.#db.onRollback(() => this.#cache.delete(element.name));
    }
    return cached;
  }

  /** Forget cached records (after another process may have written). */
  refresh(): void {
    this.#cache.clear();
  }

  async #explainInsertFailure(
    error: unknown,
    element: DimensionElement,
    records: readonly DimensionRecord[],
  ): Promise<unknown> {
    const unique = uniqueViolation(error);
    if (unique !== undefined) {
      for (const record of records) {
        const key = element.required.map((d) => record.valueOf(d.name) as DataIdValue);
        if ((await this.fetchRecord(element, key, { bypassCache: true })) !== null) {
          return new ConflictingDefinitionError(
            `A ${element.name} record already exists for ${describeKey(element, key)}`,
            {
              hint: "Use sync to compare it, or skip existing records.",
              cause: unique,
            },
          );
        }
      }
      return new ConflictingDefinitionError(
        `A ${element.name} record repeats an alternate key of another record (${element.recordFields.join(", ")})`,
        { cause: unique },
      );
    }
    if (error instanceof DatabaseError && error.kind === "foreign-key") {
      for (const record of records) {
        for (const dimension of element.dimensions) {
          if (dimension === element || !dimension.hasOwnTable) continue;
          const key = dimension.required.map((d) => record.valueOf(d.name) as DataIdValue);
          if (key.includes(null as never)) continue;
          if ((await this.fetchRecord(dimension, key, { bypassCache: true })) === null) {
            return new DataIdValueError(
              `Cannot insert ${element.name} record ${describeKey(
                element,
                element.required.map((d) => record.valueOf(d.name) as DataIdValue),
              )}: no ${dimension.name} record for ${describeKey(dimension, key)}`,
              { hint: `Insert the ${dimension.name} record first.`, cause: error },
            );
          }
        }
      }
    }
    return error;
  }
}

function describeKey(element: DimensionElement, key: readonly DataIdValue[]): string {
  return `{${element.required.map((d, i) => `${d.name}: ${formatValue(key[i])}`).join(", ")}}`;
}

function show(value: RecordValue): string {
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  return value === null ? "null" : typeof value === "string" ? `'${value}'` : String(value);
}

/** Refuse strings longer than their column, with a message better than a CHECK failure. */
function checkLengths(record: DimensionRecord): void {
  for (const [field, spec] of recordFieldSpecs(record.element)) {
    if (typeof spec === "string" || spec.type !== "string" || spec.length === undefined) continue;
    const value = record.get(field);
    if (typeof value === "string" && value.length > spec.length) {
      throw new DimensionValueError(
        `Value '${value}' of field "${field}" of a ${record.element.name} record is longer than ${spec.length} characters`,
      );
    }
  }
}
