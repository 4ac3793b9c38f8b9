import { StorageError } from "../../errors.ts";
import type { ResourceUri } from "./resource-uri.ts";

/**
 * `uri` itself when it can name an artifact of a backend for `scheme`: that scheme and not a directory.
 * The fragment is ignored: it addresses something inside the artifact (`#zip-path=member`).
 * @throws {StorageError} for another scheme or a directory URI.
 */
export function checkArtifactUri(uri: ResourceUri, scheme: string, action: string): ResourceUri {
  checkScheme(uri, scheme, action);
  if (uri.isDirectory) {
    throw new StorageError(
      `Cannot ${action} "${uri}": it names a directory, not an artifact`,
      uri.toString(),
      {
        hint: 'Give the URI of a file (without a trailing "/")',
      },
    );
  }
  return uri;
}

/**
 * Check that a backend for `scheme` can serve `uri`.
 * @throws {StorageError} for another scheme.
 */
export function checkScheme(uri: ResourceUri, scheme: string, action: string): void {
  if (uri.scheme !== scheme) {
    throw new StorageError(
      `Cannot ${action} "${uri}": this storage backend handles only "${scheme}" URIs`,
      uri.toString(),
      { hint: `Use the backend for "${uri.scheme}" URIs (StorageBackends.backendFor)` },
    );
  }
}

/**
 * `[start, end)` clamped to an artifact of `size` bytes, for `readRange`.
 * @throws {StorageError} when the bounds are not integers with `0 <= start <= end`.
 */
export function clampRange(uri: ResourceUri, start: number, end: number, size: number): [number, number] {
  if (
    !Number.isSafeInteger(start) ||
    start < 0 ||
    !(Number.isSafeInteger(end) || end === Infinity) ||
    end < start
  ) {
    throw new StorageError(
      `Cannot read bytes [${start}, ${end}) of "${uri}": not a valid range`,
      uri.toString(),
      {
        hint: "Give integer offsets with 0 <= start <= end",
      },
    );
  }
  const from = Math.min(start, size);
  return [from, Math.max(from, Math.min(end, size))];
}
