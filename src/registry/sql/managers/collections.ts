import {
  type CollectionType,
  collectionTypeCode,
  collectionTypeFromCode,
} from "../../../datasets/collection-type.ts";
import {
  CollectionCycleError,
  CollectionTypeError,
  ConflictingDefinitionError,
  InvalidCollectionNameError,
  MissingCollectionError,
  OrphanedRecordError,
} from "../../../errors.ts";
import { groupBy } from "../../../util/group-by.ts";
import { didYouMean } from "../../../util/suggest.ts";
import type { Database } from "../database.ts";
import { insertReturningId } from "./insert-returning-id.ts";

/** A collection as the registry knows it. */
export interface CollectionRecord {
  readonly id: number;
  readonly name: string;
  readonly type: CollectionType;
  readonly doc: string | null;
}

/** Longest collection name a registry stores. */
export const MAX_COLLECTION_NAME = 64;

/**
 * Check a new collection name: 1-64 characters, no glob characters or commas (the CLI splits collection
 * lists at commas and treats `*?[]` as patterns), no control characters or surrounding spaces.
 * @throws {InvalidCollectionNameError} saying what is wrong with it.
 */
export function checkCollectionName(name: string): void {
  let problem: string | undefined;
  if (name.length === 0) problem = "it is empty";
  else if (name.length > MAX_COLLECTION_NAME) problem = `it is longer than ${MAX_COLLECTION_NAME} characters`;
  else if (/[*?[\],]/.test(name)) problem = "it contains one of * ? [ ] , (reserved for patterns and lists)";
  else if (/\p{Cc}/u.test(name)) problem = "it contains a control character";
  else if (name.trim() !== name) problem = "it starts or ends with white space";
  if (problem !== undefined)
    throw new InvalidCollectionNameError(`Invalid collection name "${name}": ${problem}`);
}

/**
 * The collections of a registry: RUN, TAGGED, CHAINED and CALIBRATION, chain definitions and docs.
 * All collections and chains are held in memory (reloaded when a name is not found, so collections
 * other processes registered are seen).
 */
