import { StorageError } from "../../errors.ts";
import type { ResourceUri } from "./resource-uri.ts";
import type { StorageBackend } from "./storage-backend.ts";

/** The storage backends a repository can use, found by URI scheme. */
export interface StorageBackends {
  /** The schemes served, in the order the backends were given. */
  readonly schemes: readonly string[];
  /**
   * The backend that does the I/O of `uri`.
   * @throws {StorageError} when no backend serves its scheme; the message lists those that are served.
   */
  backendFor(uri: ResourceUri): StorageBackend;
}

/**
 * A lookup of `backends` by their scheme.
 * @throws {StorageError} when two backends serve the same scheme.
 * @example
 * const storage = createStorageBackends([createLocalBackend(), createMemoryBackend()]);
 * await storage.backendFor(uri).read(uri);
 */
export function createStorageBackends(backends: Iterable<StorageBackend>): StorageBackends {
  const byScheme = new Map<string, StorageBackend>();
  for (const backend of backends) {
    if (byScheme.has(backend.scheme)) {
      throw new StorageError(
        `Cannot use two storage backends for "${backend.scheme}" URIs`,
        `${backend.scheme}://`,
        { hint: "Give one backend per scheme" },
      );
    }
    byScheme.set(backend.scheme, backend);
  }
  const schemes = Object.freeze([...byScheme.keys()]);
  return Object.freeze({
    schemes,
    backendFor(uri: ResourceUri): StorageBackend {
      const backend = byScheme.get(uri.scheme);
      if (backend !== undefined) return backend;
      const served = schemes.map((scheme) => `"${scheme}"`).join(", ") || "none";
      throw new StorageError(
        `Cannot access "${uri}": no storage backend for "${uri.scheme}" URIs (supported schemes: ${served})`,
        uri.toString(),
        { hint: "Use a URI of a supported scheme, or configure a backend for this one" },
      );
    },
  });
}
