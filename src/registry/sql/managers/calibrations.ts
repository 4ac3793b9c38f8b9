import { DatasetRef } from "../../../datasets/dataset-ref.ts";
import { DataCoordinate, type DataIdValue } from "../../../dimensions/data-coordinate.ts";
import type { DataIdInput } from "../../../dimensions/standardize-data-id.ts";
import {
  CalibrationLookupError,
  ConflictingDefinitionError,
  DatasetNotFoundError,
  DatasetTypeError,
} from "../../../errors.ts";
import { TAI_MAX_NS } from "../../../time/tai-range.ts";
import type { Timespan } from "../../../time/timespan.ts";
import { groupBy } from "../../../util/group-by.ts";
import type { SqlRow, SqlValue } from "../database.ts";
import { historyStart, historyTableName, reconcileHistory } from "./calib-history.ts";
import type { CollectionRecord } from "./collections.ts";
import type { DatasetTypeRecord } from "./dataset-types.ts";
import type { DatasetHit, DatasetStore, DatasetStoreParts } from "./datasets.ts";

/** One certification: a dataset valid over a timespan in a CALIBRATION collection. */
export interface Certification {
  readonly ref: DatasetRef;
  readonly collection: string;
  readonly validity: Timespan;
}

/** One row of calibration history: a certification with when it became live and when it was superseded. */
export interface CertificationRecord extends Certification {
  /** Record time (TAI ns) the certification became live. */
  readonly recordedBegin: bigint;
  /** Record time it was superseded, or null while live. */
  readonly recordedEnd: bigint | null;
}

/**
 * CALIBRATION collections: certify datasets over validity ranges (no two ranges of one dataset type and
 * data ID may overlap), decertify (truncating or splitting ranges), look up by time, and answer all of
 * it as of a past record time from the bitemporal history.
 */
export class CalibrationStore {
  readonly #parts: DatasetStoreParts;
  readonly #datasets: DatasetStore;

  constructor(parts: DatasetStoreParts, datasets: DatasetStore) {
    this.#parts = parts;
    this.#datasets = datasets;
  }