export class CollectionStore {
  readonly #db: Database;
  #byName = new Map<string, CollectionRecord>();
  #byId = new Map<number, CollectionRecord>();
  #chains = new Map<number, number[]>();
  #loaded = false;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Reload every collection and chain from the database. */
  async refresh(): Promise<void> {
    const rows = await this.#db.query("SELECT collection_id, name, type, doc FROM collection");
    const chains = await this.#db.query(
      "SELECT parent, position, child FROM collection_chain ORDER BY parent, position",
    );
    this.#byName = new Map();
    this.#byId = new Map();
    for (const row of rows) {
      const record: CollectionRecord = Object.freeze({
        id: Number(row.collection_id),
        name: String(row.name),
        type: collectionTypeFromCode(Number(row.type)) ?? "RUN",
        doc: row.doc === null ? null : String(row.doc),
      });
      this.#byName.set(record.name, record);
      this.#byId.set(record.id, record);
    }
    this.#chains = new Map(
      [...groupBy(chains, (row) => Number(row.parent))].map(([parent, rows]) => [
        parent,
        rows.map((r) => Number(r.child)),
      ]),
    );
    this.#loaded = true;
    // Read inside a transaction, the maps may hold collections that a rollback takes away.
    this.#db.onRollback(() => {
      this.#loaded = false;
    });
  }

  async #ensureLoaded(): Promise<void> {
    if (!this.#loaded) await this.refresh();
  }

  /** Every collection. */
  async all(): Promise<CollectionRecord[]> {
    await this.#ensureLoaded();
    return [...this.#byName.values()];
  }

  /** The collection of that name, or undefined. */
  async find(name: string): Promise<CollectionRecord | undefined> {
    await this.#ensureLoaded();
    let record = this.#byName.get(name);
    if (record === undefined) {
      await this.refresh();
      record = this.#byName.get(name);
    }
    return record;
  }

  /**
   * The collection of that name.
   * @throws {MissingCollectionError} when there is none, with close names in the hint.
   */
  async get(name: string): Promise<CollectionRecord> {
    const record = await this.find(name);
    if (record === undefined) {
      throw new MissingCollectionError(`Collection "${name}" not found in repository ${this.#db.location}`, {
        hint:
          didYouMean(name, this.#byName.keys()) ?? "Run `butler query-collections REPO` to list collections.",
      });
    }
    return record;
  }

  /** The collection with that ID, reloading once when another process may have just created it. */
  async getById(id: number): Promise<CollectionRecord> {
    if (!this.#byId.has(id)) await this.refresh();
    return this.byId(id);
  }

  /** The collection with that ID (it must exist). */
  byId(id: number): CollectionRecord {
    const record = this.#byId.get(id);
    if (record === undefined) throw new MissingCollectionError(`No collection with ID ${id}`);
    return record;
  }

  /**
   * The collection, checked to be of one of the given types.
   * @throws {MissingCollectionError} when it does not exist.
   * @throws {CollectionTypeError} when it has another type.
   */
  async getOfType(
    name: string,
    types: readonly CollectionType[],
    purpose: string,
  ): Promise<CollectionRecord> {
    const record = await this.get(name);
    if (!types.includes(record.type)) {
      throw new CollectionTypeError(
        `Collection "${name}" is ${record.type}, but ${purpose} needs a ${types.join(" or ")} collection`,
      );
    }
    return record;
  }

  /**
   * Create a collection unless one of that name exists.
   * @returns true when created, false when an identical one existed.
   * @throws {InvalidCollectionNameError} for a bad name.
   * @throws {ConflictingDefinitionError} when it exists with another type.
   */
  async register(name: string, type: CollectionType, doc: string | null = null): Promise<boolean> {
    checkCollectionName(name);
    const existing = await this.find(name);
    if (existing !== undefined) return this.#checkSame(existing, type);
    const p = this.#db.dialect.placeholder;
    const created = await this.#db.transaction(async () => {
      const id = await insertReturningId(
        this.#db,
        "collection",
        "collection_id",
        { name, type: collectionTypeCode(type), doc },
        "ON CONFLICT (name) DO NOTHING",
      );
      if (id === undefined) return false;
      if (type === "RUN") {
        const { quote, timespanColumns, encodeTimespan } = this.#db.dialect;
        const columns = ["collection_id", "host", ...timespanColumns("timespan")];
        await this.#db.run(
          `INSERT INTO run (${columns.map(quote).join(", ")}) VALUES (${columns.map((_, i) => p(i + 1)).join(", ")})`,
          [id, null, ...encodeTimespan(null)],
        );
      }
      return true;
    });
    await this.refresh();
    if (!created) return this.#checkSame(await this.get(name), type);
    return true;
  }

  #checkSame(existing: CollectionRecord, type: CollectionType): boolean {
    if (existing.type !== type) {
      throw new ConflictingDefinitionError(
        `Collection "${existing.name}" already exists as ${existing.type}, not ${type}`,
        { hint: "Choose another name, or use the existing collection." },
      );
    }
    return false;
  }

  /** Set or clear a collection's documentation. @throws {MissingCollectionError} */
  async setDoc(name: string, doc: string | null): Promise<void> {
    const record = await this.get(name);
    const p = this.#db.dialect.placeholder;
    await this.#db.transaction(() =>
      this.#db.run(`UPDATE collection SET doc = ${p(1)} WHERE collection_id = ${p(2)}`, [doc, record.id]),
    );
    await this.refresh();
  }

  /** Children of a CHAINED collection, in search order. @throws {CollectionTypeError} for another type. */
  async chain(name: string): Promise<string[]> {
    const record = await this.getOfType(name, ["CHAINED"], "reading a chain");
    return (this.#chains.get(record.id) ?? []).map((id) => this.byId(id).name);
  }

  /** CHAINED collections that list `name` directly. */
  async parents(name: string): Promise<string[]> {
    const record = await this.get(name);
    const parents: string[] = [];
    for (const [parent, children] of this.#chains)
      if (children.includes(record.id)) parents.push(this.byId(parent).name);
    return parents.sort();
  }

  /**
   * Define a chain's children (duplicates keep their first place); with `flatten`, nested chains are
   * replaced by the collections they search.
   * @throws {MissingCollectionError} for an unknown parent or child.
   * @throws {CollectionTypeError} when the parent is not CHAINED.
   * @throws {CollectionCycleError} when a child is, or contains, the parent.
   */
  async setChain(
    parent: string,
    children: readonly string[],
    options: { flatten?: boolean } = {},
  ): Promise<void> {
    const parentRecord = await this.getOfType(parent, ["CHAINED"], "defining a chain");
    let resolved: CollectionRecord[] = [];
    for (const child of children) resolved.push(await this.get(child));
    if (options.flatten)
      resolved = (await this.flatten(resolved.map((r) => r.name))).map(
        (name) => this.#byName.get(name) as CollectionRecord,
      );
    const unique = [...new Map(resolved.map((r) => [r.id, r])).values()];
    for (const child of unique) {
      const path = this.#pathTo(child.id, parentRecord.id);
      if (path !== undefined) {
        const route = [parent, ...path.map((id) => this.byId(id).name)].join(" -> ");
        throw new CollectionCycleError(
          `Chain "${parent}" cannot contain "${child.name}": it would contain itself (${route})`,
        );
      }
    }
    const p = this.#db.dialect.placeholder;
    await this.#db.transaction(async () => {
      // Two processes redefining chains at once take turns instead of colliding on (parent, position).
      await this.#db.lockForWrite("collection_chain");
      await this.#db.run(`DELETE FROM collection_chain WHERE parent = ${p(1)}`, [parentRecord.id]);
      await this.#db.runMany(
        `INSERT INTO collection_chain (parent, position, child) VALUES (${p(1)}, ${p(2)}, ${p(3)})`,
        unique.map((child, position) => [parentRecord.id, position, child.id]),
      );
    });
    this.#chains.set(
      parentRecord.id,
      unique.map((r) => r.id),
    );
    // Inside an enclosing transaction, its rollback takes the new chain away again.
    this.#db.onRollback(() => {
      this.#loaded = false;
    });
  }

  /** IDs from `from` down to `target` through chains, or undefined when `target` is not reachable. */
  #pathTo(from: number, target: number, seen = new Set<number>()): number[] | undefined {
    if (from === target) return [from];
    if (seen.has(from)) return undefined;
    seen.add(from);
    for (const child of this.#chains.get(from) ?? []) {
      const path = this.#pathTo(child, target, seen);
      if (path !== undefined) return [from, ...path];
    }
    return undefined;
  }

  /**
   * The non-chain collections searched, in order, when searching `names` (chains expanded depth-first,
   * each collection once, at its first place).
   * @throws {MissingCollectionError} for an unknown name.
   */
  async flatten(names: readonly string[]): Promise<string[]> {
    const result: string[] = [];
    const seen = new Set<number>();
    const visit = (record: CollectionRecord) => {
      if (seen.has(record.id)) return;
      seen.add(record.id);
      if (record.type === "CHAINED")
        for (const child of this.#chains.get(record.id) ?? []) visit(this.byId(child));
      else result.push(record.name);
    };
    for (const name of names) visit(await this.get(name));
    return result;
  }

  /**
   * Delete a collection. A RUN takes its datasets with it; nothing else is touched.
   * @throws {MissingCollectionError} when it does not exist.
   * @throws {OrphanedRecordError} when a chain still lists it.
   */
  async remove(name: string): Promise<void> {
    const record = await this.get(name);
    const parents = await this.parents(name);
    if (parents.length > 0) {
      throw new OrphanedRecordError(
        `Collection "${name}" cannot be removed: chain${parents.length > 1 ? "s" : ""} ${parents.map((p) => `"${p}"`).join(", ")} still list${parents.length > 1 ? "" : "s"} it`,
        {
          hint: "Remove it from those chains first (butler collection-chain --mode remove), or ask to unlink it from its parents.",
        },
      );
    }
    const p = this.#db.dialect.placeholder;
    if (record.type === "RUN") {
      const stored = await this.#db.query(
        `SELECT count(*) AS n FROM dataset_location JOIN dataset ON dataset.id = dataset_location.dataset_id WHERE dataset.run_id = ${p(1)}`,
        [record.id],
      );
      const count = Number(stored[0]?.n ?? 0);
      if (count > 0) {
        throw new OrphanedRecordError(
          `RUN "${name}" cannot be removed: ${count} of its datasets still have files in a datastore`,
          {
            hint: "Remove the runs with `butler remove-runs`, which deletes the files too.",
          },
        );
      }
    }
    await this.#db.transaction(async () => {
      if (record.type === "RUN")
        await this.#db.run(`DELETE FROM dataset WHERE run_id = ${p(1)}`, [record.id]);
      await this.#db.run(`DELETE FROM collection WHERE collection_id = ${p(1)}`, [record.id]);
    });
    await this.refresh();
  }
}
