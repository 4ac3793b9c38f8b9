import type { CollectionType } from "../datasets/collection-type.ts";
import type { DatasetIdGenerationMode } from "../datasets/dataset-id.ts";
import type { DatasetRef } from "../datasets/dataset-ref.ts";
import type { DatasetType } from "../datasets/dataset-type.ts";
import type { DatastoreRecordStore } from "../datasets/datastore-records.ts";
import type { DataCoordinate } from "../dimensions/data-coordinate.ts";
import type { DimensionRecord, RecordValue } from "../dimensions/dimension-record.ts";
import type { DimensionRecordSource } from "../dimensions/expand-data-id.ts";
import type { DataIdInput } from "../dimensions/standardize-data-id.ts";
import type { DimensionUniverse } from "../dimensions/universe.ts";
import type { Query } from "../query/query.ts";
import type { QueryHelperOptions, QueryList } from "../query/query-helpers.ts";
import type { Timespan } from "../time/timespan.ts";

/** A collection with its type, documentation and (for a chain) children in search order. */
export interface CollectionInfo {
  readonly name: string;
  readonly type: CollectionType;
  readonly doc: string | null;
  readonly children: readonly string[];
}

/** Options of {@link RegistryCollections.query}. */
export interface CollectionQueryOptions {
  /** Only collections of these types. */
  readonly types?: readonly CollectionType[];
  /** Replace chains by what they search, recursively, in search order. */
  readonly flattenChains?: boolean;
  /** Keep the chains themselves in the result (default: `!flattenChains`). */
  readonly includeChains?: boolean;
}

/** Collections: RUN, TAGGED, CHAINED, CALIBRATION. */
export interface RegistryCollections {
  /** Create one unless it exists; true when created. @throws {ConflictingDefinitionError} on another type. */
  register(name: string, type: CollectionType, doc?: string | null): Promise<boolean>;
  /** Type, doc and children. @throws {MissingCollectionError} */
  getInfo(name: string): Promise<CollectionInfo>;
  /** Children of a chain. @throws {CollectionTypeError} when not CHAINED. */
  getChain(parent: string): Promise<string[]>;
  /** Redefine a chain. @throws {CollectionCycleError} when it would contain itself. */
  setChain(parent: string, children: readonly string[], options?: { flatten?: boolean }): Promise<void>;
  /** Chains that list `name` directly. */
  getParentChains(name: string): Promise<string[]>;
  /** Set or clear documentation. */
  setDoc(name: string, doc: string | null): Promise<void>;
  /** Names matching glob patterns (all when none), sorted, chains expanded as asked. */
  query(patterns?: readonly string[], options?: CollectionQueryOptions): Promise<string[]>;
  /** The non-chain collections searched, in order, for the given collections. */
  flatten(names: readonly string[]): Promise<string[]>;
  /** Delete a collection (a RUN with its datasets). @throws {OrphanedRecordError} while a chain lists it. */
  remove(name: string): Promise<void>;
}

/** Dataset types. */
export interface RegistryDatasetTypes {
  /** Register one; true when new, false when identical. @throws {ConflictingDefinitionError} */
  register(datasetType: DatasetType): Promise<boolean>;
  /** @throws {MissingDatasetTypeError} */
  get(name: string): Promise<DatasetType>;
  /** Registered types matching glob patterns (all when none), sorted by name. */
  query(patterns?: readonly string[]): Promise<DatasetType[]>;
  /** Remove types matching the name or glob; returns the names removed. @throws {OrphanedRecordError} */
  remove(nameOrPattern: string): Promise<string[]>;
}

/** Dimension records. */
export interface RegistryDimensionRecords extends DimensionRecordSource {
  /** Insert records of one element. @throws {ConflictingDefinitionError} @throws {DataIdValueError} */
  insert(
    element: string,
    records: readonly (DimensionRecord | Readonly<Record<string, unknown>>)[],
    options?: { skipExisting?: boolean; replace?: boolean },
  ): Promise<number>;
  /** Insert or compare one record; see {@link DimensionRecordStore.sync}. */
  sync(
    element: string,
    record: DimensionRecord | Readonly<Record<string, unknown>>,
    options?: { update?: boolean },
  ): Promise<boolean | Record<string, RecordValue>>;
  /** Every record of an element, in key order. */
  fetchAll(element: string): Promise<DimensionRecord[]>;
  /**
   * Standardize a data ID, resolve alternate keys (`exposure.obs_id`) against the records, fill implied
   * values and attach every element's record.
   * @throws {DataIdValueError} for values without records; {@link InconsistentDataIdError} for contradictions.
   */
  expandDataId(
    dataId: DataIdInput | DataCoordinate,
    options?: { dimensions?: Iterable<string> },
  ): Promise<DataCoordinate>;
}

/** Options of dataset lookups. */
export interface FindDatasetOptions {
  /** Collections to search, in order (chains are followed). */
  readonly collections: readonly string[];
  /** For calibration types: the time the dataset must be valid at (CALIBRATION collections are skipped without it). */
  readonly timespan?: Timespan;
  /** Answer as the repository stood at this record time (TAI ns): calibration history. */
  readonly asOf?: bigint;
}

