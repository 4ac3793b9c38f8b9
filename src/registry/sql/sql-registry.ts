import type { DatasetRef } from "../../datasets/dataset-ref.ts";
import type { DataCoordinate } from "../../dimensions/data-coordinate.ts";
import type { DimensionRecord } from "../../dimensions/dimension-record.ts";
import type { SkyPixDimension } from "../../dimensions/elements.ts";
import type { DimensionUniverse } from "../../dimensions/universe.ts";
import { DimensionUniverse as Universe } from "../../dimensions/universe.ts";
import { IncompatibleRepositoryError } from "../../errors.ts";
import { Query } from "../../query/query.ts";
import {
  type QueryHelperOptions,
  type QueryList,
  queryDataIds,
  queryDatasets,
  queryDimensionRecords,
} from "../../query/query-helpers.ts";
import { utcNowTaiNs } from "../../time/now.ts";
import type { Registry } from "../registry.ts";
import type { Database } from "./database.ts";
import { FINE_SKYPIX_ATTRIBUTE, fineSkyPixOf } from "./fine-skypix.ts";
import { ButlerAttributes } from "./managers/attributes.ts";
import { CalibrationStore } from "./managers/calibrations.ts";
import { CollectionStore } from "./managers/collections.ts";
import { DatasetTypeStore, type EnsureDatasetTables } from "./managers/dataset-types.ts";
import { DatasetStore, type DatasetStoreParts } from "./managers/datasets.ts";
import { SqlDatastoreRecords } from "./managers/datastore-records.ts";
import { DimensionRecordStore } from "./managers/dimension-records.ts";
import { checkManagers, managerAttributes } from "./managers/manager-versions.ts";
import { CollectionSummaries } from "./managers/summaries.ts";
import { SqlQueryDriver } from "./queries/sql-query-driver.ts";
import {
  CalibrationsFacade,
  CollectionsFacade,
  DatasetsFacade,
  DatasetTypesFacade,
  DimensionsFacade,
} from "./registry-facades.ts";
import { datasetCalibsTable, datasetTagsTable } from "./schema/dataset-tables.ts";
import { repositoryTables } from "./schema/repository-tables.ts";

/** Options of {@link createSqlRegistry} and {@link openSqlRegistry}. */
export interface SqlRegistryOptions {
  /** Current time in TAI ns, for ingest dates and calibration record times (tests replay known times). */
  readonly clock?: () => bigint;
}

/** Options of {@link createSqlRegistry}. */
export interface CreateSqlRegistryOptions extends SqlRegistryOptions {
  /**
   * A skypix level finer than the common one (`htm9`) whose overlap rows are written too and used for
   * region literals (butler-ts's; fixed at creation).
   */
  readonly fineSkyPix?: string;
}

/** The key of the universe document in `butler_attributes`. */
const DIMENSIONS_ATTRIBUTE = "config:dimensions.json";

/**
 * Create the tables of a new registry for `universe` and record its managers and universe, as
 * daf_butler's `makeRepo` does.
 * @throws {DatabaseError} when the database already has a registry or cannot be written.
 */
export async function createSqlRegistry(
  db: Database,
  universe: DimensionUniverse,
  options: CreateSqlRegistryOptions = {},
): Promise<Registry> {
  const fine = options.fineSkyPix === undefined ? undefined : fineSkyPixOf(universe, options.fineSkyPix);
  await db.transaction(async () => {
    for (const spec of repositoryTables(universe))
      for (const statement of db.dialect.renderTable(spec)) await db.exec(statement);
    await new ButlerAttributes(db).insert([
      ...managerAttributes(),
      [DIMENSIONS_ATTRIBUTE, pythonJson(universe.config.document)],
      ...(fine === undefined ? [] : [[FINE_SKYPIX_ATTRIBUTE, fine.name] as [string, string]]),
    ]);
  });
  return buildRegistry(db, universe, options, fine);
}

/**
 * Open an existing registry: check its managers and versions, and build the universe it records.
 * @throws {IncompatibleRepositoryError} for unsupported managers or versions, or no recorded universe.
 */
export async function openSqlRegistry(db: Database, options: SqlRegistryOptions = {}): Promise<Registry> {
  if ((await db.query(db.dialect.tableExistsQuery, ["butler_attributes"])).length === 0) {
    throw new IncompatibleRepositoryError(
      `${db.location} has no butler registry (no butler_attributes table)`,
      {
        hint: "Create a repository with `butler create`, or check the path.",
      },
    );
  }
  const attributes = await new ButlerAttributes(db).all();
  checkManagers(attributes, db.location);
  const document = attributes.get(DIMENSIONS_ATTRIBUTE);
  if (document === undefined) {
    throw new IncompatibleRepositoryError(
      `Repository ${db.location} records no dimension universe (${DIMENSIONS_ATTRIBUTE})`,
    );
  }
  const universe = Universe.fromDocument(JSON.parse(document));
  const fine = attributes.get(FINE_SKYPIX_ATTRIBUTE);
  return buildRegistry(db, universe, options, fine === undefined ? undefined : fineSkyPixOf(universe, fine));
}

