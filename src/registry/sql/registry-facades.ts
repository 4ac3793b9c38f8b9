import type { CollectionType } from "../../datasets/collection-type.ts";
import type { DatasetIdGenerationMode } from "../../datasets/dataset-id.ts";
import type { DatasetRef } from "../../datasets/dataset-ref.ts";
import { DatasetType } from "../../datasets/dataset-type.ts";
import type { DataCoordinate, DataIdValue } from "../../dimensions/data-coordinate.ts";
import { DimensionRecord, type RecordValue } from "../../dimensions/dimension-record.ts";
import type { DimensionElement } from "../../dimensions/elements.ts";
import { expandDataId } from "../../dimensions/expand-data-id.ts";
import { type DataIdInput, standardizeDataId } from "../../dimensions/standardize-data-id.ts";
import type { DimensionUniverse } from "../../dimensions/universe.ts";
import type { Timespan } from "../../time/timespan.ts";
import { isGlob, matchGlobs } from "../../util/glob.ts";
import type {
  CalibrationHistoryEntry,
  CollectionInfo,
  CollectionQueryOptions,
  FindDatasetOptions,
  RegistryCalibrations,
  RegistryCollections,
  RegistryDatasets,
  RegistryDatasetTypes,
  RegistryDimensionRecords,
} from "../registry.ts";
import type { CalibrationStore } from "./managers/calibrations.ts";
import type { CollectionStore } from "./managers/collections.ts";
import type { DatasetTypeStore } from "./managers/dataset-types.ts";
import type { DatasetHit, DatasetStore, DatasetStoreParts } from "./managers/datasets.ts";
import type { DimensionRecordStore } from "./managers/dimension-records.ts";
import { TaggedDatasetStore } from "./managers/tagged-datasets.ts";
import { resolveConstraints } from "./resolve-data-id.ts";
import { sortRefs } from "./sort-refs.ts";

/** {@link RegistryCollections} over the collection store. */
export class CollectionsFacade implements RegistryCollections {
  readonly #store: CollectionStore;

  constructor(store: CollectionStore) {
    this.#store = store;
  }

  register(name: string, type: CollectionType, doc: string | null = null): Promise<boolean> {
    return this.#store.register(name, type, doc);
  }

  async getInfo(name: string): Promise<CollectionInfo> {
    const record = await this.#store.get(name);
    const children = record.type === "CHAINED" ? await this.#store.chain(name) : [];
    return { name: record.name, type: record.type, doc: record.doc, children };
  }

  getChain(parent: string): Promise<string[]> {
    return this.#store.chain(parent);
  }

  setChain(parent: string, children: readonly string[], options: { flatten?: boolean } = {}): Promise<void> {
    return this.#store.setChain(parent, children, options);
  }

  getParentChains(name: string): Promise<string[]> {
    return this.#store.parents(name);
  }

  setDoc(name: string, doc: string | null): Promise<void> {
    return this.#store.setDoc(name, doc);
  }

  async query(patterns: readonly string[] = [], options: CollectionQueryOptions = {}): Promise<string[]> {
    const records = await this.#store.all();
    const types = new Map(records.map((r) => [r.name, r.type]));
    for (const pattern of patterns) if (!isGlob(pattern)) await this.#store.get(pattern);
    const matched = matchGlobs([...types.keys()].sort(), patterns);
    const flatten = options.flattenChains === true;
    const includeChains = options.includeChains ?? !flatten;
    const result = new Set<string>();
    const add = async (name: string): Promise<void> => {
      if (types.get(name) !== "CHAINED") {
        result.add(name);
        return;
      }
      if (includeChains) result.add(name);
      if (flatten) for (const child of await this.#store.chain(name)) await add(child);
    };
    for (const name of matched) await add(name);
    const wanted = options.types;
    return [...result].filter(
      (name) => wanted === undefined || wanted.includes(types.get(name) as CollectionType),
    );
  }

  flatten(names: readonly string[]): Promise<string[]> {
    return this.#store.flatten(names);
  }

  remove(name: string): Promise<void> {
    return this.#store.remove(name);
  }
}

/** {@link RegistryDatasetTypes} over the dataset type store. */
export class DatasetTypesFacade implements RegistryDatasetTypes {
  readonly #universe: DimensionUniverse;
  readonly #store: DatasetTypeStore;

