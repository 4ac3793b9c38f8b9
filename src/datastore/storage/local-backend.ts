import {
  closeSync,
  copyFileSync,
  type Dirent,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { link, readdir, rename, stat, symlink, unlink } from "node:fs/promises";
import { dirname, relative } from "node:path";
import { StorageError, StorageNotFoundError } from "../../errors.ts";
import { checkArtifactUri, checkScheme, clampRange } from "./backend-checks.ts";
import type { ResourceUri } from "./resource-uri.ts";
import type {
  StorageBackend,
  StorageCapabilities,
  StorageStat,
  StorageTransferMode,
} from "./storage-backend.ts";
import { isTemporaryArtifactName, TEMP_ARTIFACT_PREFIX } from "./temporary-artifact.ts";

const CAPABILITIES: StorageCapabilities = Object.freeze({
  atomicWrite: true,
  rangeRead: true,
  presign: false,
  list: true,
  links: true,
});

/** Why a hard link may be impossible where a symbolic one works (`link` mode falls back then). */
const HARDLINK_FALLBACK = new Set(["EXDEV", "EPERM", "EMLINK", "ENOTSUP", "EOPNOTSUPP"]);
/** Codes of platforms or file systems that cannot fsync a directory. */
const NO_DIRECTORY_SYNC = new Set(["EISDIR", "EPERM", "EINVAL", "EBADF", "ENOTSUP"]);
/** Tells this module instance apart from others in the same process (worker threads share the pid). */
const INSTANCE = Math.random().toString(36).slice(2, 8);
let temporaries = 0;

/** Options of {@link createLocalBackend}. */
export interface LocalBackendOptions {
  /**
   * Flush each written or copied file to disk before it is renamed into place, and its directory after
   * (durable across power loss; slower). Default false: writes are atomic but may be lost in a crash.
   */
  readonly fsync?: boolean;
}

/**
 * A fresh name for a file being written (`.butler-tmp-<pid>.<instance>.<n>`), unique among the processes
 * and threads writing to one directory; {@link isTemporaryArtifactName} recognises it.
 */
export function temporaryArtifactName(): string {
  temporaries += 1;
  return `${TEMP_ARTIFACT_PREFIX}${process.pid}.${INSTANCE}.${temporaries}`;
}

/**
 * The storage backend of `file` URIs, on the local file system. Writes (and copies and links) go to a
 * temporary name in the destination directory, then are renamed over the target, so readers never see a
 * part; missing parent directories are created. Fragments (`#zip-path=...`) are ignored.
 *
 * @example
 * const storage = createLocalBackend();
 * await storage.write(ResourceUri.parse("/repo/a.json"), new TextEncoder().encode("{}"));
 */
export function createLocalBackend(options: LocalBackendOptions = {}): StorageBackend {
  const fsync = options.fsync === true;

  async function write(uri: ResourceUri, data: Uint8Array): Promise<void> {
    const path = checkArtifactUri(uri, "file", "write").path;
    const directory = dirname(path);
    const temp = `${directory}/${temporaryArtifactName()}`;
    try {
      withParents(directory, () => writeFileSync(temp, data, { flush: fsync }));
      renameSync(temp, path);
    } catch (error) {
      await discard(temp);
      throw fileSystemError(error, "write", uri);
    }
    if (fsync) await syncDirectory(directory, uri);
  }

  async function transferIn(
    source: ResourceUri,
    destination: ResourceUri,
    mode: StorageTransferMode,
  ): Promise<void> {
    if (source.scheme !== "file") {
      throw new StorageError(
        `Cannot ${mode} "${source}" into "${destination}": the local storage backend takes only "file" sources`,
        source.toString(),
        { hint: "Read the artifact with the backend for its scheme and write() the bytes" },
      );
    }
    const from = checkArtifactUri(source, "file", mode).path;
    const to = checkArtifactUri(destination, "file", mode).path;
    let info: Stats;
    try {
      info = await stat(from);
    } catch (error) {
      throw fileSystemError(error, `${mode} from`, source);
    }
    if (info.isDirectory()) {
      throw new StorageError(`Cannot ${mode} "${source}": it is a directory`, source.toString(), {
        hint: "Transfer the files inside it one by one",
      });
    }
    if (from === to && (mode === "symlink" || mode === "relsymlink")) {
      throw new StorageError(`Cannot ${mode} "${source}" onto itself`, source.toString(), {
        hint: 'The file is already in place; use "copy" or leave it where it is',
      });
    }
    const directory = dirname(to);
    const temp = `${directory}/${temporaryArtifactName()}`;
    try {
      await withParentsAsync(directory, () => place(from, to, temp, mode));
    } catch (error) {
      await discard(temp);
      throw fileSystemError(error, mode, destination);
    }
    if (fsync) await syncDirectory(directory, destination);
  }

  /** Put `from` at `to` by `mode`, through `temp` (a name in the directory of `to`) unless renaming. */
  async function place(from: string, to: string, temp: string, mode: StorageTransferMode): Promise<void> {
    switch (mode) {
      case "move":
        try {
          await rename(from, to);
          return;
        } catch (error) {
          if (errorCode(error) !== "EXDEV") throw error;
        }
        await copyThrough(from, to, temp);
        await unlink(from);
        return;
      case "copy":
        return copyThrough(from, to, temp);
      case "hardlink":
      case "link":
        try {
          await link(from, temp);
        } catch (error) {
          if (mode === "hardlink" || !HARDLINK_FALLBACK.has(errorCode(error) ?? "")) throw error;
          await symlink(from, temp);
        }
        await rename(temp, to);
        // rename() does nothing when `to` is already a link to the same file, leaving `temp` behind.
        return discard(temp);
      case "symlink":
        await symlink(from, temp);
        return rename(temp, to);
      case "relsymlink":
        await symlink(relative(dirname(to), from), temp);
        return rename(temp, to);
    }
  }

  async function copyThrough(from: string, to: string, temp: string): Promise<void> {
    copyFileSync(from, temp);
    if (fsync) {
      const descriptor = openSync(temp, "r");
      try {
        fsyncSync(descriptor);
      } finally {
        closeSync(descriptor);
      }
    }
    renameSync(temp, to);
  }

  return Object.freeze({
    scheme: "file",
    capabilities: CAPABILITIES,
    read,
    readRange,
    readRanges,
    write,
    exists,
    stat: statArtifact,
    delete: remove,
    list,
    listTemporaries,
    transferIn,
  });
}

// Reads, stats and small writes use the synchronous calls: on a local disk they take microseconds, while
// each asynchronous call costs a round trip through the I/O thread pool (several per read) that dominated
// the time of a `get`.
async function read(uri: ResourceUri): Promise<Uint8Array> {
  try {
    const bytes = readFileSync(checkArtifactUri(uri, "file", "read").path);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (error) {
    throw fileSystemError(error, "read", uri);
  }
}

async function readRange(uri: ResourceUri, start: number, end: number): Promise<Uint8Array> {
  return ((await readRanges(uri, [[start, end]])) as [Uint8Array])[0];
}

async function readRanges(
  uri: ResourceUri,
  ranges: readonly (readonly [number, number])[],
): Promise<Uint8Array[]> {
  let descriptor: number;
  try {
    descriptor = openSync(checkArtifactUri(uri, "file", "read").path, "r");
  } catch (error) {
    throw fileSystemError(error, "read", uri);
  }
  try {
    const size = fstatSync(descriptor).size;
    return ranges.map(([start, end]) => {
      const [from, to] = clampRange(uri, start, end, size);
      const bytes = new Uint8Array(to - from);
      let filled = 0;
      while (filled < bytes.length) {
        const bytesRead = readSync(descriptor, bytes, filled, bytes.length - filled, from + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return bytes.subarray(0, filled);
    });
  } catch (error) {
    throw fileSystemError(error, "read", uri);
  } finally {
    closeSync(descriptor);
  }
}

async function exists(uri: ResourceUri): Promise<boolean> {
  checkScheme(uri, "file", "check");
  try {
    return statSync(uri.path).isDirectory() === uri.isDirectory;
  } catch (error) {
    if (isAbsence(error)) return false;
    throw fileSystemError(error, "check", uri);
  }
}

async function statArtifact(uri: ResourceUri): Promise<StorageStat | null> {
  try {
    const info = statSync(checkArtifactUri(uri, "file", "stat").path);
    return info.isDirectory() ? null : { size: info.size, modified: info.mtime };
  } catch (error) {
    if (isAbsence(error)) return null;
    throw fileSystemError(error, "stat", uri);
  }
}

async function remove(uri: ResourceUri): Promise<boolean> {
  try {
    unlinkSync(checkArtifactUri(uri, "file", "delete").path);
    return true;
  } catch (error) {
    if (isAbsence(error)) return false;
    throw fileSystemError(error, "delete", uri);
  }
}

async function* list(prefix: ResourceUri): AsyncGenerator<ResourceUri> {
  checkScheme(prefix, "file", "list");
  yield* walk(prefix.asDirectory(), false);
}

async function* listTemporaries(prefix: ResourceUri): AsyncGenerator<ResourceUri> {
  checkScheme(prefix, "file", "list");
  yield* walk(prefix.asDirectory(), true);
}

/**
 * The artifacts (files and links to files) under `directory`, or with `temporaries` the leftovers of
 * interrupted writes instead; in name order per directory. Links to directories are not followed.
 */
async function* walk(directory: ResourceUri, temporaries: boolean): AsyncGenerator<ResourceUri> {
  let entries: Dirent[];
  try {
    entries = await readdir(directory.path, { withFileTypes: true });
  } catch (error) {
    if (isAbsence(error)) return;
    throw fileSystemError(error, "list", directory);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const temporary = isTemporaryArtifactName(entry.name);
    if (entry.isDirectory()) {
      if (!temporary) yield* walk(directory.join(entry.name, { isDirectory: true }), temporaries);
    } else if (temporaries) {
      if (temporary) yield directory.join(entry.name);
    } else if (
      !temporary &&
      (entry.isFile() || (entry.isSymbolicLink() && !(await isDirectoryLink(directory.path + entry.name))))
    ) {
      yield directory.join(entry.name);
    }
  }
}

async function isDirectoryLink(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    // A dangling link is still an entry of the store: listed, so a check can report it.
    return false;
  }
}

/** Run `operation`; if it fails because `directory` is missing, create it and run it once more. */
function withParents<T>(directory: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
  }
  mkdirSync(directory, { recursive: true });
  return operation();
}

/** {@link withParents} for an asynchronous operation. */
async function withParentsAsync<T>(directory: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
  }
  mkdirSync(directory, { recursive: true });
  return operation();
}

async function syncDirectory(directory: string, uri: ResourceUri): Promise<void> {
  try {
    const descriptor = openSync(directory, "r");
    try {
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
  } catch (error) {
    if (!NO_DIRECTORY_SYNC.has(errorCode(error) ?? ""))
      throw fileSystemError(error, "sync the directory of", uri);
  }
}

/** Remove a temporary file if it is there; it is already gone after a successful rename. */
async function discard(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The path (or a parent of it) is not there. */
function isAbsence(error: unknown): boolean {
  const code = errorCode(error);
  return code === "ENOENT" || code === "ENOTDIR";
}

/** Reasons in words and what to do, by Node's error code. */
const REASONS: Readonly<Record<string, readonly [string, (uri: ResourceUri) => string]>> = {
  ENOENT: [
    "no such file",
    () => "Check the path; the file may have been moved or deleted outside the butler",
  ],
  EACCES: ["permission denied", (uri) => `Check the permissions of "${uri.path}" and its directories`],
  EPERM: ["operation not permitted", (uri) => `Check the permissions of "${uri.path}" and its directories`],
  ENOTDIR: ["a parent directory is a file", () => "Move the file that is in the way"],
  EEXIST: ["a parent directory is a file", () => "Move the file that is in the way"],
  EISDIR: ["a directory is in the way", () => "Remove the directory or choose another name"],
  ENOSPC: ["no space left on the device", () => "Free some space"],
  EDQUOT: ["the disk quota is exceeded", () => "Free some space or raise the quota"],
  EROFS: ["the file system is read-only", () => "Choose a location on a writable file system"],
};

/** A file-system error wrapped with the URI, the reason in words and what to do. */
function fileSystemError(error: unknown, action: string, uri: ResourceUri): StorageError {
  if (error instanceof StorageError) return error;
  const where = uri.toString();
  const code = errorCode(error);
  const known = code === undefined ? undefined : REASONS[code];
  if (known === undefined) {
    return new StorageError(`Cannot ${action} "${where}": ${(error as Error).message}`, where, {
      cause: error,
    });
  }
  const [reason, hint] = known;
  const Kind = code === "ENOENT" ? StorageNotFoundError : StorageError;
  return new Kind(`Cannot ${action} "${where}": ${reason}`, where, { hint: hint(uri), cause: error });
}
