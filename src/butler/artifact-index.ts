import type { DatasetRef } from "../datasets/dataset-ref.ts";
import type { StoredFileRecord } from "../datasets/datastore-records.ts";
import type { StoredArtifact } from "../datastore/datastore.ts";
import type { DimensionUniverse } from "../dimensions/universe.ts";

/** The index daf_butler writes beside retrieved artifacts and inside zips. */
export const ARTIFACT_INDEX_NAME = "_butler_zip_index.json";

/**
 * daf_butler's `ZipIndex` (version V1) of artifacts, in its JSON field names: the refs (dataset types and
 * compact refs) and, per member path, the datastore record and the dataset IDs it holds.
 */
export function artifactIndex(
  universe: DimensionUniverse,
  refs: readonly DatasetRef[],
  members: ReadonlyMap<string, { artifact: StoredArtifact; ids: string[] }>,
): unknown {
  const unique = [...new Map(refs.map((r) => [r.id, r])).values()];
  const types = new Map(unique.map((r) => [r.datasetType.name, r.datasetType]));
  return {
    index_version: "V1",
    refs: {
      container_version: "V1",
      universe_version: universe.version,
      universe_namespace: universe.namespace,
      dataset_types: Object.fromEntries(
        [...types].map(([name, type]) => [
          name,
          {
            name,
            storageClass: type.storageClass,
            dimensions: type.dimensions.required,
            parentStorageClass: null,
            isCalibration: type.isCalibration,
          },
        ]),
      ),
      compact_refs: Object.fromEntries(
        unique.map((r) => [
          r.id,
          { dataset_type_name: r.datasetType.name, run: r.run, data_id: r.dataId.required },
        ]),
      ),
    },
    artifact_map: Object.fromEntries(
      [...members].map(([name, { artifact, ids }]) => {
        const record = artifact.records[0] as StoredFileRecord;
        const info = {
          formatter: record.formatter,
          path: record.path,
          storage_class: record.storageClass,
          component: record.component,
          checksum: record.checksum,
          file_size: record.fileSize,
        };
        return [name, { info, ids }];
      }),
    ),
  };
}