/** Datasets. */
export interface RegistryDatasets {
  /** New datasets in a RUN. @throws {ConflictingDefinitionError} @throws {DataIdValueError} */
  insert(
    datasetType: string,
    dataIds: Iterable<DataIdInput | DataCoordinate>,
    run: string,
    options?: { idGenerationMode?: DatasetIdGenerationMode },
  ): Promise<DatasetRef[]>;
  /** Datasets with their own IDs (identical existing ones are kept). @throws {ConflictingDefinitionError} */
  import(refs: readonly DatasetRef[]): Promise<DatasetRef[]>;
  /** A dataset by ID, or null. */
  get(id: string): Promise<DatasetRef | null>;
  /** The first match of a dataset type and data ID in the collections, or null. @throws {CalibrationLookupError} */
  find(
    datasetType: string,
    dataId: DataIdInput | DataCoordinate,
    options: FindDatasetOptions,
  ): Promise<DatasetRef | null>;
  /**
   * Datasets of one type in the collections: with `findFirst`, one per data ID (the first collection
   * wins); otherwise one per RUN/TAGGED membership. Sorted by run, then ID.
   */
  query(datasetType: string, options: FindDatasetOptions & { findFirst?: boolean }): Promise<DatasetRef[]>;
  /** Tag datasets. @throws {CollectionTypeError} @throws {ConflictingDefinitionError} */
  associate(tag: string, refs: readonly DatasetRef[]): Promise<void>;
  /** Untag datasets (absent ones are ignored). */
  disassociate(tag: string, refs: readonly DatasetRef[]): Promise<void>;
  /** Delete datasets. @throws {OrphanedRecordError} while a datastore holds them. */
  remove(refs: readonly DatasetRef[]): Promise<void>;
}

/** A certification with its record-time interval, for {@link RegistryCalibrations.history}. */
export interface CalibrationHistoryEntry {
  readonly ref: DatasetRef;
  readonly collection: string;
  readonly validity: Timespan;
  /** Record time (TAI ns) it was certified. */
  readonly certified: bigint;
  /** Record time it was superseded (decertified or cut), or null while live. */
  readonly superseded: bigint | null;
}

/** Calibration validity ranges, with their bitemporal history. */
export interface RegistryCalibrations {
  /** Certify datasets over a range. @throws {ConflictingDefinitionError} on overlap. */
  certify(collection: string, refs: readonly DatasetRef[], validity: Timespan): Promise<void>;
  /** Remove a range (truncating/splitting); returns how many certifications changed. */
  decertify(
    collection: string,
    datasetType: string,
    validity: Timespan,
    options?: { dataIds?: readonly (DataIdInput | DataCoordinate)[] },
  ): Promise<number>;
  /** Live certifications of a collection. */
  list(collection: string, datasetType?: string): Promise<{ ref: DatasetRef; validity: Timespan }[]>;
  /** Every certification the collection has had, oldest first. */
  history(collection: string, datasetType?: string): Promise<CalibrationHistoryEntry[]>;
}

/**
 * A repository's registry: what datasets exist, of which types, in which collections, with which
 * dimension records. Implemented on SQLite (and PostgreSQL) by the SQL registry; a remote client will
 * implement the same interface.
 */
export interface Registry {
  readonly universe: DimensionUniverse;
  /** Where the registry lives (file path or database URL without password). */
  readonly location: string;
  readonly isWriteable: boolean;
  readonly collections: RegistryCollections;
  readonly datasetTypes: RegistryDatasetTypes;
  readonly dimensions: RegistryDimensionRecords;
  readonly datasets: RegistryDatasets;
  readonly calibrations: RegistryCalibrations;
  /** The file datastore's records, kept in the registry's database so they commit with the datasets. */
  readonly datastoreRecords: DatastoreRecordStore;
  /** A new query over the registry (daf_butler's `butler.query()`); see {@link Query}. */
  query(): Query;
  /**
   * Data IDs in one call (daf_butler's `query_data_ids`).
   * @throws {EmptyQueryResultError} when nothing matches, unless `explain: false`.
   * @throws {InvalidQueryError} for a malformed `where` or ORDER BY.
   */
  queryDataIds(
    dimensions: Iterable<string>,
    options?: QueryHelperOptions,
  ): Promise<QueryList<DataCoordinate>>;
  /**
   * Datasets of one type in the collections, find-first unless `findFirst: false` (daf_butler's `query_datasets`).
   * @throws {EmptyQueryResultError} when nothing matches, unless `explain: false`.
   * @throws {MissingDatasetTypeError} @throws {MissingCollectionError} @throws {CalibrationLookupError}
   */
  queryDatasets(
    datasetType: string,
    options: QueryHelperOptions & { readonly collections: readonly string[]; readonly findFirst?: boolean },
  ): Promise<QueryList<DatasetRef>>;
  /**
   * Records of one element in one call (daf_butler's `query_dimension_records`).
   * @throws {EmptyQueryResultError} when nothing matches, unless `explain: false`.
   */
  queryDimensionRecords(element: string, options?: QueryHelperOptions): Promise<QueryList<DimensionRecord>>;
  /** Run `body` atomically: every registry change in it is committed together or not at all. */
  transaction<T>(body: () => Promise<T>): Promise<T>;
  /** Forget cached collections, dataset types and records, to see other processes' writes. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}
