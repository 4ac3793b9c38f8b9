import type { DatasetRef } from "../datasets/dataset-ref.ts";
import type { DatasetType } from "../datasets/dataset-type.ts";
import type { ConsistencyReport, DatasetUris, FileDataset, TransferMode } from "../datastore/datastore.ts";
import type { ResourceUri } from "../datastore/storage/resource-uri.ts";
import type { DataCoordinate } from "../dimensions/data-coordinate.ts";
import type { DataIdInput } from "../dimensions/standardize-data-id.ts";
import type { DimensionUniverse } from "../dimensions/universe.ts";
import type { Registry } from "../registry/registry.ts";
import type { Timespan } from "../time/timespan.ts";
import type { DeferredDatasetHandle } from "./deferred-handle.ts";

/** A dataset type by name (`calexp`, or a component `calexp.wcs`), as a type, or a resolved ref. */
export type DatasetTypeOrRef = string | DatasetType | DatasetRef;

/** A data ID as a plain mapping (alternate keys such as `exposure.obs_id` allowed) or a coordinate. */
export type DataIdArgument = DataIdInput | DataCoordinate;

/** Where to look for a dataset, for every read. */
export interface SearchOptions {
  /** Collections searched in order; the butler's default collections when absent. */
  readonly collections?: string | readonly string[];
  /** For calibrations: the time the dataset must be valid at (default: the data ID's own timespan). */
  readonly timespan?: Timespan;
}

/** Options of {@link Butler.get}. */
export interface GetOptions extends SearchOptions {
  /** Read parameters of the storage class (`bbox`, `columns`, ...). */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** Return this storage class instead of the dataset type's (must be convertible). */
  readonly storageClass?: string;
}

/** Options of {@link Butler.put}. */
export interface PutOptions {
  /** The RUN to write to; the butler's run when absent. */
  readonly run?: string;
}

/** One object of a {@link Butler.putMany}. */
export interface PutItem {
  readonly object: unknown;
  readonly datasetType: string | DatasetType;
  readonly dataId: DataIdArgument;
}

/**
 * daf_butler's `DatasetExistence` flags: RECORDED (registry row), DATASTORE (datastore record), ARTIFACT
 * (file seen), ASSUMED (file not checked). KNOWN and VERIFIED are the combinations that mean "it exists".
 */
export const DatasetExistence = Object.freeze({
  UNRECOGNIZED: 0,
  RECORDED: 1,
  DATASTORE: 2,
  ARTIFACT: 4,
  ASSUMED: 8,
  KNOWN: 1 | 2 | 8,
  VERIFIED: 1 | 2 | 4,
});

/** Options of {@link Butler.ingest}. */
export interface IngestOptions {
  readonly transfer?: TransferMode;
  /** Skip refs already stored instead of failing. */
  readonly skipExisting?: boolean;
}

/** Options of {@link Butler.pruneDatasets} (daf_butler's semantics). */
export interface PruneOptions {
  /** Remove the refs from the TAGGED collections in `tags`. */
  readonly disassociate?: boolean;
  readonly tags?: readonly string[];
  /** Delete their artifacts. */
  readonly unstore?: boolean;
  /** Delete them from the registry entirely (needs `disassociate` and `unstore`). */
  readonly purge?: boolean;
}

/** Options of {@link Butler.transferFrom}. */
export interface TransferFromOptions {
  readonly transfer?: TransferMode;
  /** Skip refs whose artifacts the source does not have (default true). */
  readonly skipMissing?: boolean;
  /** Register dataset types missing here (default false: an error). */
  readonly registerDatasetTypes?: boolean;
  /** Copy the dimension records the data IDs need (default true). */
  readonly transferDimensions?: boolean;
}

/** Options of {@link Butler.retrieveArtifacts}. */
export interface RetrieveOptions {
  readonly transfer?: Exclude<TransferMode, "move" | "direct">;
  /** Keep each artifact's path inside the repository (default true); else flat file names. */
  readonly preservePath?: boolean;
  /** Replace files already at the destination (default false: an error). */
  readonly overwrite?: boolean;
}

/**
 * The butler: read and write datasets by dataset type, data ID and collections, without handling paths.
 * Opened by {@link openButler}; a remote client will implement the same interface.
 * @example
 * const butler = await openButler("./repo", { run: "u/me/run1" });
 * await butler.put({ a: 1 }, "notes", { instrument: "Cam1", detector: 1 });
 * const notes = await butler.get("notes", { instrument: "Cam1", detector: 1 });
 */