  async #calibType(name: string): Promise<DatasetTypeRecord> {
    const type = await this.#parts.datasetTypes.get(name);
    if (type.calibTable === null) {
      throw new DatasetTypeError(`Dataset type "${name}" is not a calibration type; it cannot be certified`, {
        hint: "Register it with isCalibration (butler register-dataset-type --is-calibration).",
      });
    }
    return type;
  }

  /**
   * Certify datasets over a validity range in a CALIBRATION collection, in one transaction.
   * @throws {CollectionTypeError} when the collection is not CALIBRATION.
   * @throws {DatasetTypeError} when a dataset type is not a calibration type.
   * @throws {DatasetNotFoundError} when a dataset is not in the registry.
   * @throws {ConflictingDefinitionError} when the range overlaps an existing one for the same type and
   *   data ID (nothing is changed then).
   */
  async certify(collectionName: string, refs: readonly DatasetRef[], validity: Timespan): Promise<void> {
    const collection = await this.#parts.collections.getOfType(collectionName, ["CALIBRATION"], "certifying");
    const { db } = this.#parts;
    const now = this.#parts.clock();
    const known = await this.#datasets.getMany(refs.map((r) => r.id));
    for (const ref of refs) {
      if (!known.has(ref.id))
        throw new DatasetNotFoundError(`Cannot certify dataset ${ref.id}: it is not in the registry`);
    }
    await db
      .transaction(async () => {
        for (const [typeName, group] of groupBy(refs, (r) => r.datasetType.name)) {
          const type = await this.#calibType(typeName);
          // The overlap check below must still hold when the rows go in (the schema has no constraint).
          await db.lockForWrite(type.calibTable as string);
          const stored = group.map((r) => known.get(r.id) as DatasetRef);
          const seen = new Map<string, DatasetRef>();
          for (const ref of stored) {
            const twin = seen.get(ref.dataId.key);
            if (twin !== undefined) {
              throw new ConflictingDefinitionError(
                `Cannot certify ${twin.id} and ${ref.id} together: both are ${typeName} for ${ref.dataId} over ${validity}`,
              );
            }
            seen.set(ref.dataId.key, ref);
            const clash = (await this.#live(type, collection, ref.dataId, validity))[0];
            if (clash !== undefined) {
              throw new ConflictingDefinitionError(
                `Cannot certify ${typeName} ${ref.id} for ${ref.dataId} over ${validity} in "${collection.name}": dataset ${clash.ref.id} is already certified over ${clash.validity}`,
                {
                  hint: "Decertify the overlapping range first, or certify over a range that does not overlap.",
                },
              );
            }
          }
          await this.#parts.summaries.add(
            collection.id,
            type,
            stored.map((r) => r.dataId),
          );
          await this.#insertRows(
            type,
            collection,
            stored.map((ref) => [ref, validity]),
          );
          await reconcileHistory(db, type, now);
        }
      })
      .catch((error: unknown) => {
        this.#parts.summaries.forget();
        throw error;
      });
  }

  /**
   * Remove a validity range from a CALIBRATION collection for one dataset type (all data IDs, or those
   * given): rows inside it go, rows overlapping it are truncated, a row spanning it is split in two.
   * @returns the number of certifications changed.
   */
  async decertify(
    collectionName: string,
    datasetTypeName: string,
    validity: Timespan,
    dataIds?: readonly (DataIdInput | DataCoordinate)[],
  ): Promise<number> {
    const collection = await this.#parts.collections.getOfType(
      collectionName,
      ["CALIBRATION"],
      "decertifying",
    );
    const type = await this.#calibType(datasetTypeName);
    const { db } = this.#parts;
    const now = this.#parts.clock();
    const wanted = dataIds?.map((d) => this.#datasets.dataIdFor(type, d));
    return db.transaction(async () => {
      await db.lockForWrite(type.calibTable as string);
      // One query at a time: a transaction holds one connection, which runs queries in turn.
      const rows = [];
      for (const dataId of wanted ?? [undefined]) {
        rows.push(...(await this.#live(type, collection, dataId, validity)));
      }
      const { quote, placeholder: p } = db.dialect;
      await db.runMany(
        `DELETE FROM ${quote(type.calibTable as string)} WHERE id = ${p(1)}`,
        rows.map((r) => [r.rowId]),
      );
      await this.#insertRows(
        type,
        collection,
        rows.flatMap((row) =>
          row.validity.difference(validity).map((piece) => [row.ref, piece] as [DatasetRef, Timespan]),
        ),
      );
      await reconcileHistory(db, type, now);
      return rows.length;
    });
  }

  async #insertRows(
    type: DatasetTypeRecord,
    collection: CollectionRecord,
    rows: readonly [DatasetRef, Timespan][],
  ): Promise<void> {
    const { db } = this.#parts;
    const { quote, placeholder: p, encodeUuid, encodeTimespan, timespanColumns, nextId } = db.dialect;
    const dims = type.datasetType.dimensions.required;
    const spans = timespanColumns("timespan");
    const columns = ["dataset_type_id", "dataset_id", "collection_id", ...dims, ...spans];
    const values = columns.map((_, i) => p(i + 1));
    const id = nextId(type.calibTable as string, "id");
    if (id !== null) {
      columns.push("id");
      values.push(id);
    }
    await db.runMany(
      `INSERT INTO ${quote(type.calibTable as string)} (${columns.map(quote).join(", ")}) VALUES (${values.join(", ")})`,
      rows.map(([ref, span]) => [
        type.id,
        encodeUuid(ref.id),
        collection.id,
        ...dims.map((d) => ref.dataId.get(d) as SqlValue),
        ...encodeTimespan(span),
      ]),
    );
  }

  /** Live rows of one data ID (or all) whose validity overlaps `validity`. */
  async #live(
    type: DatasetTypeRecord,
    collection: CollectionRecord,
    dataId: DataCoordinate | undefined,
    validity: Timespan,
  ) {
    return this.#select(type.calibTable as string, type, [collection], dataId, validity, undefined);
  }

  async #select(
    table: string,
    type: DatasetTypeRecord,
    collections: readonly CollectionRecord[],
    dataId: DataCoordinate | undefined,
    validity: Timespan | undefined,
    asOf: bigint | undefined,
  ) {
    const { db } = this.#parts;
    const {
      quote,
      placeholder: p,
      decodeUuid,
      timespanOverlaps,
      encodeTimespan,
      decodeTimespan,
      timespanColumns,
    } = db.dialect;
    const dims = type.datasetType.dimensions.required;
    const params: SqlValue[] = [type.id, ...collections.map((c) => c.id)];
    const conditions = [
      `c.dataset_type_id = ${p(1)}`,
      `c.collection_id IN (${collections.map((_, i) => p(i + 2)).join(", ")})`,
    ];
    if (dataId !== undefined) {
      for (const d of dims) {
        params.push(dataId.get(d) as SqlValue);
        conditions.push(`c.${quote(d)} = ${p(params.length)}`);
      }
    }
    if (validity !== undefined) {
      conditions.push(timespanOverlaps("c.timespan", params.length + 1));
      params.push(...encodeTimespan(validity));
    }
    const history = asOf !== undefined || table !== type.calibTable;
    if (asOf !== undefined) {
      conditions.push(
        `c.recorded_begin <= ${p(params.length + 1)} AND c.recorded_end > ${p(params.length + 2)}`,
      );
      params.push(asOf, asOf);
    }
    const extra = history ? ", c.recorded_begin, c.recorded_end" : ", c.id";
    const rows = await db.query(
      `SELECT c.dataset_id, c.collection_id, r.name AS run, ${dims.map((d) => `c.${quote(d)}`).join(", ")}, ${timespanColumns(
        "timespan",
      )
        .map((col) => `c.${quote(col)}`)
        .join(
          ", ",
        )}${extra} FROM ${quote(table)} c JOIN dataset d ON d.id = c.dataset_id JOIN collection r ON r.collection_id = d.run_id WHERE ${conditions.join(" AND ")}`,
      params,
      { bigints: true },
    );
    return rows.map((row: SqlRow) => ({
      rowId: row.id === undefined ? 0 : Number(row.id),
      ref: new DatasetRef(
        decodeUuid(row.dataset_id as SqlValue),
        type.datasetType,
        DataCoordinate.fromRequiredValues(
          type.datasetType.dimensions,
          dims.map((d) => toDataIdValue(row[d] as SqlValue)),
        ),
        String(row.run),
      ),
      collection: this.#parts.collections.byId(Number(row.collection_id)),
      validity: decodeTimespan(row, "timespan") as Timespan,
      recordedBegin: row.recorded_begin === undefined ? 0n : BigInt(row.recorded_begin as bigint),
      recordedEnd: row.recorded_end === undefined ? 0n : BigInt(row.recorded_end as bigint),
    }));
  }

  /**
   * The calibration valid at `validity` for one data ID, searching CALIBRATION collections in the order
   * given (as of record time `asOf` when given): the first collection with a match wins.
   * @throws {CalibrationLookupError} when one collection has more than one overlapping dataset.
   */
  async find(
    type: DatasetTypeRecord,
    dataId: DataCoordinate,
    collections: readonly CollectionRecord[],
    validity: Timespan,
    asOf?: bigint,
  ): Promise<DatasetHit | undefined> {
    const calibs = collections.filter((c) => c.type === "CALIBRATION");
    if (calibs.length === 0 || type.calibTable === null) return undefined;
    const table = asOf === undefined ? type.calibTable : historyTableName(type.calibTable);
    if (asOf !== undefined && (await historyStart(this.#parts.db, type)) === undefined) return undefined;
    const rows = await this.#select(table, type, calibs, dataId, validity, asOf);
    for (const collection of calibs) {
      const matches = rows.filter((r) => r.collection.id === collection.id);
      const distinct = [...new Map(matches.map((m) => [m.ref.id, m])).values()];
      if (distinct.length > 1) {
        throw new CalibrationLookupError(
          `More than one ${type.datasetType.name} for ${dataId} is valid at ${validity} in "${collection.name}": ${distinct.map((m) => `${m.ref.id} over ${m.validity}`).join(" and ")}`,
          { hint: "Narrow the timespan, or decertify one of them." },
        );
      }
      if (distinct[0] !== undefined) return { ref: distinct[0].ref, collection };
    }
    return undefined;
  }

  /** Certifications of a collection (optionally one dataset type) that are live now. */
  async certifications(collectionName: string, datasetTypeName?: string): Promise<Certification[]> {
    const collection = await this.#parts.collections.getOfType(
      collectionName,
      ["CALIBRATION"],
      "listing certifications",
    );
    const result: Certification[] = [];
    for (const type of await this.#typesOf(datasetTypeName)) {
      for (const row of await this.#select(
        type.calibTable as string,
        type,
        [collection],
        undefined,
        undefined,
        undefined,
      )) {
        result.push({ ref: row.ref, collection: collection.name, validity: row.validity });
      }
    }
    return result;
  }

  /**
   * Every certification a collection has had (optionally one dataset type), with its record times;
   * for a repository made by daf_butler, history starts when butler-ts first wrote to it.
   */
  async history(collectionName: string, datasetTypeName?: string): Promise<CertificationRecord[]> {
    const collection = await this.#parts.collections.getOfType(
      collectionName,
      ["CALIBRATION"],
      "reading calibration history",
    );
    const records: CertificationRecord[] = [];
    for (const type of await this.#typesOf(datasetTypeName)) {
      if ((await historyStart(this.#parts.db, type)) === undefined) continue;
      for (const row of await this.#select(
        historyTableName(type.calibTable as string),
        type,
        [collection],
        undefined,
        undefined,
        undefined,
      )) {
        records.push({
          ref: row.ref,
          collection: collection.name,
          validity: row.validity,
          recordedBegin: row.recordedBegin,
          recordedEnd: row.recordedEnd >= TAI_MAX_NS ? null : row.recordedEnd,
        });
      }
    }
    return records.sort(
      (a, b) =>
        compareBigInt(a.recordedBegin, b.recordedBegin) ||
        compareBigInt(a.validity.beginNs, b.validity.beginNs),
    );
  }

  async #typesOf(datasetTypeName: string | undefined): Promise<DatasetTypeRecord[]> {
    if (datasetTypeName !== undefined) return [await this.#calibType(datasetTypeName)];
    return (await this.#parts.datasetTypes.all()).filter((t) => t.calibTable !== null);
  }
}

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toDataIdValue(value: SqlValue): DataIdValue {
  return typeof value === "bigint" ? Number(value) : (value as DataIdValue);
}
