import type { DatastoreRecordStore, StoredFileRecord } from "../../../datasets/datastore-records.ts";
import type { Database, SqlRow, SqlValue } from "../database.ts";

/** daf_butler's stand-in for "no component" (the column is NOT NULL with a length check). */
const NULL_COMPONENT = "__NULL_STRING__";
const CHUNK = 500;
const COLUMNS = ["dataset_id", "path", "formatter", "storage_class", "component", "checksum", "file_size"];

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) out.push(items.slice(start, start + CHUNK));
  return out;
}

/**
 * {@link DatastoreRecordStore} on daf_butler's tables: `file_datastore_records`, `dataset_location` and
 * `dataset_location_trash`, with daf_butler's encodings, so either butler reads the other's records.
 */
export class SqlDatastoreRecords implements DatastoreRecordStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  #inList(count: number, first = 1): string {
    const p = this.#db.dialect.placeholder;
    return Array.from({ length: count }, (_, i) => p(first + i)).join(", ");
  }

  #decode(row: SqlRow): StoredFileRecord {
    const component = String(row.component);
    return {
      datasetId: this.#db.dialect.decodeUuid(row.dataset_id as SqlValue),
      path: String(row.path),
      formatter: String(row.formatter),
      storageClass: String(row.storage_class),
      component: component === NULL_COMPONENT ? null : component,
      checksum: row.checksum === null || row.checksum === undefined ? null : String(row.checksum),
      fileSize: row.file_size === null || row.file_size === undefined ? null : Number(row.file_size),
    };
  }

  async insert(datastoreName: string, records: readonly StoredFileRecord[]): Promise<void> {
    if (records.length === 0) return;
    const { encodeUuid } = this.#db.dialect;
    const rows = records.map((r) => [
      encodeUuid(r.datasetId),
      r.path,
      r.formatter,
      r.storageClass,
      r.component ?? NULL_COMPONENT,
      r.checksum,
      r.fileSize,
    ]);
    const located = [...new Set(records.map((r) => r.datasetId))].map((id) => [
      datastoreName,
      encodeUuid(id),
    ]);
    await this.#db.transaction(async (tx) => {
      await tx.insertRows("file_datastore_records", COLUMNS, rows);
      await tx.insertRows(
        "dataset_location",
        ["datastore_name", "dataset_id"],
        located,
        "ON CONFLICT DO NOTHING",
      );
    });
  }

  async fetch(datasetIds: readonly string[]): Promise<Map<string, StoredFileRecord[]>> {
    const result = new Map<string, StoredFileRecord[]>();
    const { encodeUuid } = this.#db.dialect;
    for (const chunk of chunks(datasetIds)) {
      const rows = await this.#db.query(
        `SELECT ${COLUMNS.join(", ")} FROM file_datastore_records WHERE dataset_id IN (${this.#inList(chunk.length)})`,
        chunk.map(encodeUuid),
      );
      for (const row of rows) {
        const record = this.#decode(row);
        const list = result.get(record.datasetId);
        if (list === undefined) result.set(record.datasetId, [record]);
        else list.push(record);
      }
    }
    return result;
  }

  async located(datastoreName: string, datasetIds: readonly string[]): Promise<Set<string>> {
    const { encodeUuid, decodeUuid, placeholder: p } = this.#db.dialect;
    const found = new Set<string>();
    for (const chunk of chunks(datasetIds)) {
      const rows = await this.#db.query(
        `SELECT dataset_id FROM dataset_location WHERE datastore_name = ${p(1)} AND dataset_id IN (${this.#inList(chunk.length, 2)})`,
        [datastoreName, ...chunk.map(encodeUuid)],
      );
      for (const row of rows) found.add(decodeUuid(row.dataset_id as SqlValue));
    }
    return found;
  }

  async trash(datastoreName: string, datasetIds: readonly string[]): Promise<void> {
    const { encodeUuid, placeholder: p } = this.#db.dialect;
    await this.#db.transaction(async (tx) => {
      for (const chunk of chunks(datasetIds)) {
        const params = [datastoreName, ...chunk.map(encodeUuid)];
        const where = `datastore_name = ${p(1)} AND dataset_id IN (${this.#inList(chunk.length, 2)})`;
        await tx.run(
          `INSERT INTO dataset_location_trash (dataset_id, datastore_name) SELECT dataset_id, datastore_name FROM dataset_location WHERE ${where} ON CONFLICT DO NOTHING`,
          params,
        );
        await tx.run(`DELETE FROM dataset_location WHERE ${where}`, params);
      }
    });
  }

  async trashed(datastoreName: string, limit: number): Promise<StoredFileRecord[]> {
    const p = this.#db.dialect.placeholder;
    const rows = await this.#db.query(
      `SELECT ${COLUMNS.map((c) => `r.${c}`).join(", ")} FROM file_datastore_records r JOIN dataset_location_trash t ON t.dataset_id = r.dataset_id WHERE t.datastore_name = ${p(1)} ORDER BY r.dataset_id LIMIT ${p(2)}`,
      [datastoreName, limit],
    );
    return rows.map((row) => this.#decode(row));
  }

  async pathUsers(paths: readonly string[], excludingIds: readonly string[]): Promise<Map<string, number>> {
    const { encodeUuid } = this.#db.dialect;
    const excluded = new Set(excludingIds.map((id) => String(encodeUuid(id))));
    const users = new Map<string, number>();
    for (const chunk of chunks([...new Set(paths)])) {
      const rows = await this.#db.query(
        `SELECT path, dataset_id FROM file_datastore_records WHERE path IN (${this.#inList(chunk.length)})`,
        chunk,
      );
      for (const row of rows) {
        if (excluded.has(String(row.dataset_id))) continue;
        users.set(String(row.path), (users.get(String(row.path)) ?? 0) + 1);
      }
    }
    return users;
  }

  async purge(datastoreName: string, datasetIds: readonly string[]): Promise<void> {
    const { encodeUuid, placeholder: p } = this.#db.dialect;
    await this.#db.transaction(async (tx) => {
      for (const chunk of chunks(datasetIds)) {
        const ids = chunk.map(encodeUuid);
        await tx.run(
          `DELETE FROM file_datastore_records WHERE dataset_id IN (${this.#inList(ids.length)})`,
          ids,
        );
        await tx.run(
          `DELETE FROM dataset_location_trash WHERE datastore_name = ${p(1)} AND dataset_id IN (${this.#inList(ids.length, 2)})`,
          [datastoreName, ...ids],
        );
      }
    });
  }

  async *all(): AsyncIterable<StoredFileRecord[]> {
    for await (const page of this.#db.pages(
      `SELECT ${COLUMNS.join(", ")} FROM file_datastore_records ORDER BY dataset_id, component`,
    )) {
      yield page.map((row) => this.#decode(row));
    }
  }
}