export interface Butler {
  readonly universe: DimensionUniverse;
  readonly registry: Registry;
  /** The default RUN of `put` and `ingest`, or null. */
  readonly run: string | null;
  /** The default collections searched by reads. */
  readonly collections: readonly string[];
  isWriteable(): boolean;
  /**
   * Store an object as a new dataset.
   * @throws {ConflictingDefinitionError} when the RUN already has this dataset type and data ID.
   * @throws {MissingCollectionError} when the RUN does not exist. @throws {StorageClassError} for the wrong object.
   */
  put(
    object: unknown,
    datasetType: DatasetTypeOrRef,
    dataId?: DataIdArgument,
    options?: PutOptions,
  ): Promise<DatasetRef>;
  /** Store many objects in one transaction (much faster than one `put` each). Same errors as `put`. */
  putMany(items: readonly PutItem[], options?: PutOptions): Promise<DatasetRef[]>;
  /**
   * Read a dataset.
   * @throws {DatasetNotFoundError} when the collections have no such dataset (before any storage access).
   * @throws {StorageNotFoundError} when its artifact is gone.
   */
  get(datasetType: DatasetTypeOrRef, dataId?: DataIdArgument, options?: GetOptions): Promise<unknown>;
  /** Find now, read later. @throws {DatasetNotFoundError} */
  getDeferred(
    datasetType: DatasetTypeOrRef,
    dataId?: DataIdArgument,
    options?: GetOptions,
  ): Promise<DeferredDatasetHandle>;
  /**
   * Where a dataset's artifacts are; with `predict`, where they would be for a dataset not yet written.
   * @throws {DatasetNotFoundError}
   */
  getURIs(
    datasetType: DatasetTypeOrRef,
    dataId?: DataIdArgument,
    options?: SearchOptions & { readonly predict?: boolean; readonly run?: string },
  ): Promise<DatasetUris>;
  /** The single URI of a dataset. @throws {DatasetNotFoundError} @throws {ButlerStateError} when disassembled. */
  getURI(
    datasetType: DatasetTypeOrRef,
    dataId?: DataIdArgument,
    options?: SearchOptions & { readonly predict?: boolean; readonly run?: string },
  ): Promise<ResourceUri>;
  /** A dataset's {@link DatasetExistence} flags; 0 when it cannot be found. */
  exists(
    datasetType: DatasetTypeOrRef,
    dataId?: DataIdArgument,
    options?: SearchOptions & { readonly fullCheck?: boolean },
  ): Promise<number>;
  /** Whether the artifact of each ref is present, by ref ID. */
  stored(refs: readonly DatasetRef[]): Promise<Map<string, boolean>>;
  /** The dataset found first in the collections, or null (never throws for "not found"). */
  findDataset(
    datasetType: string | DatasetType,
    dataId?: DataIdArgument,
    options?: SearchOptions,
  ): Promise<DatasetRef | null>;
  /** Ingest existing files; missing RUNs are registered. @throws {ConflictingDefinitionError} */
  ingest(datasets: readonly FileDataset[], options?: IngestOptions): Promise<DatasetRef[]>;
  /** Remove datasets (see {@link PruneOptions}). */
  pruneDatasets(refs: readonly DatasetRef[], options: PruneOptions): Promise<void>;
  /** Delete RUNs with all their datasets and artifacts. @throws {CollectionTypeError} */
  removeRuns(names: readonly string[], options?: { readonly unlinkFromChains?: boolean }): Promise<void>;
  /** Copy datasets (same IDs and runs) with their artifacts from another butler; returns the refs copied. */
  transferFrom(
    source: Butler,
    refs: readonly DatasetRef[],
    options?: TransferFromOptions,
  ): Promise<DatasetRef[]>;
  /** Copy artifacts to a local directory (with an index file); returns the files written. */
  retrieveArtifacts(
    refs: readonly DatasetRef[],
    destination: string,
    options?: RetrieveOptions,
  ): Promise<string[]>;
  /** Compare the datastore's records with its artifacts. */
  check(): Promise<ConsistencyReport>;
  /** Run `body` atomically (registry changes and the artifacts written in it). */
  transaction<T>(body: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
