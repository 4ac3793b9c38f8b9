import { DatasetType, splitDatasetTypeName } from "../../../datasets/dataset-type.ts";
import type { DimensionGroup } from "../../../dimensions/group.ts";
import type { DimensionUniverse } from "../../../dimensions/universe.ts";
import {
  ConflictingDefinitionError,
  DatasetTypeError,
  MissingDatasetTypeError,
  OrphanedRecordError,
} from "../../../errors.ts";
import { groupBy } from "../../../util/group-by.ts";
import { didYouMean } from "../../../util/suggest.ts";
import type { Database } from "../database.ts";
import { datasetCalibsTableName, datasetTagsTableName } from "../schema/dataset-tables.ts";
import { insertReturningId } from "./insert-returning-id.ts";

/** Attempts at registering a dataset type that other writers register at the same time. */
const REGISTER_ATTEMPTS = 3;

/** A registered dataset type and where its datasets live. */
export interface DatasetTypeRecord {
  readonly id: number;
  readonly datasetType: DatasetType;
  /** Key of its dimension group in `dimension_graph_key`. */
  readonly dimensionsKey: number;
  /** `dataset_tags_NNNNNNNN`: RUN and TAGGED membership of its datasets. */
  readonly tagTable: string;
  /** `dataset_calibs_NNNNNNNN` for calibration types, else null. */
  readonly calibTable: string | null;
}

/** Creates the tags (and, for calibrations, calibs) tables of a dimension group if they do not exist. */
export type EnsureDatasetTables = (group: DimensionGroup, key: number, calibration: boolean) => Promise<void>;

/** The dataset types of a registry, held in memory (reloaded when a name is not found). */
export class DatasetTypeStore {
  readonly #db: Database;
  readonly #universe: DimensionUniverse;
  readonly #ensureTables: EnsureDatasetTables;
  #byName = new Map<string, DatasetTypeRecord>();
  #byId = new Map<number, DatasetTypeRecord>();
  #loaded = false;

  constructor(db: Database, universe: DimensionUniverse, ensureTables: EnsureDatasetTables) {
    this.#db = db;
    this.#universe = universe;
    this.#ensureTables = ensureTables;
  }

