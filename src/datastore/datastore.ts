import type { DatasetRef } from "../datasets/dataset-ref.ts";
import type { DatasetType } from "../datasets/dataset-type.ts";
import type { StoredFileRecord } from "../datasets/datastore-records.ts";
import type { ResourceUri } from "./storage/resource-uri.ts";
import type { UndoLog } from "./undo-log.ts";

/** How `ingest` brings files in (daf_butler's transfer modes; `auto` decides per file). */
export type TransferMode =
  | "auto"
  | "copy"
  | "move"
  | "link"
  | "hardlink"
  | "symlink"
  | "relsymlink"
  | "direct";

/** Every transfer mode, in daf_butler's CLI order. */
export const TRANSFER_MODES: readonly TransferMode[] = Object.freeze([
  "auto",
  "link",
  "symlink",
  "hardlink",
  "copy",
  "move",
  "relsymlink",
  "direct",
]);

/** A file to ingest and the datasets it holds (daf_butler's `FileDataset`). */
export interface FileDataset {
  /** Path or URI of the file. */
  readonly path: string | ResourceUri;
  readonly refs: readonly DatasetRef[];
  /** Formatter name (ours or daf_butler's class name); by default the one the file's extension names. */
  readonly formatter?: string;
}

/** Read options of a datastore `get`. */
export interface DatastoreGetOptions {
  /** Read parameters (`bbox`, `columns`, ...), checked against the storage class. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** Read only this component of the dataset. */
  readonly component?: string | null;
  /** Return this storage class instead of the dataset type's (must be convertible). */
  readonly storageClass?: string;
}

/** Where a dataset's artifacts are: one URI, or one per component of a disassembled composite. */
export interface DatasetUris {
  readonly primary: ResourceUri | null;
  readonly components: ReadonlyMap<string, ResourceUri>;
}

/** One artifact of stored datasets, for copying out (retrieve, export, transfer). */
export interface StoredArtifact {
  readonly uri: ResourceUri;
  /** Path relative to the datastore root when inside it, else null (direct ingest). */
  readonly relativePath: string | null;
  readonly records: readonly StoredFileRecord[];
}

/** What `check` found: artifacts and records that do not agree. */
export interface ConsistencyReport {
  /** Records whose artifact is absent. */
  readonly missing: readonly StoredFileRecord[];
  /** Records whose artifact size differs from the recorded size. */
  readonly sizeMismatch: readonly StoredFileRecord[];
  /** Artifacts under the root that no record names (after a crash between write and commit). */
  readonly orphans: readonly ResourceUri[];
  /** Leftovers of interrupted atomic writes. */
  readonly temporaries: readonly ResourceUri[];
}

/**
 * Where dataset artifacts are stored and how they are read back: a file datastore, an in-memory one, or a
 * chain of them. Registry rows are the caller's job; a datastore writes artifacts and its own records, in
 * the caller's registry transaction, registering undo steps for artifacts in `undo`.
 */
export interface Datastore {
  readonly name: string;
  /** Whether its contents vanish with the process. */
  readonly isEphemeral: boolean;
  /** Whether its constraints accept datasets of this type. */
  accepts(datasetType: DatasetType): boolean;
  /**
   * Store objects for resolved refs.
   * @throws {DatasetTypeNotSupportedError} when it accepts none of them.
   * @throws {StorageClassError} for an object its storage class does not accept.
   */
  put(items: readonly { readonly ref: DatasetRef; readonly object: unknown }[], undo: UndoLog): Promise<void>;
  /**
   * Read a dataset.
   * @throws {StorageNotFoundError} when it holds no artifact for the ref.
   */
  get(ref: DatasetRef, options?: DatastoreGetOptions): Promise<unknown>;
  /** IDs of the refs it has records for. */
  knows(refs: readonly DatasetRef[]): Promise<Set<string>>;
  /** IDs of the refs whose artifacts are present (I/O). */
  stored(refs: readonly DatasetRef[]): Promise<Set<string>>;
  /** URIs of a dataset's artifacts; with `predict`, where they would be written (fragment `predicted`). */
  getUris(ref: DatasetRef, options?: { predict?: boolean }): Promise<DatasetUris>;
  /**
   * Bring existing files in.
   * @throws {StorageNotFoundError} for a missing file. @throws {ConflictingDefinitionError} when a ref is already stored.
   */
  ingest(datasets: readonly FileDataset[], transfer: TransferMode, undo: UndoLog): Promise<void>;
  /** First phase of removal (transactional): the refs are no longer held. */
  trash(refs: readonly DatasetRef[]): Promise<void>;
  /** Second phase: delete trashed artifacts no other dataset uses; returns how many were deleted. */
  emptyTrash(): Promise<number>;
  /** The artifacts of stored refs. */
  artifacts(refs: readonly DatasetRef[]): Promise<StoredArtifact[]>;
  /** The bytes of one artifact. @throws {StorageNotFoundError} */
  readArtifact(uri: ResourceUri): Promise<Uint8Array>;
  /**
   * Take in another datastore's artifacts for the same refs (IDs kept): files inside the other root land
   * at the same relative path, absolute (direct) ones stay where they are with `auto`/`direct` and are
   * copied to templated paths otherwise.
   */
  receive(
    artifacts: readonly StoredArtifact[],
    refs: ReadonlyMap<string, DatasetRef>,
    read: (artifact: StoredArtifact) => Promise<Uint8Array>,
    transfer: TransferMode,
    undo: UndoLog,
  ): Promise<void>;
  /** Compare records and artifacts. */
  check(): Promise<ConsistencyReport>;
}
