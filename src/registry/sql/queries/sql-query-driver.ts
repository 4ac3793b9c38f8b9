import { DatasetRef } from "../../../datasets/dataset-ref.ts";
import type { DatasetType } from "../../../datasets/dataset-type.ts";
import { DataCoordinate, type DataIdValue } from "../../../dimensions/data-coordinate.ts";
import type { DimensionRecord } from "../../../dimensions/dimension-record.ts";
import type { DimensionGroup } from "../../../dimensions/group.ts";
import type { DimensionUniverse } from "../../../dimensions/universe.ts";
import { CalibrationLookupError } from "../../../errors.ts";
import type { QueryDriver } from "../../../query/query-driver.ts";
import type { QuerySpec } from "../../../query/tree/query-tree.ts";
import {
  AMBIGUOUS_COLUMNS,
  type CompiledQuery,
  compileQuery,
  DATASET_ID_COLUMN,
  DATASET_RUN_COLUMN,
  keyColumn,
} from "../compile/compile-query.ts";
import type { SqlRow, SqlValue } from "../database.ts";
import type { CollectionRecord } from "../managers/collections.ts";
import type { DatasetTypeRecord } from "../managers/dataset-types.ts";
import type { DatasetStoreParts } from "../managers/datasets.ts";
import { RecordCodec } from "../record-codec.ts";
import { explainNoResults } from "./explain-no-results.ts";
import { refinePages } from "./refine-rows.ts";
import { resolveSearchPath, type SearchPath } from "./search-paths.ts";

/** A spec ready to run: its SQL and the search paths it was compiled with. */
export interface PreparedQuery {
  readonly compiled: CompiledQuery;
  readonly datasetTypes: ReadonlyMap<string, DatasetTypeRecord>;
  readonly searchPaths: ReadonlyMap<string, SearchPath>;
}

function keyValue(value: unknown): DataIdValue {
  return typeof value === "bigint" ? Number(value) : (value as DataIdValue);
}

/**
 * Reads the data IDs of `group` from rows' `k_<dimension>` columns: full when every implied value is
 * set, else the required values only.
 */
function dataIdReader(group: DimensionGroup): (row: SqlRow) => DataCoordinate {
  const columns = group.dataCoordinateKeys.map(keyColumn);
  const required = group.required.length;
  return (row) => {
    const values: DataIdValue[] = new Array(columns.length);
    let full = true;
    for (let i = 0; i < columns.length; i++) {
      const value = row[columns[i] as string];
      if (value === null || value === undefined) full = false;
      else values[i] = keyValue(value);
    }
    return full
      ? DataCoordinate.fromFullValues(group, values)
      : DataCoordinate.fromRequiredValues(group, values.slice(0, required));
  };
}

/** Runs query specs on the registry's SQL database, streaming decoded rows. */
export class SqlQueryDriver implements QueryDriver {
  readonly #parts: DatasetStoreParts;

  constructor(parts: DatasetStoreParts) {
    this.#parts = parts;
  }

  get universe(): DimensionUniverse {
    return this.#parts.universe;
  }