  /** Reload every dataset type from the database. */
  async refresh(): Promise<void> {
    const groups = await this.#groupsByKey();
    const rows = await this.#db.query(
      "SELECT id, name, storage_class, dimensions_key, tag_association_table, calibration_association_table FROM dataset_type",
    );
    this.#byName = new Map();
    this.#byId = new Map();
    for (const row of rows) {
      const key = Number(row.dimensions_key);
      const record: DatasetTypeRecord = Object.freeze({
        id: Number(row.id),
        datasetType: DatasetType.make(this.#universe, {
          name: String(row.name),
          dimensions: groups.get(key) ?? [],
          storageClass: String(row.storage_class),
          isCalibration: row.calibration_association_table !== null,
        }),
        dimensionsKey: key,
        tagTable: String(row.tag_association_table),
        calibTable:
          row.calibration_association_table === null ? null : String(row.calibration_association_table),
      });
      this.#byName.set(record.datasetType.name, record);
      this.#byId.set(record.id, record);
    }
    this.#loaded = true;
    // Read inside a transaction, the maps may hold dataset types that a rollback takes away.
    this.#db.onRollback(() => {
      this.#loaded = false;
    });
  }

  async #groupsByKey(): Promise<Map<number, string[]>> {
    const rows = await this.#db.query(
      "SELECT dimension_graph_id, dimension_name FROM dimension_graph_definition",
    );
    const groups = groupBy(rows, (row) => Number(row.dimension_graph_id));
    return new Map([...groups].map(([key, group]) => [key, group.map((row) => String(row.dimension_name))]));
  }

  /** Every registered dataset type, by name. */
  async all(): Promise<DatasetTypeRecord[]> {
    if (!this.#loaded) await this.refresh();
    return [...this.#byName.values()].sort((a, b) => (a.datasetType.name < b.datasetType.name ? -1 : 1));
  }

  /** The dataset type of that name, or undefined. */
  async find(name: string): Promise<DatasetTypeRecord | undefined> {
    if (!this.#loaded || !this.#byName.has(name)) await this.refresh();
    return this.#byName.get(name);
  }

  /**
   * The dataset type of that name.
   * @throws {MissingDatasetTypeError} when it is not registered, with close names in the hint.
   * @throws {DatasetTypeError} for a component name (components are not registered).
   */
  async get(name: string): Promise<DatasetTypeRecord> {
    const record = await this.find(name);
    if (record !== undefined) return record;
    const [parent, component] = splitDatasetTypeName(name);
    if (component !== null && (await this.find(parent)) !== undefined) {
      throw new DatasetTypeError(
        `"${name}" is component "${component}" of dataset type "${parent}"; components are not registry entries`,
        {
          hint: `Use "${parent}" here.`,
        },
      );
    }
    throw new MissingDatasetTypeError(
      `Dataset type "${name}" is not registered in repository ${this.#db.location}`,
      {
        hint:
          didYouMean(name, this.#byName.keys()) ??
          "Run `butler query-dataset-types REPO` to list the registered types.",
      },
    );
  }

  /** The dataset type with that ID (it must exist). */
  byId(id: number): DatasetTypeRecord {
    const record = this.#byId.get(id);
    if (record === undefined) throw new MissingDatasetTypeError(`No dataset type with ID ${id}`);
    return record;
  }

  /**
   * Register a dataset type, creating the tables of its dimension group as needed.
   * @returns true when registered, false when an identical definition existed.
   * @throws {ConflictingDefinitionError} when the name is registered with another definition.
   * @throws {DatasetTypeError} for a component name.
   */
  async register(datasetType: DatasetType): Promise<boolean> {
    if (datasetType.component !== null) {
      throw new DatasetTypeError(`Cannot register component dataset type "${datasetType.name}"`, {
        hint: "Register the parent; its components come from its storage class.",
      });
    }
    for (let attempt = 1; ; attempt++) {
      const existing = await this.find(datasetType.name);
      if (existing !== undefined) return this.#checkSame(existing.datasetType, datasetType);
      try {
        await this.#db.transaction(async () => {
          const key = await this.#dimensionsKey(datasetType.dimensions);
          await this.#ensureTables(datasetType.dimensions, key, datasetType.isCalibration);
          await insertReturningId(this.#db, "dataset_type", "id", {
            name: datasetType.name,
            storage_class: datasetType.storageClass,
            dimensions_key: key,
            tag_association_table: datasetTagsTableName(key),
            calibration_association_table: datasetType.isCalibration ? datasetCalibsTableName(key) : null,
          });
        });
        await this.refresh();
        return true;
      } catch (error) {
        // Another writer registered this type, or one with the same dimensions and tables, at the same
        // moment: look again, and take theirs when it is the same definition.
        if (!(error instanceof ConflictingDefinitionError) || attempt === REGISTER_ATTEMPTS) throw error;
        await this.refresh();
      }
    }
  }

  #checkSame(existing: DatasetType, requested: DatasetType): boolean {
    if (existing.equals(requested)) return false;
    throw new ConflictingDefinitionError(
      `Dataset type "${requested.name}" is already registered as ${existing}, not ${requested}`,
      { hint: "Use another name, or remove the old definition first if it has no datasets." },
    );
  }

  /** The `dimension_graph_key` of a group's required dimensions, saving the group when new. */
  async #dimensionsKey(group: DimensionGroup): Promise<number> {
    const wanted = [...group.required].sort().join(",");
    for (const [key, names] of await this.#groupsByKey())
      if ([...names].sort().join(",") === wanted) return key;
    const p = this.#db.dialect.placeholder;
    const key = (await insertReturningId(this.#db, "dimension_graph_key", "id", {})) as number;
    await this.#db.runMany(
      `INSERT INTO dimension_graph_definition (dimension_graph_id, dimension_name) VALUES (${p(1)}, ${p(2)})`,
      group.required.map((name) => [key, name]),
    );
    return key;
  }

  /**
   * Remove a dataset type that has no datasets; removing one that is not registered does nothing.
   * @throws {OrphanedRecordError} when datasets of that type exist.
   */
  async remove(name: string): Promise<boolean> {
    const record = await this.find(name);
    if (record === undefined) return false;
    const p = this.#db.dialect.placeholder;
    const rows = await this.#db.query(`SELECT count(*) AS n FROM dataset WHERE dataset_type_id = ${p(1)}`, [
      record.id,
    ]);
    const count = Number(rows[0]?.n ?? 0);
    if (count > 0) {
      throw new OrphanedRecordError(
        `Dataset type "${name}" still has ${count} dataset${count === 1 ? "" : "s"}; it cannot be removed`,
        {
          hint: "Remove its datasets first (butler prune-datasets or remove-runs).",
        },
      );
    }
    await this.#db.transaction(() =>
      this.#db.run(`DELETE FROM dataset_type WHERE id = ${p(1)}`, [record.id]),
    );
    await this.refresh();
    return true;
  }
}
