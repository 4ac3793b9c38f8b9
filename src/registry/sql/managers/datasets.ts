import {
  type DatasetIdGenerationMode,
  deterministicDatasetId,
  newDatasetId,
  uuidHex,
} from "../../../datasets/dataset-id.ts";
import { DatasetRef } from "../../../datasets/dataset-ref.ts";
import { DataCoordinate, type DataIdValue, formatValue } from "../../../dimensions/data-coordinate.ts";
import type { DimensionElement, SkyPixDimension } from "../../../dimensions/elements.ts";
import { type DataIdInput, standardizeDataId } from "../../../dimensions/standardize-data-id.ts";
import type { DimensionUniverse } from "../../../dimensions/universe.ts";
import {
  ConflictingDefinitionError,
  DatabaseError,
  DataIdValueError,
  OrphanedRecordError,
} from "../../../errors.ts";
import { groupBy } from "../../../util/group-by.ts";
import type { Database, SqlValue } from "../database.ts";
import { uniqueViolation } from "../transaction-retry.ts";
import type { CollectionRecord, CollectionStore } from "./collections.ts";
import type { DatasetTypeRecord, DatasetTypeStore } from "./dataset-types.ts";
import type { DimensionRecordStore } from "./dimension-records.ts";
import type { CollectionSummaries } from "./summaries.ts";

/** The parts the dataset store works with. */
export interface DatasetStoreParts {
  readonly db: Database;
  readonly universe: DimensionUniverse;
  readonly collections: CollectionStore;
  readonly datasetTypes: DatasetTypeStore;
  readonly records: DimensionRecordStore;
  readonly summaries: CollectionSummaries;
  /** The repository's fine skypix level, whose overlap rows region literals are looked up in. */
  readonly fineSkyPix?: SkyPixDimension;
  /** Current time in TAI nanoseconds (ingest dates, record times). */
  readonly clock: () => bigint;
}

/** A dataset row found in a collection, with the collection it was found in. */
export interface DatasetHit {
  readonly ref: DatasetRef;
  readonly collection: CollectionRecord;
}

const CHUNK = 500;

/**
 * Datasets in RUN and TAGGED collections: inserted with new or given IDs, found first-match through
 * ordered collection lists, tagged and untagged, removed. Calibration associations are in
 * {@link CalibrationStore}.
 */
export class DatasetStore {
  readonly #parts: DatasetStoreParts;

  constructor(parts: DatasetStoreParts) {
    this.#parts = parts;
  }

