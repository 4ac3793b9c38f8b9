import type { DataCoordinate } from "../../../dimensions/data-coordinate.ts";
import type { Database } from "../database.ts";
import type { DatasetTypeRecord } from "./dataset-types.ts";

/** What one collection holds, as its summary rows say. */
export interface CollectionSummary {
  readonly datasetTypeIds: ReadonlySet<number>;
  /** Per governor dimension, the values of the collection's datasets. */
  readonly governors: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Collection summaries: which dataset types and governor values (instrument, skymap) each collection
 * holds, as daf_butler keeps them so queries can skip collections that cannot match. Rows must exist
 * before dataset rows point at them (the tags tables have foreign keys to the summaries).
 */
export class CollectionSummaries {
  readonly #db: Database;
  readonly #known = new Set<string>();

  constructor(db: Database) {
    this.#db = db;
  }

  /** Record that `collectionId` holds datasets of this type with these data IDs' governor values. */
  async add(
    collectionId: number,
    datasetType: DatasetTypeRecord,
    dataIds: Iterable<DataCoordinate>,
  ): Promise<void> {
    const p = this.#db.dialect.placeholder;
    const quote = this.#db.dialect.quote;
    const typeKey = `${collectionId}|dt|${datasetType.id}`;
    if (!this.#known.has(typeKey)) {
      await this.#db.run(
        `INSERT INTO collection_summary_dataset_type (collection_id, dataset_type_id) VALUES (${p(1)}, ${p(2)}) ON CONFLICT DO NOTHING`,
        [collectionId, datasetType.id],
      );
      this.#known.add(typeKey);
    }
    const governors = datasetType.datasetType.dimensions.governors;
    if (governors.length === 0) return;
    const pending = new Map<string, [string, string]>();
    for (const dataId of dataIds) {
      for (const governor of governors) {
        const value = String(dataId.get(governor));
        const key = `${collectionId}|${governor}|${value}`;
        if (!this.#known.has(key)) pending.set(key, [governor, value]);
      }
    }
    for (const [key, [governor, value]] of pending) {
      await this.#db.run(
        `INSERT INTO ${quote(`collection_summary_${governor}`)} (collection_id, ${quote(governor)}) VALUES (${p(1)}, ${p(2)}) ON CONFLICT DO NOTHING`,
        [collectionId, value],
      );
      this.#known.add(key);
    }
  }

  /**
   * What each collection holds: its dataset type IDs and, per governor (`instrument`, `skymap`), the
   * values its datasets have.
   */
  async read(
    collectionIds: readonly number[],
    governors: readonly string[],
  ): Promise<ReadonlyMap<number, CollectionSummary>> {
    const summaries = new Map(
      collectionIds.map((id) => [
        id,
        {
          datasetTypeIds: new Set<number>(),
          governors: new Map(governors.map((g) => [g, new Set<string>()])),
        },
      ]),
    );
    if (collectionIds.length === 0) return summaries;
    const { placeholder: p, quote } = this.#db.dialect;
    const inList = collectionIds.map((_, i) => p(i + 1)).join(", ");
    for (const row of await this.#db.query(
      `SELECT collection_id, dataset_type_id FROM collection_summary_dataset_type WHERE collection_id IN (${inList})`,
      collectionIds,
    )) {
      summaries.get(Number(row.collection_id))?.datasetTypeIds.add(Number(row.dataset_type_id));
    }
    for (const governor of governors) {
      for (const row of await this.#db.query(
        `SELECT collection_id, ${quote(governor)} AS value FROM ${quote(`collection_summary_${governor}`)} WHERE collection_id IN (${inList})`,
        collectionIds,
      )) {
        summaries.get(Number(row.collection_id))?.governors.get(governor)?.add(String(row.value));
      }
    }
    return summaries;
  }

  /** Forget what is known to exist (after a rollback or another process's changes). */
  forget(): void {
    this.#known.clear();
  }
}
