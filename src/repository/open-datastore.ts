import { createDatastore } from "../datastore/create-datastore.ts";
import type { Datastore } from "../datastore/datastore.ts";
import { FormatterTable } from "../datastore/formatters/formatter-table.ts";
import { ObjectCodec } from "../datastore/object-codec.ts";
import { createLocalBackend } from "../datastore/storage/local-backend.ts";
import { createMemoryBackend } from "../datastore/storage/memory-backend.ts";
import { createStorageBackends, type StorageBackends } from "../datastore/storage/storage-backends.ts";
import { defaultStorageClasses } from "../datastore/storage-classes/storage-class-registry.ts";
import type { Registry } from "../registry/registry.ts";
import { type ButlerConfig, expandRoot } from "./butler-config.ts";

/** Local files, and a `mem://` store that can copy local files in (for ingest). */
export function defaultStorage(): StorageBackends {
  const local = createLocalBackend();
  return createStorageBackends([local, createMemoryBackend({ sources: [local] })]);
}

/**
 * The datastore a repository's config describes, its records kept in the registry's database, with the
 * storage classes of its `storageClasses:` section added to the defaults.
 * @throws {ConfigError} for an invalid `datastore:` or `storageClasses:` section.
 */
export function datastoreOf(
  config: ButlerConfig,
  registry: Registry,
  storage: StorageBackends = defaultStorage(),
): Datastore {
  const storageClasses = defaultStorageClasses();
  storageClasses.addFromConfig(config.document.storageClasses);
  return createDatastore(config.document.datastore, {
    expandRoot: (value) => expandRoot(value, config.root),
    records: registry.datastoreRecords,
    storage,
    objects: new ObjectCodec(storageClasses),
    formatters: FormatterTable.defaults(),
  });
}
