import type { DatasetRef } from "../../datasets/dataset-ref.ts";

/** Refs in the order daf_butler's answers list them: by dataset type, run, then ID. */
export function sortRefs(refs: readonly DatasetRef[]): DatasetRef[] {
  const key = (r: DatasetRef) => `${r.datasetType.name}\u0000${r.run}\u0000${r.id}`;
  return [...refs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