async function buildRegistry(
  db: Database,
  universe: DimensionUniverse,
  options: SqlRegistryOptions,
  fineSkyPix: SkyPixDimension | undefined,
): Promise<Registry> {
  const ensureTables: EnsureDatasetTables = async (group, key, calibration) => {
    const specs = [datasetTagsTable(group, key), ...(calibration ? [datasetCalibsTable(group, key)] : [])];
    for (const spec of specs) {
      if ((await db.query(db.dialect.tableExistsQuery, [spec.name])).length > 0) continue;
      for (const statement of db.dialect.renderTable(spec)) await db.exec(statement);
    }
  };
  const collections = new CollectionStore(db);
  const datasetTypes = new DatasetTypeStore(db, universe, ensureTables);
  const records = new DimensionRecordStore(db, fineSkyPix);
  const parts: DatasetStoreParts = {
    db,
    universe,
    ...(fineSkyPix === undefined ? {} : { fineSkyPix }),
    collections,
    datasetTypes,
    records,
    summaries: new CollectionSummaries(db),
    clock: options.clock ?? utcNowTaiNs,
  };
  await collections.refresh();
  await datasetTypes.refresh();
  return new SqlRegistry(parts);
}

/** A registry on a SQL database, composed of one store per table family. */
class SqlRegistry implements Registry {
  readonly universe: DimensionUniverse;
  readonly collections: CollectionsFacade;
  readonly datasetTypes: DatasetTypesFacade;
  readonly dimensions: DimensionsFacade;
  readonly datasets: DatasetsFacade;
  readonly calibrations: CalibrationsFacade;
  readonly datastoreRecords: SqlDatastoreRecords;
  readonly #parts: DatasetStoreParts;
  readonly #queries: SqlQueryDriver;

  constructor(parts: DatasetStoreParts) {
    this.#parts = parts;
    this.#queries = new SqlQueryDriver(parts);
    this.universe = parts.universe;
    const datasets = new DatasetStore(parts);
    const calibrations = new CalibrationStore(parts, datasets);
    this.collections = new CollectionsFacade(parts.collections);
    this.datasetTypes = new DatasetTypesFacade(parts.universe, parts.datasetTypes);
    this.dimensions = new DimensionsFacade(parts.universe, parts.records);
    this.datasets = new DatasetsFacade(parts, datasets, calibrations);
    this.calibrations = new CalibrationsFacade(calibrations);
    this.datastoreRecords = new SqlDatastoreRecords(parts.db);
  }

  get location(): string {
    return this.#parts.db.location;
  }

  get isWriteable(): boolean {
    return this.#parts.db.writeable;
  }

  transaction<T>(body: () => Promise<T>): Promise<T> {
    return this.#parts.db
      .transaction(() => body())
      .catch(async (error: unknown) => {
        await this.refresh();
        throw error;
      });
  }

  async refresh(): Promise<void> {
    this.#parts.records.refresh();
    this.#parts.summaries.forget();
    // In turn: inside a transaction both run on its one connection.
    await this.#parts.collections.refresh();
    await this.#parts.datasetTypes.refresh();
  }

  close(): Promise<void> {
    return this.#parts.db.close();
  }

  query(): Query {
    return new Query(this.#queries);
  }

  queryDataIds(
    dimensions: Iterable<string>,
    options?: QueryHelperOptions,
  ): Promise<QueryList<DataCoordinate>> {
    return queryDataIds(this.query(), dimensions, options);
  }

  queryDatasets(
    datasetType: string,
    options: QueryHelperOptions & { readonly collections: readonly string[]; readonly findFirst?: boolean },
  ): Promise<QueryList<DatasetRef>> {
    return queryDatasets(this.query(), datasetType, options);
  }

  queryDimensionRecords(element: string, options?: QueryHelperOptions): Promise<QueryList<DimensionRecord>> {
    return queryDimensionRecords(this.query(), element, options);
  }

  toString(): string {
    return `Registry(${this.location})`;
  }
}

/** A value as Python's `json.dumps` writes it (", " and ": " separators), as daf_butler stores documents. */
export function pythonJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`)
    .join(", ")}}`;
}
