import { StorageError, StorageNotFoundError } from "../../errors.ts";
import { checkArtifactUri, checkScheme, clampRange } from "./backend-checks.ts";
import type { ResourceUri } from "./resource-uri.ts";
import type {
  StorageBackend,
  StorageCapabilities,
  StorageStat,
  StorageTransferMode,
} from "./storage-backend.ts";
import { isTemporaryArtifactName } from "./temporary-artifact.ts";

const CAPABILITIES: StorageCapabilities = Object.freeze({
  atomicWrite: true,
  rangeRead: true,
  presign: false,
  list: true,
  links: false,
});

/** Options of {@link createMemoryBackend}. */
export interface MemoryBackendOptions {
  /**
   * Backends of other schemes that `transferIn` may copy or move artifacts from (a local backend for
   * `file` sources, say). Passing them in keeps this module free of `node:*` imports, so it runs in a
   * browser.
   */
  readonly sources?: readonly StorageBackend[];
}

interface Artifact {
  readonly uri: ResourceUri;
  readonly data: Uint8Array;
  readonly modified: Date;
}

/**
 * The storage backend of `mem` URIs: artifacts held in this instance's memory (each call makes its own
 * store). Bytes are copied in and out, so callers cannot change what is stored; every write is atomic.
 * Links are impossible (`capabilities.links` is false).
 *
 * @example
 * const storage = createMemoryBackend();
 * await storage.write(ResourceUri.parse("mem://repo/a.json"), new TextEncoder().encode("{}"));
 */
export function createMemoryBackend(options: MemoryBackendOptions = {}): StorageBackend {
  const artifacts = new Map<string, Artifact>();

  function find(uri: ResourceUri, action: string): Artifact {
    const artifact = artifacts.get(keyOf(checkArtifactUri(uri, "mem", action)));
    if (artifact === undefined) {
      throw new StorageNotFoundError(`Cannot ${action} "${uri}": no such artifact`, uri.toString(), {
        hint: "Check the URI; in-memory artifacts last only as long as their backend",
      });
    }
    return artifact;
  }

  function store(uri: ResourceUri, data: Uint8Array): void {
    const key = keyOf(uri);
    artifacts.set(key, { uri: uri.withoutFragment(), data: new Uint8Array(data), modified: new Date() });
  }

  async function transferIn(
    source: ResourceUri,
    destination: ResourceUri,
    mode: StorageTransferMode,
  ): Promise<void> {
    checkArtifactUri(destination, "mem", mode);
    if (mode !== "copy" && mode !== "move") {
      throw new StorageError(
        `Cannot ${mode} "${source}" into "${destination}": the in-memory store cannot hold links`,
        destination.toString(),
        { hint: 'Use the "copy" or "move" transfer mode' },
      );
    }
    if (source.scheme === "mem") {
      store(destination, find(source, mode).data);
      if (mode === "move" && keyOf(source) !== keyOf(destination)) artifacts.delete(keyOf(source));
      return;
    }
    const from = options.sources?.find((backend) => backend.scheme === source.scheme);
    if (from === undefined) {
      throw new StorageError(
        `Cannot ${mode} "${source}" into "${destination}": no source backend for "${source.scheme}" URIs`,
        source.toString(),
        { hint: `Pass one to createMemoryBackend({ sources: [...] })` },
      );
    }
    store(destination, await from.read(source));
    if (mode === "move") await from.delete(source);
  }

  return Object.freeze({
    scheme: "mem",
    capabilities: CAPABILITIES,
    async read(uri: ResourceUri): Promise<Uint8Array> {
      return new Uint8Array(find(uri, "read").data);
    },
    async readRange(uri: ResourceUri, start: number, end: number): Promise<Uint8Array> {
      const { data } = find(uri, "read");
      return data.slice(...clampRange(uri, start, end, data.length));
    },
    async readRanges(
      uri: ResourceUri,
      ranges: readonly (readonly [number, number])[],
    ): Promise<Uint8Array[]> {
      const { data } = find(uri, "read");
      return ranges.map(([start, end]) => data.slice(...clampRange(uri, start, end, data.length)));
    },
    async write(uri: ResourceUri, data: Uint8Array): Promise<void> {
      store(checkArtifactUri(uri, "mem", "write"), data);
    },
    async exists(uri: ResourceUri): Promise<boolean> {
      checkScheme(uri, "mem", "check");
      if (!uri.isDirectory) return artifacts.has(keyOf(uri));
      const prefix = keyOf(uri);
      for (const key of artifacts.keys()) if (key.startsWith(prefix)) return true;
      return false;
    },
    async stat(uri: ResourceUri): Promise<StorageStat | null> {
      const artifact = artifacts.get(keyOf(checkArtifactUri(uri, "mem", "stat")));
      return artifact === undefined
        ? null
        : { size: artifact.data.length, modified: new Date(artifact.modified) };
    },
    async delete(uri: ResourceUri): Promise<boolean> {
      return artifacts.delete(keyOf(checkArtifactUri(uri, "mem", "delete")));
    },
    async *list(prefix: ResourceUri): AsyncGenerator<ResourceUri> {
      checkScheme(prefix, "mem", "list");
      const start = keyOf(prefix.asDirectory());
      // A snapshot: writes made while the caller iterates do not disturb the listing.
      const keys = [...artifacts.keys()].filter((key) => key.startsWith(start)).sort();
      for (const key of keys) {
        const artifact = artifacts.get(key);
        if (artifact !== undefined && !isTemporaryArtifactName(artifact.uri.basename)) yield artifact.uri;
      }
    },
    transferIn,
  });
}

/** The map key of an artifact: authority and path (the fragment addresses inside it). */
function keyOf(uri: ResourceUri): string {
  return `${uri.authority}${uri.path}`;
}
