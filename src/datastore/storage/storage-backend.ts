import type { ResourceUri } from "./resource-uri.ts";

/** What a storage backend can do beyond read/write/delete; shared code asks these flags, never the class. */
export interface StorageCapabilities {
  /** Writes become visible all at once (temp name + rename, or an atomic object PUT). */
  readonly atomicWrite: boolean;
  /** `readRange` reads only the requested bytes. */
  readonly rangeRead: boolean;
  /** `presign` can make a time-limited URL for reading without credentials. */
  readonly presign: boolean;
  /** `list` can enumerate what is under a prefix. */
  readonly list: boolean;
  /** Local-filesystem links (`hardlink`, `symlink`, `relsymlink`) are possible. */
  readonly links: boolean;
}

/** Size (bytes) and modification time of a stored artifact. */
export interface StorageStat {
  readonly size: number;
  readonly modified: Date;
}

/** How {@link StorageBackend.transferIn} brings an existing file into the store. */
export type StorageTransferMode = "copy" | "move" | "link" | "hardlink" | "symlink" | "relsymlink";

/**
 * The I/O of one URI scheme (`file`, `mem`, later `s3`, `http`). Every backend runs the shared storage
 * conformance suite (`test/conformance/storage-backend.ts`).
 */
export interface StorageBackend {
  /** The scheme this backend serves (`file`, `mem`). */
  readonly scheme: string;
  readonly capabilities: StorageCapabilities;
  /**
   * The whole artifact.
   * @throws {StorageNotFoundError} when absent.
   */
  read(uri: ResourceUri): Promise<Uint8Array>;
  /**
   * Bytes `[start, end)` of the artifact (clamped at its end).
   * @throws {StorageNotFoundError} when absent.
   */
  readRange(uri: ResourceUri, start: number, end: number): Promise<Uint8Array>;
  /**
   * Several ranges `[start, end)` of one artifact, each clamped as `readRange` does, in the order asked:
   * one open of the artifact for all of them (a cutout's rows).
   * @throws {StorageNotFoundError} when absent.
   */
  readRanges(uri: ResourceUri, ranges: readonly (readonly [number, number])[]): Promise<Uint8Array[]>;
  /**
   * Write bytes, creating parent directories; replaces an existing artifact. With `atomicWrite` readers
   * see either the old or the new content, never a part.
   */
  write(uri: ResourceUri, data: Uint8Array): Promise<void>;
  /** Whether an artifact exists there. */
  exists(uri: ResourceUri): Promise<boolean>;
  /** Size and time, or null when absent. */
  stat(uri: ResourceUri): Promise<StorageStat | null>;
  /** Remove an artifact; absent is not an error. Returns whether something was removed. */
  delete(uri: ResourceUri): Promise<boolean>;
  /** Every artifact under a directory-like prefix, recursively (needs `list`). */
  list(prefix: ResourceUri): AsyncIterable<ResourceUri>;
  /**
   * Leftovers of interrupted writes under a prefix, recursively: the temporary artifacts `list` skips
   * (see `temporary-artifact.ts`). Only backends that write through temporary names have it.
   */
  listTemporaries?(prefix: ResourceUri): AsyncIterable<ResourceUri>;
  /**
   * Bring an artifact from `source` (any scheme this backend can read: for `file`, a local path) to
   * `destination` in this store by copy, move or link, replacing an existing destination as `write`
   * does. Never deletes the source except for `move`.
   * @throws {StorageNotFoundError} when the source is absent.
   * @throws {StorageError} when the mode is not possible here (links on a non-local store).
   */
  transferIn(source: ResourceUri, destination: ResourceUri, mode: StorageTransferMode): Promise<void>;
}
