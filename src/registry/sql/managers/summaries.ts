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
  /** Summaries read so far (only the governors asked for), kept current by {@link add}. */
  readonly #summaries = new Map<
    number,
    { datasetTypeIds: Set<number>; governors: Map<string, Set<string>> }
  >();

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
    // Always written (ON CONFLICT DO NOTHING is cheap): remembering what was written would go stale when a
    // transaction rolls back, or when SQLite reuses the ID of a removed collection.
    await this.#db.run(
      `INSERT INTO collection_summary_dataset_type (collection_id, dataset_type_id) VALUES (${p(1)}, ${p(2)}) ON CONFLICT DO NOTHING`,
      [collectionId, datasetType.id],
    );
    this.#summaries.get(collectionId)?.datasetTypeIds.add(datasetType.id);
    this.#db.onRollback(() => this.forget());
    const governors = datasetType.datasetType.dimensions.governors;
    if (governors.length === 0) return;
    const pending = new Map<string, [string, string]>();
    for (const dataId of dataIds) {
      for (const governor of governors) {
        const value = String(dataId.get(governor));
        pending.set(`${governor}|${value}`, [governor, value]);
      }
    }
    for (const [governor, value] of pending.values()) {
      await this.#db.run(
        `INSERT INTO ${quote(`collection_summary_${governor}`)} (collection_id, ${quote(governor)}) VALUES (${p(1)}, ${p(2)}) ON CONFLICT DO NOTHING`,
        [collectionId, value],
      );
      this.#summaries.get(collectionId)?.governors.get(governor)?.add(value);
    }
  }

  /**
   * What each collection holds: its dataset type IDs and, per governor (`instrument`, `skymap`), the
   * values its datasets have. Read once per collection and governor, then kept (and extended by
   * {@link add}) until {@link forget}: like daf_butler's summary cache, another process's new datasets
   * show after the registry is refreshed.
   */
  async read(
    collectionIds: readonly number[],
    governors: readonly string[],
  ): Promise<ReadonlyMap<number, CollectionSummary>> {
    const { placeholder: p, quote } = this.#db.dialect;
    const inList = (ids: readonly number[]) => ids.map((_, i) => p(i + 1)).join(", ");
    const unread = collectionIds.filter((id) => !this.#summaries.has(id));
    if (unread.length > 0) {
      for (const id of unread) this.#summaries.set(id, { datasetTypeIds: new Set(), governors: new Map() });
      for (const row of await this.#db.query(
        `SELECT collection_id, dataset_type_id FROM collection_summary_dataset_type WHERE collection_id IN (${inList(unread)})`,
        unread,
      )) {
        this.#summaries.get(Number(row.collection_id))?.datasetTypeIds.add(Number(row.dataset_type_id));
      }
    }
    for (const governor of governors) {
      const missing = collectionIds.filter((id) => !this.#summaries.get(id)?.governors.has(governor));
      if (missing.length === 0) continue;
      for (const id of missing) this.#summaries.get(id)?.governors.set(governor, new Set());
      for (const row of await this.#db.query(
        `SELECT collection_id, ${quote(governor)} AS value FROM ${quote(`collection_summary_${governor}`)} WHERE collection_id IN (${inList(missing)})`,
        missing,
      )) {
        this.#summaries.get(Number(row.collection_id))?.governors.get(governor)?.add(String(row.value));
      }
    }
    return new Map(collectionIds.map((id) => [id, this.#summaries.get(id) as CollectionSummary]));
  }

  /** Forget the summaries read (after a rollback or another process's changes). */
  forget(): void {
    this.#summaries.clear();
  }
}
