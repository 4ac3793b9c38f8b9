import type { DatasetRef } from "../../../datasets/dataset-ref.ts";
import { ConflictingDefinitionError } from "../../../errors.ts";
import { groupBy } from "../../../util/group-by.ts";
import type { SqlValue } from "../database.ts";
import type { DatasetStore, DatasetStoreParts } from "./datasets.ts";

/** TAGGED collections: datasets tagged into them by hand, at most one per dataset type and data ID. */
export class TaggedDatasetStore {
  readonly #parts: DatasetStoreParts;
  readonly #datasets: DatasetStore;

  constructor(parts: DatasetStoreParts, datasets: DatasetStore) {
    this.#parts = parts;
    this.#datasets = datasets;
  }

  /**
   * Add datasets to a TAGGED collection; datasets already in it are left alone.
   * @throws {CollectionTypeError} when the collection is not TAGGED.
   * @throws {ConflictingDefinitionError} when it already holds another dataset of the same type and data
   *   ID (nothing is changed then).
   */
  async associate(tagName: string, refs: readonly DatasetRef[]): Promise<void> {
    const { db, collections, datasetTypes, summaries } = this.#parts;
    const tag = await collections.getOfType(tagName, ["TAGGED"], "associating datasets");
    try {
      await db.transaction(async () => {
        for (const [typeName, group] of groupBy(refs, (r) => r.datasetType.name)) {
          const type = await datasetTypes.get(typeName);
          const dataIds = group.map((r) => this.#datasets.dataIdFor(type, r.dataId));
          for (const [i, ref] of group.entries()) {
            const dataId = dataIds[i] as (typeof dataIds)[0];
            const clash = (await this.#datasets.findInCollections(type, dataId, [tag])).find(
              (h) => h.ref.id !== ref.id,
            );
            if (clash !== undefined) {
              throw new ConflictingDefinitionError(
                `TAGGED "${tag.name}" already holds ${typeName} dataset ${clash.ref.id} for data ID ${dataId}; cannot also tag ${ref.id}`,
              );
            }
          }
          await summaries.add(tag.id, type, dataIds);
          const dims = type.datasetType.dimensions.required;
          await db.insertRows(
            type.tagTable,
            ["dataset_type_id", "dataset_id", "collection_id", ...dims],
            group.map((ref, i) => [
              type.id,
              db.dialect.encodeUuid(ref.id),
              tag.id,
              ...dims.map((d) => dataIds[i]?.get(d) as SqlValue),
            ]),
            "ON CONFLICT (dataset_id, collection_id) DO NOTHING",
          );
        }
      });
    } catch (error) {
      summaries.forget();
      throw error;
    }
  }

  /** Remove datasets from a TAGGED collection; ones not in it are ignored. @throws {CollectionTypeError} */
  async disassociate(tagName: string, refs: readonly DatasetRef[]): Promise<void> {
    const { db, collections, datasetTypes } = this.#parts;
    const tag = await collections.getOfType(tagName, ["TAGGED"], "disassociating datasets");
    const { quote, placeholder: p, encodeUuid } = db.dialect;
    await db.transaction(async () => {
      for (const [typeName, group] of groupBy(refs, (r) => r.datasetType.name)) {
        const type = await datasetTypes.get(typeName);
        await db.runMany(
          `DELETE FROM ${quote(type.tagTable)} WHERE dataset_id = ${p(1)} AND collection_id = ${p(2)}`,
          group.map((ref) => [encodeUuid(ref.id), tag.id]),
        );
      }
    });
  }
}