  async datasetType(name: string): Promise<DatasetType> {
    return (await this.#parts.datasetTypes.get(name)).datasetType;
  }

  /**
   * Resolve the spec's dataset types and collections and compile it.
   * @throws {MissingDatasetTypeError} @throws {MissingCollectionError} @throws {InvalidQueryError}
   */
  async prepare(spec: QuerySpec): Promise<PreparedQuery> {
    const datasetTypes = new Map<string, DatasetTypeRecord>();
    const searchPaths = new Map<string, SearchPath>();
    for (const search of spec.tree.datasets) {
      const type = await this.#parts.datasetTypes.get(search.datasetType);
      datasetTypes.set(search.datasetType, type);
      const findFirst =
        spec.result.kind === "datasets" &&
        spec.result.findFirst &&
        spec.result.datasetType === search.datasetType;
      searchPaths.set(
        search.datasetType,
        await resolveSearchPath(search, type, spec.tree.predicate, findFirst, this.#parts),
      );
    }
    const paths = new Map<string, readonly CollectionRecord[]>(
      [...searchPaths].map(([name, path]) => [name, path.collections]),
    );
    const compiled = compileQuery(spec, {
      universe: this.universe,
      dialect: this.#parts.db.dialect,
      datasetTypes,
      searchPaths: paths,
      ...(this.#parts.fineSkyPix === undefined ? {} : { fineSkyPix: this.#parts.fineSkyPix }),
    });
    return { compiled, datasetTypes, searchPaths };
  }

  async *#pages(spec: QuerySpec): AsyncGenerator<SqlRow[]> {
    const { compiled } = await this.prepare(spec);
    yield* this.#rows(compiled);
  }

  /** The compiled query's rows, refined when it has spatial tests left. */
  #rows(compiled: CompiledQuery, sql = compiled.sql, params = compiled.params): AsyncIterable<SqlRow[]> {
    const pages = this.#parts.db.pages(sql, params, { bigints: compiled.bigints });
    return compiled.refinement === undefined ? pages : refinePages(pages, compiled.refinement, this.universe);
  }

  async *dataIds(spec: QuerySpec): AsyncIterable<DataCoordinate[]> {
    const read = dataIdReader(
      this.universe.conform(spec.result.kind === "dataIds" ? spec.result.dimensions : []),
    );
    for await (const page of this.#pages(spec)) yield page.map(read);
  }

  async *datasets(spec: QuerySpec): AsyncIterable<DatasetRef[]> {
    if (spec.result.kind !== "datasets") throw new TypeError("not a dataset query");
    const type = (await this.#parts.datasetTypes.get(spec.result.datasetType)).datasetType;
    const read = dataIdReader(type.dimensions);
    for await (const page of this.#pages(spec))
      yield page.map((row) => this.#datasetRef(type, read(row), row));
  }

  /** The dataset a row holds. @throws {CalibrationLookupError} when the row says its search was ambiguous. */
  #datasetRef(type: DatasetType, dataId: DataCoordinate, row: SqlRow): DatasetRef {
    const { decodeUuid } = this.#parts.db.dialect;
    const ambiguousIn = row[AMBIGUOUS_COLUMNS.collection];
    if (ambiguousIn !== null && ambiguousIn !== undefined) {
      const collection = this.#parts.collections.byId(Number(ambiguousIn)).name;
      const [first, last] = [row[AMBIGUOUS_COLUMNS.first], row[AMBIGUOUS_COLUMNS.last]].map((id) =>
        decodeUuid(id as SqlValue),
      );
      throw new CalibrationLookupError(
        `Several datasets of type ${type.name} match ${dataId} in collection ${collection}: ${first} and ${last} are both valid for the query's rows`,
        {
          hint: `Constrain the search by time: add an exposure or visit to the query, or \`${type.name}.timespan OVERLAPS T'...'\` to the where expression.`,
        },
      );
    }
    return new DatasetRef(
      decodeUuid(row[DATASET_ID_COLUMN] as SqlValue),
      type,
      dataId,
      String(row[DATASET_RUN_COLUMN]),
    );
  }

  async *dimensionRecords(spec: QuerySpec): AsyncIterable<DimensionRecord[]> {
    if (spec.result.kind !== "dimensionRecords") throw new TypeError("not a dimension record query");
    const codec = new RecordCodec(this.universe.element(spec.result.element), this.#parts.db.dialect);
    for await (const page of this.#pages(spec)) yield page.map((row) => codec.fromRow(row));
  }

  async count(spec: QuerySpec): Promise<number> {
    const { compiled } = await this.prepare(spec);
    if (compiled.refinement !== undefined) {
      // Exact: every candidate is refined and counted (unordered, as order does not change the count).
      let total = 0;
      for await (const page of this.#rows(compiled, compiled.unorderedSql, compiled.unorderedParams))
        total += page.length;
      return total;
    }
    const [row] = await this.#parts.db.query(
      `SELECT count(*) AS n FROM (${compiled.unorderedSql}) AS counted`,
      compiled.unorderedParams,
    );
    const total = Number(row?.n ?? 0);
    const offset = spec.result.offset ?? 0;
    return Math.max(0, Math.min(spec.result.limit ?? Number.POSITIVE_INFINITY, total - offset));
  }

  async any(spec: QuerySpec): Promise<boolean> {
    if (spec.result.limit === 0) return false;
    const { compiled } = await this.prepare(spec);
    if (compiled.refinement !== undefined) {
      for await (const page of this.#rows(compiled, compiled.unorderedSql, compiled.unorderedParams))
        if (page.length > 0) return true;
      return false;
    }
    const p = this.#parts.db.dialect.placeholder;
    const offset = spec.result.offset ?? 0;
    const rows = await this.#parts.db.query(
      `SELECT 1 AS one FROM (${compiled.unorderedSql}) AS q LIMIT 1 OFFSET ${p(compiled.unorderedParams.length + 1)}`,
      [...compiled.unorderedParams, offset],
    );
    return rows.length > 0;
  }

  explainNoResults(spec: QuerySpec): Promise<string[]> {
    return explainNoResults(spec, this);
  }
}
