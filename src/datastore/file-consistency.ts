import type { DatastoreRecordStore, StoredFileRecord } from "../datasets/datastore-records.ts";
import type { ConsistencyReport } from "./datastore.ts";
import { inParallel } from "./in-parallel.ts";
import type { ResourceUri } from "./storage/resource-uri.ts";
import type { StorageBackend } from "./storage/storage-backend.ts";
import { isTemporaryArtifactName } from "./storage/temporary-artifact.ts";

/** Files a repository root holds that are not artifacts: the config and the SQLite registry. */
const REPOSITORY_FILES = /^(butler\.yaml|.*\.sqlite3(-wal|-shm|-journal)?)$/;

/**
 * Compare a file datastore's records with what its storage holds: records without their artifact or with
 * another size, artifacts no record names (orphans of a crash between write and commit), and leftovers
 * of interrupted writes.
 */
export async function checkConsistency(
  backend: StorageBackend,
  root: ResourceUri,
  records: DatastoreRecordStore,
  uriOf: (path: string) => ResourceUri,
): Promise<ConsistencyReport> {
  const missing: StoredFileRecord[] = [];
  const sizeMismatch: StoredFileRecord[] = [];
  const recorded = new Set<string>();
  for await (const page of records.all()) {
    await inParallel(page, 8, async (record) => {
      const uri = uriOf(record.path);
      recorded.add(uri.withoutFragment().toString());
      if (uri.scheme !== root.scheme) return;
      const stat = await backend.stat(uri);
      if (stat === null) missing.push(record);
      else if (record.fileSize !== null && stat.size !== record.fileSize) sizeMismatch.push(record);
    });
  }
  const orphans: ResourceUri[] = [];
  const temporaries: ResourceUri[] = [];
  if (backend.capabilities.list) {
    for await (const uri of listWithTemporaries(backend, root)) {
      if (isTemporaryArtifactName(uri.basename)) temporaries.push(uri);
      else if (
        !recorded.has(uri.toString()) &&
        !(uri.dirname().equals(root) && REPOSITORY_FILES.test(uri.basename))
      )
        orphans.push(uri);
    }
  }
  return { missing, sizeMismatch, orphans, temporaries };
}

async function* listWithTemporaries(backend: StorageBackend, root: ResourceUri): AsyncIterable<ResourceUri> {
  yield* backend.list(root);
  if (backend.listTemporaries !== undefined) yield* backend.listTemporaries(root);
}