  constructor(universe: DimensionUniverse, store: DatasetTypeStore) {
    this.#universe = universe;
    this.#store = store;
  }

  async register(datasetType: DatasetType): Promise<boolean> {
    return this.#store.register(DatasetType.make(this.#universe, datasetType));
  }

  async get(name: string): Promise<DatasetType> {
    return (await this.#store.get(name)).datasetType;
  }

  async query(patterns: readonly string[] = []): Promise<DatasetType[]> {
    const all = await this.#store.all();
    for (const pattern of patterns) if (!isGlob(pattern)) await this.#store.get(pattern);
    const names = new Set(
      matchGlobs(
        all.map((r) => r.datasetType.name),
        patterns,
      ),
    );
    return all.filter((r) => names.has(r.datasetType.name)).map((r) => r.datasetType);
  }

  async remove(nameOrPattern: string): Promise<string[]> {
    const names = isGlob(nameOrPattern)
      ? matchGlobs(
          (await this.#store.all()).map((r) => r.datasetType.name),
          [nameOrPattern],
        )
      : [nameOrPattern];
    const removed: string[] = [];
    for (const name of names) if (await this.#store.remove(name)) removed.push(name);
    return removed;
  }
}

/** {@link RegistryDimensionRecords} over the record store. */
export class DimensionsFacade implements RegistryDimensionRecords {
  readonly #universe: DimensionUniverse;
  readonly #store: DimensionRecordStore;

  constructor(universe: DimensionUniverse, store: DimensionRecordStore) {
    this.#universe = universe;
    this.#store = store;
  }

  #record(
    element: DimensionElement,
    record: DimensionRecord | Readonly<Record<string, unknown>>,
  ): DimensionRecord {
    return record instanceof DimensionRecord ? record : DimensionRecord.make(element, record);
  }

  async insert(
    element: string,
    records: readonly (DimensionRecord | Readonly<Record<string, unknown>>)[],
    options: { skipExisting?: boolean; replace?: boolean } = {},
  ): Promise<number> {
    const definition = this.#universe.element(element);
    return this.#store.insert(
      definition,
      records.map((r) => this.#record(definition, r)),
      options,
    );
  }

  async sync(
    element: string,
    record: DimensionRecord | Readonly<Record<string, unknown>>,
    options: { update?: boolean } = {},
  ): Promise<boolean | Record<string, RecordValue>> {
    return this.#store.sync(this.#record(this.#universe.element(element), record), options);
  }

  fetchRecord(
    element: DimensionElement,
    requiredValues: readonly DataIdValue[],
  ): Promise<DimensionRecord | null> {
    return this.#store.fetchRecord(element, requiredValues);
  }

  async fetchAll(element: string): Promise<DimensionRecord[]> {
    return this.#store.fetchAll(this.#universe.element(element));
  }

  async expandDataId(
    dataId: DataIdInput | DataCoordinate,
    options: { dimensions?: Iterable<string> } = {},
  ): Promise<DataCoordinate> {
    const standardized = standardizeDataId(
      this.#universe,
      dataId,
      options.dimensions === undefined ? {} : { dimensions: options.dimensions },
    );
    return expandDataId(await resolveConstraints(standardized, this.#store), this.#store);
  }
}

/** {@link RegistryDatasets} over the dataset and calibration stores. */
export class DatasetsFacade implements RegistryDatasets {
  readonly #parts: DatasetStoreParts;
  readonly #datasets: DatasetStore;
  readonly #calibrations: CalibrationStore;
  readonly #tagged: TaggedDatasetStore;

  constructor(parts: DatasetStoreParts, datasets: DatasetStore, calibrations: CalibrationStore) {
    this.#parts = parts;
    this.#datasets = datasets;
    this.#calibrations = calibrations;
    this.#tagged = new TaggedDatasetStore(parts, datasets);
  }

  insert(
    datasetType: string,
    dataIds: Iterable<DataIdInput | DataCoordinate>,
    run: string,
    options: { idGenerationMode?: DatasetIdGenerationMode } = {},
  ): Promise<DatasetRef[]> {
    return this.#datasets.insert(datasetType, dataIds, run, options.idGenerationMode);
  }

  import(refs: readonly DatasetRef[]): Promise<DatasetRef[]> {
    return this.#datasets.import(refs);
  }

  async get(id: string): Promise<DatasetRef | null> {
    return (await this.#datasets.getMany([id])).get(id) ?? null;
  }

  async #searchPath(collections: readonly string[]) {
    const { collections: store } = this.#parts;
    const records = [];
    for (const name of await store.flatten(collections)) records.push(await store.get(name));
    return records;
  }

  async find(
    datasetType: string,
    dataId: DataIdInput | DataCoordinate,
    options: FindDatasetOptions,
  ): Promise<DatasetRef | null> {
    const type = await this.#parts.datasetTypes.get(datasetType);
    const coordinate = this.#datasets.dataIdFor(type, dataId);
    const path = await this.#searchPath(options.collections);
    const hit = await this.#datasets.findFirst(type, coordinate, path);
    if (options.timespan === undefined || type.calibTable === null) return hit?.ref ?? null;
    // A CALIBRATION collection earlier in the path than the RUN/TAGGED match takes precedence.
    const before =
      hit === undefined
        ? path
        : path.slice(
            0,
            path.findIndex((c) => c.id === hit.collection.id),
          );
    const calibration = await this.#calibrations.find(
      type,
      coordinate,
      before,
      options.timespan,
      options.asOf,
    );
    return (calibration ?? hit)?.ref ?? null;
  }

  async query(
    datasetType: string,
    options: FindDatasetOptions & { findFirst?: boolean },
  ): Promise<DatasetRef[]> {
    const type = await this.#parts.datasetTypes.get(datasetType);
    const path = await this.#searchPath(options.collections);
    const hits: DatasetHit[] = await this.#datasets.inCollections(type, path);
    if (!options.findFirst) return sortRefs(hits.map((h) => h.ref));
    const rank = new Map(path.map((c, i) => [c.id, i]));
    const best = new Map<string, DatasetHit>();
    for (const hit of hits) {
      const current = best.get(hit.ref.dataId.key);
      if (
        current === undefined ||
        (rank.get(hit.collection.id) ?? 0) < (rank.get(current.collection.id) ?? 0)
      ) {
        best.set(hit.ref.dataId.key, hit);
      }
    }
    return sortRefs([...best.values()].map((h) => h.ref));
  }

  associate(tag: string, refs: readonly DatasetRef[]): Promise<void> {
    return this.#tagged.associate(tag, refs);
  }

  disassociate(tag: string, refs: readonly DatasetRef[]): Promise<void> {
    return this.#tagged.disassociate(tag, refs);
  }

  remove(refs: readonly DatasetRef[]): Promise<void> {
    return this.#datasets.remove(refs);
  }
}

/** {@link RegistryCalibrations} over the calibration store. */
export class CalibrationsFacade implements RegistryCalibrations {
  readonly #store: CalibrationStore;

  constructor(store: CalibrationStore) {
    this.#store = store;
  }

  certify(collection: string, refs: readonly DatasetRef[], validity: Timespan): Promise<void> {
    return this.#store.certify(collection, refs, validity);
  }

  decertify(
    collection: string,
    datasetType: string,
    validity: Timespan,
    options: { dataIds?: readonly (DataIdInput | DataCoordinate)[] } = {},
  ): Promise<number> {
    return this.#store.decertify(collection, datasetType, validity, options.dataIds);
  }

  async list(collection: string, datasetType?: string): Promise<{ ref: DatasetRef; validity: Timespan }[]> {
    return (await this.#store.certifications(collection, datasetType)).map(({ ref, validity }) => ({
      ref,
      validity,
    }));
  }

  async history(collection: string, datasetType?: string): Promise<CalibrationHistoryEntry[]> {
    return (await this.#store.history(collection, datasetType)).map((entry) => ({
      ref: entry.ref,
      collection: entry.collection,
      validity: entry.validity,
      certified: entry.recordedBegin,
      superseded: entry.recordedEnd,
    }));
  }
}