  /** The required data ID of a dataset type from user input. @throws {DataIdError} subclasses. */
  dataIdFor(type: DatasetTypeRecord, input: DataIdInput | DataCoordinate): DataCoordinate {
    return standardizeDataId(this.#parts.universe, input, {
      dimensions: type.datasetType.dimensions,
    }).requireComplete();
  }

  /**
   * Insert new datasets of one type into a RUN, in one transaction.
   * @throws {MissingDatasetTypeError} / {MissingCollectionError} / {CollectionTypeError} for the type or run.
   * @throws {ConflictingDefinitionError} when the run already has a dataset of that type and data ID.
   * @throws {DataIdValueError} when a data ID value has no dimension record.
   */
  async insert(
    datasetTypeName: string,
    dataIds: Iterable<DataIdInput | DataCoordinate>,
    runName: string,
    mode: DatasetIdGenerationMode = "UNIQUE",
  ): Promise<DatasetRef[]> {
    const type = await this.#parts.datasetTypes.get(datasetTypeName);
    const run = await this.#parts.collections.getOfType(runName, ["RUN"], "inserting datasets");
    const coordinates = [...dataIds].map((d) => this.dataIdFor(type, d));
    const refs = coordinates.map(
      (dataId) =>
        new DatasetRef(
          mode === "UNIQUE"
            ? newDatasetId()
            : deterministicDatasetId(type.datasetType.name, dataId, mode, run.name),
          type.datasetType,
          dataId,
          run.name,
        ),
    );
    await this.#write(type, run, refs);
    return refs;
  }

  /**
   * Insert datasets with the IDs they already have (import, transfer); identical existing datasets are
   * kept as they are.
   * @throws {ConflictingDefinitionError} when an ID exists with another type, run or data ID, or the run
   *   has another dataset of the same type and data ID.
   */
  async import(refs: readonly DatasetRef[]): Promise<DatasetRef[]> {
    const groups = groupBy(refs, (ref) => `${ref.datasetType.name}\u0000${ref.run}`);
    await this.#parts.db.transaction(async () => {
      for (const group of groups.values()) {
        const first = group[0] as DatasetRef;
        const type = await this.#parts.datasetTypes.get(first.datasetType.name);
        const run = await this.#parts.collections.getOfType(first.run, ["RUN"], "importing datasets");
        const existing = await this.getMany(group.map((r) => r.id));
        const fresh: DatasetRef[] = [];
        for (const ref of group) {
          const found = existing.get(ref.id);
          if (found === undefined) fresh.push(ref);
          else if (
            found.run !== ref.run ||
            found.datasetType.name !== ref.datasetType.name ||
            !found.dataId.equals(this.dataIdFor(type, ref.dataId))
          ) {
            throw new ConflictingDefinitionError(`Dataset ${ref.id} already exists as ${found}, not ${ref}`);
          }
        }
        await this.#write(
          type,
          run,
          fresh.map((r) => new DatasetRef(r.id, type.datasetType, this.dataIdFor(type, r.dataId), r.run)),
        );
      }
    });
    return [...refs];
  }

  async #write(type: DatasetTypeRecord, run: CollectionRecord, refs: readonly DatasetRef[]): Promise<void> {
    if (refs.length === 0) return;
    const { db, summaries, clock } = this.#parts;
    const { encodeUuid } = db.dialect;
    const dims = type.datasetType.dimensions.required;
    const ingestDate = clock();
    try {
      await db.transaction(async () => {
        await summaries.add(
          run.id,
          type,
          refs.map((r) => r.dataId),
        );
        const ids = refs.map((r) => encodeUuid(r.id));
        await db.insertRows(
          "dataset",
          ["id", "dataset_type_id", "ingest_date", "run_id"],
          ids.map((id) => [id, type.id, ingestDate, run.id]),
        );
        await db.insertRows(
          type.tagTable,
          ["dataset_type_id", "dataset_id", "collection_id", ...dims],
          refs.map((r, i) => [
            type.id,
            ids[i] as SqlValue,
            run.id,
            ...dims.map((d) => r.dataId.get(d) as SqlValue),
          ]),
        );
      });
    } catch (error) {
      summaries.forget();
      throw await this.#explainWriteFailure(error, type, run, refs);
    }
  }

  async #explainWriteFailure(
    error: unknown,
    type: DatasetTypeRecord,
    run: CollectionRecord,
    refs: readonly DatasetRef[],
  ): Promise<unknown> {
    const unique = uniqueViolation(error);
    if (unique !== undefined) {
      const existingIds = await this.getMany(refs.map((r) => r.id));
      const byId = refs.find((r) => existingIds.has(r.id));
      if (byId !== undefined) {
        return new ConflictingDefinitionError(
          `Dataset ID ${byId.id} already exists as ${existingIds.get(byId.id)}`,
          { cause: unique },
        );
      }
      for (const ref of refs) {
        const hits = await this.findInCollections(type, ref.dataId, [run]);
        if (hits.length > 0) {
          return new ConflictingDefinitionError(
            `RUN "${run.name}" already has a ${type.datasetType.name} dataset with data ID ${ref.dataId} (ID ${hits[0]?.ref.id})`,
            {
              hint: "A RUN holds one dataset per dataset type and data ID; write to another run.",
              cause: unique,
            },
          );
        }
      }
      const seen = new Set<string>();
      for (const ref of refs) {
        if (seen.has(ref.dataId.key)) {
          return new ConflictingDefinitionError(
            `The same ${type.datasetType.name} data ID ${ref.dataId} is given twice for RUN "${run.name}"`,
            {
              cause: unique,
            },
          );
        }
        seen.add(ref.dataId.key);
      }
    }
    if (error instanceof DatabaseError && error.kind === "foreign-key") {
      const missing = await this.#missingRecord(refs.map((r) => r.dataId));
      if (missing !== undefined) return missing;
    }
    return error;
  }

  /** A DataIdValueError for the first data ID whose dimension records are absent, if any. */
  async #missingRecord(dataIds: readonly DataCoordinate[]): Promise<DataIdValueError | undefined> {
    const checked = new Set<string>();
    for (const dataId of dataIds) {
      for (const name of dataId.dimensions.required) {
        const element = this.#parts.universe.element(name) as DimensionElement;
        if (!element.hasOwnTable) continue;
        const key = element.required.map((d) => dataId.get(d.name) as DataIdValue);
        const id = `${name}|${key.join("|")}`;
        if (checked.has(id)) continue;
        checked.add(id);
        if ((await this.#parts.records.fetchRecord(element, key)) === null) {
          const described = element.required.map((d, i) => `${d.name}: ${formatValue(key[i])}`).join(", ");
          return new DataIdValueError(`No ${name} record for {${described}}, which data ID ${dataId} needs`, {
            hint: `Insert or import the ${name} record first.`,
          });
        }
      }
    }
    return undefined;
  }

  /** Datasets by ID (missing IDs are absent from the map). */
  async getMany(ids: readonly string[]): Promise<Map<string, DatasetRef>> {
    const { db } = this.#parts;
    const { placeholder: p, encodeUuid, decodeUuid } = db.dialect;
    const found = new Map<string, DatasetRef>();
    const valid = [...new Set(ids.filter((id) => uuidHex(id) !== undefined))];
    for (let start = 0; start < valid.length; start += CHUNK) {
      const chunk = valid.slice(start, start + CHUNK);
      const rows = await db.query(
        `SELECT id, dataset_type_id, run_id FROM dataset WHERE id IN (${chunk.map((_, i) => p(i + 1)).join(", ")})`,
        chunk.map(encodeUuid),
      );
      const byType = groupBy(rows, (row) => Number(row.dataset_type_id));
      for (const [typeId, typeRows] of byType) {
        const type = this.#parts.datasetTypes.byId(typeId);
        const dims = type.datasetType.dimensions.required;
        const { quote } = db.dialect;
        const tagRows = await db.query(
          `SELECT dataset_id, ${dims.map(quote).join(", ")} FROM ${quote(type.tagTable)} t JOIN dataset d ON d.id = t.dataset_id AND d.run_id = t.collection_id WHERE t.dataset_id IN (${typeRows.map((_, i) => p(i + 1)).join(", ")})`,
          typeRows.map((r) => r.id as SqlValue),
        );
        const runs = new Map(typeRows.map((r) => [decodeUuid(r.id as SqlValue), Number(r.run_id)]));
        for (const runId of new Set(runs.values())) await this.#parts.collections.getById(runId);
        for (const tagRow of tagRows) {
          const id = decodeUuid(tagRow.dataset_id as SqlValue);
          const dataId = DataCoordinate.fromRequiredValues(
            type.datasetType.dimensions,
            dims.map((d) => tagRow[d] as DataIdValue),
          );
          found.set(
            id,
            new DatasetRef(
              id,
              type.datasetType,
              dataId,
              this.#parts.collections.byId(runs.get(id) as number).name,
            ),
          );
        }
      }
    }
    return found;
  }

  /** Every RUN/TAGGED hit of one data ID in the given collections (unordered). */
  async findInCollections(
    type: DatasetTypeRecord,
    dataId: DataCoordinate,
    collections: readonly CollectionRecord[],
  ): Promise<DatasetHit[]> {
    if (collections.length === 0) return [];
    const { db } = this.#parts;
    const { quote, placeholder: p, decodeUuid } = db.dialect;
    const dims = type.datasetType.dimensions.required;
    const conditions = ["t.dataset_type_id = ?", ...dims.map((d) => `t.${quote(d)} = ?`)];
    let index = 0;
    const where = conditions.map((c) => c.replace("?", () => p(++index))).join(" AND ");
    const inList = collections.map(() => p(++index)).join(", ");
    const rows = await db.query(
      `SELECT t.dataset_id, t.collection_id, c.name AS run FROM ${quote(type.tagTable)} t JOIN dataset d ON d.id = t.dataset_id JOIN collection c ON c.collection_id = d.run_id WHERE ${where} AND t.collection_id IN (${inList})`,
      [type.id, ...dims.map((d) => dataId.get(d) as SqlValue), ...collections.map((c) => c.id)],
    );
    return rows.map((row) => ({
      ref: new DatasetRef(decodeUuid(row.dataset_id as SqlValue), type.datasetType, dataId, String(row.run)),
      collection: this.#parts.collections.byId(Number(row.collection_id)),
    }));
  }

  /**
   * The first dataset of the type and data ID in the RUN and TAGGED collections among `collections`
   * (already flattened, in search order), with the collection it was found in.
   */
  async findFirst(
    type: DatasetTypeRecord,
    dataId: DataCoordinate,
    collections: readonly CollectionRecord[],
  ): Promise<DatasetHit | undefined> {
    const searchable = collections.filter((c) => c.type === "RUN" || c.type === "TAGGED");
    const hits = await this.findInCollections(type, dataId, searchable);
    if (hits.length <= 1) return hits[0];
    const rank = new Map(searchable.map((c, i) => [c.id, i]));
    return hits.reduce((best, hit) =>
      (rank.get(hit.collection.id) ?? 0) < (rank.get(best.collection.id) ?? 0) ? hit : best,
    );
  }

  /** Every dataset of a type in the given RUN/TAGGED collections, with where each was found. */
  async inCollections(
    type: DatasetTypeRecord,
    collections: readonly CollectionRecord[],
  ): Promise<DatasetHit[]> {
    const searchable = collections.filter((c) => c.type === "RUN" || c.type === "TAGGED");
    if (searchable.length === 0) return [];
    const { db } = this.#parts;
    const { quote, placeholder: p, decodeUuid } = db.dialect;
    const dims = type.datasetType.dimensions.required;
    const rows = await db.query(
      `SELECT t.dataset_id, t.collection_id, c.name AS run, ${dims.map((d) => `t.${quote(d)}`).join(", ")} FROM ${quote(type.tagTable)} t JOIN dataset d ON d.id = t.dataset_id JOIN collection c ON c.collection_id = d.run_id WHERE t.dataset_type_id = ${p(1)} AND t.collection_id IN (${searchable.map((_, i) => p(i + 2)).join(", ")})`,
      [type.id, ...searchable.map((c) => c.id)],
    );
    return rows.map((row) => ({
      ref: new DatasetRef(
        decodeUuid(row.dataset_id as SqlValue),
        type.datasetType,
        DataCoordinate.fromRequiredValues(
          type.datasetType.dimensions,
          dims.map((d) => row[d] as DataIdValue),
        ),
        String(row.run),
      ),
      collection: this.#parts.collections.byId(Number(row.collection_id)),
    }));
  }

  /**
   * Delete datasets from the registry (from every collection).
   * @throws {OrphanedRecordError} when a datastore still holds one of them.
   */
  async remove(refs: readonly DatasetRef[]): Promise<void> {
    const { db } = this.#parts;
    const { placeholder: p, encodeUuid } = db.dialect;
    await db.transaction(async () => {
      for (let start = 0; start < refs.length; start += CHUNK) {
        const ids = refs.slice(start, start + CHUNK).map((r) => encodeUuid(r.id));
        const inList = ids.map((_, i) => p(i + 1)).join(", ");
        const stored = await db.query(
          `SELECT dataset_id FROM dataset_location WHERE dataset_id IN (${inList})`,
          ids,
        );
        if (stored.length > 0) {
          throw new OrphanedRecordError(
            `Dataset ${db.dialect.decodeUuid(stored[0]?.dataset_id as SqlValue)} still has files in a datastore; remove them first`,
            { hint: "Use `butler prune-datasets --purge`, which deletes the files too." },
          );
        }
        await db.run(`DELETE FROM dataset WHERE id IN (${inList})`, ids);
      }
    });
  }
}
