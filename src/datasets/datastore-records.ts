/**
 * One artifact of a dataset as a file datastore records it (a row of daf_butler's `file_datastore_records`):
 * where it is, which formatter wrote it, and how big it was.
 */
export interface StoredFileRecord {
  readonly datasetId: string;
  /** Path relative to the datastore root, or an absolute URI (`file:///…` for `direct` ingest). */
  readonly path: string;
  /** The formatter's daf_butler class name (`lsst.daf.butler.formatters.json.JsonFormatter`). */
  readonly formatter: string;
  readonly storageClass: string;
  /** The component this artifact holds (disassembled composites), or null for the whole dataset. */
  readonly component: string | null;
  readonly checksum: string | null;
  readonly fileSize: number | null;
}

/**
 * Where a datastore keeps its records, in the registry's database so they commit with the datasets:
 * the records table, the `dataset_location` rows saying which datastore holds a dataset, and the trash of
 * two-phase removal (`dataset_location_trash`).
 */
export interface DatastoreRecordStore {
  /** Record artifacts and mark their datasets as held by datastore `datastoreName`. */
  insert(datastoreName: string, records: readonly StoredFileRecord[]): Promise<void>;
  /** The records of each dataset that has some, by dataset ID (trashed ones included). */
  fetch(datasetIds: readonly string[]): Promise<Map<string, StoredFileRecord[]>>;
  /** The IDs among these that datastore `datastoreName` holds (not trashed). */
  located(datastoreName: string, datasetIds: readonly string[]): Promise<Set<string>>;
  /** First phase of removal: the datasets are no longer held; their records wait in the trash. */
  trash(datastoreName: string, datasetIds: readonly string[]): Promise<void>;
  /** Records of trashed datasets, up to `limit` of them. */
  trashed(datastoreName: string, limit: number): Promise<StoredFileRecord[]>;
  /** How many records outside `excludingIds` still use each path (an ingested file may hold many datasets). */
  pathUsers(paths: readonly string[], excludingIds: readonly string[]): Promise<Map<string, number>>;
  /** Second phase: forget the records and trash rows of these datasets. */
  purge(datastoreName: string, datasetIds: readonly string[]): Promise<void>;
  /** Every record, in pages (for consistency checks). */
  all(): AsyncIterable<StoredFileRecord[]>;
}
