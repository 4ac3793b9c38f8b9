import type { DatasetRef } from "../datasets/dataset-ref.ts";
import type { DatasetType } from "../datasets/dataset-type.ts";
import { DataCoordinate } from "../dimensions/data-coordinate.ts";
import type { DimensionRecord } from "../dimensions/dimension-record.ts";
import type { DataIdInput } from "../dimensions/standardize-data-id.ts";
import { InvalidQueryError } from "../errors.ts";
import { buildQuery, type QueryRequest, type WhereClause } from "./build-query.ts";
import type { QueryDriver } from "./query-driver.ts";
import type { DatasetSearch, QuerySpec } from "./tree/query-tree.ts";

/** A `where` argument: an expression string, or a data ID whose values must match. */
export type WhereArgument = string | DataIdInput | DataCoordinate;

/** The constraints a query has gathered, shared by a {@link Query} and the results made from it. */
interface Constraints {
  readonly dimensions: readonly string[];
  readonly where: readonly WhereClause[];
  readonly dataId: Readonly<Record<string, unknown>>;
  readonly datasets: readonly DatasetSearch[];
}

type ResultRequest = QueryRequest["result"];

function addWhere(
  constraints: Constraints,
  condition: WhereArgument,
  bind?: Readonly<Record<string, unknown>>,
): Constraints {
  if (typeof condition === "string") {
    if (condition.trim() === "") return constraints;
    return {
      ...constraints,
      where: [
        ...constraints.where,
        bind === undefined ? { expression: condition } : { expression: condition, bind },
      ],
    };
  }
  const values =
    condition instanceof DataCoordinate
      ? condition.mapping
      : condition instanceof Map
        ? Object.fromEntries(condition)
        : condition;
  return { ...constraints, dataId: { ...constraints.dataId, ...(values as Record<string, unknown>) } };
}

function checkCollections(datasetType: string, collections: readonly string[]): readonly string[] {
  if (collections.length === 0) {
    throw new InvalidQueryError(`No collections given to search for datasets of type ${datasetType}`, {
      hint: "Pass the collections to search, in order (chains are followed).",
    });
  }
  return Object.freeze([...collections]);
}

/**
 * An immutable query under construction (daf_butler's `Query`): every method returns a new query.
 * Constraints (`where` expressions, data ID values, dataset searches, extra dimensions) are ANDed; the
 * result methods say what rows to return.
 */
export class Query {
  readonly #driver: QueryDriver;
  readonly #constraints: Constraints;

  /** @internal Made by `registry.query()`. */
  constructor(
    driver: QueryDriver,
    constraints: Constraints = { dimensions: [], where: [], dataId: {}, datasets: [] },
  ) {
    this.#driver = driver;
    this.#constraints = constraints;
  }

  /**
   * AND in a `where` expression (daf_butler's language) or a data ID (`{instrument: "HSC"}`); later data
   * ID values override earlier ones. `bind` gives the values of the expression's `:name` parameters.
   */
  where(condition: WhereArgument, bind?: Readonly<Record<string, unknown>>): Query {
    return new Query(this.#driver, addWhere(this.#constraints, condition, bind));
  }

  /** Require these dimensions in every row (normally added as needed). */
  joinDimensions(dimensions: Iterable<string>): Query {
    return new Query(this.#driver, {
      ...this.#constraints,
      dimensions: [...this.#constraints.dimensions, ...dimensions],
    });
  }

  /**
   * Keep only rows for which a dataset of this type exists in the collections; its fields
   * (`bias.run`, `bias.timespan`...) become usable in `where`.
   * @throws {InvalidQueryError} when the type is already searched in other collections, or no collection is given.
   */
  joinDatasetSearch(datasetType: string, collections: readonly string[]): Query {
    const existing = this.#constraints.datasets.find((s) => s.datasetType === datasetType);
    const searched = checkCollections(datasetType, collections);
    if (existing !== undefined) {
      if (existing.collections.join("\0") === searched.join("\0")) return this;
      throw new InvalidQueryError(
        `Dataset type ${datasetType} is already searched in other collections (${existing.collections.join(", ")})`,
        {
          hint: "Search each dataset type in one list of collections.",
        },
      );
    }
    return new Query(this.#driver, {
      ...this.#constraints,
      datasets: [...this.#constraints.datasets, { datasetType, collections: searched }],
    });
  }

  /** Data IDs of these dimensions (full: implied values filled in). */
  dataIds(dimensions: Iterable<string>): DataIdQueryResults {
    return new QueryResults(
      this.#driver,
      this.#constraints,
      { kind: "dataIds", dimensions: [...dimensions] },
      {},
      (d, s) => d.dataIds(s),
    );
  }

  /**
   * Datasets of one type in the collections, in order. With `findFirst` (the default, as in daf_butler's
   * query API) only the dataset from the first collection holding one is returned for each data ID.
   * @throws {InvalidQueryError} when no collection is given.
   */
  datasets(
    datasetType: string,
    collections: readonly string[],
    options: { findFirst?: boolean } = {},
  ): DatasetQueryResults {
    const result = {
      kind: "datasets" as const,
      datasetType,
      collections: checkCollections(datasetType, collections),
      findFirst: options.findFirst ?? true,
    };
    return new QueryResults(this.#driver, this.#constraints, result, {}, (d, s) => d.datasets(s));
  }

  /** Records of one dimension element (`detector`, `visit`...). */
  dimensionRecords(element: string): DimensionRecordQueryResults {
    return new QueryResults(
      this.#driver,
      this.#constraints,
      { kind: "dimensionRecords", element },
      {},
      (d, s) => d.dimensionRecords(s),
    );
  }

  /** Whether any data ID satisfies the constraints. */
  any(): Promise<boolean> {
    return this.dataIds([]).any();
  }

  /** Why no data ID satisfies the constraints (empty when some do). */
  explainNoResults(): Promise<string[]> {
    return this.dataIds([]).explainNoResults();
  }
}

interface Paging {
  readonly orderBy?: readonly string[];
  readonly limit?: number;
  readonly offset?: number;
}

type Fetch<T> = (driver: QueryDriver, spec: QuerySpec) => AsyncIterable<T[]>;

/**
 * The rows of a query: iterate them (streamed, never all in memory), count them, or ask why there are
 * none. Immutable like {@link Query}: `orderBy`, `limit` and `where` return new results.
 */
export class QueryResults<T> implements AsyncIterable<T> {
  readonly #driver: QueryDriver;
  readonly #constraints: Constraints;
  readonly #result: ResultRequest;
  readonly #paging: Paging;
  readonly #fetch: Fetch<T>;

  /** @internal Made by {@link Query}. */
  constructor(
    driver: QueryDriver,
    constraints: Constraints,
    result: ResultRequest,
    paging: Paging,
    fetch: Fetch<T>,
  ) {
    this.#driver = driver;
    this.#constraints = constraints;
    this.#result = result;
    this.#paging = paging;
    this.#fetch = fetch;
  }

  #with(changes: { constraints?: Constraints; paging?: Paging }): QueryResults<T> {
    return new QueryResults(
      this.#driver,
      changes.constraints ?? this.#constraints,
      this.#result,
      changes.paging ?? this.#paging,
      this.#fetch,
    );
  }

  /** More constraints, as {@link Query.where}. */
  where(condition: WhereArgument, bind?: Readonly<Record<string, unknown>>): QueryResults<T> {
    return this.#with({ constraints: addWhere(this.#constraints, condition, bind) });
  }

  /** Sort by dimensions or fields (`visit`, `-detector`, `visit.timespan.begin`, `exposure_time`); `-` descends. */
  orderBy(...terms: string[]): QueryResults<T> {
    return this.#with({
      paging: {
        ...this.#paging,
        orderBy: terms
          .flatMap((t) => t.split(","))
          .map((t) => t.trim())
          .filter((t) => t !== ""),
      },
    });
  }

  /**
   * At most `limit` rows (all when undefined), after skipping `offset`.
   * @throws {InvalidQueryError} for a negative or fractional limit or offset.
   */
  limit(limit: number | undefined, offset = 0): QueryResults<T> {
    for (const [name, value] of [
      ["limit", limit],
      ["offset", offset],
    ] as const) {
      if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
        throw new InvalidQueryError(`Query ${name} must be a non-negative integer, not ${value}`);
      }
    }
    return this.#with({ paging: { ...this.#paging, limit, offset } });
  }

  /** The dataset type of a dataset result. */
  get datasetType(): string | undefined {
    return this.#result.kind === "datasets" ? this.#result.datasetType : undefined;
  }

  /**
   * The resolved, serializable spec this result runs.
   * @throws {InvalidQueryError} for a malformed expression or ORDER BY term.
   * @throws {MissingDatasetTypeError} for an unknown dataset type.
   */
  async spec(): Promise<QuerySpec> {
    const names = new Set(this.#constraints.datasets.map((s) => s.datasetType));
    if (this.#result.kind === "datasets") names.add(this.#result.datasetType);
    const types = new Map<string, DatasetType>();
    for (const name of names) types.set(name, await this.#driver.datasetType(name));
    const { orderBy, limit, offset } = this.#paging;
    return buildQuery(this.#driver.universe, types, {
      dimensions: this.#constraints.dimensions,
      where: this.#constraints.where,
      dataId: this.#constraints.dataId,
      datasets: this.#constraints.datasets,
      result: this.#result,
      ...(orderBy !== undefined ? { orderBy } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(offset !== undefined && offset > 0 ? { offset } : {}),
    });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const page of this.pages()) yield* page;
  }

  /** The rows in pages (arrays of up to about a thousand): the fastest way to stream a large result. */
  async *pages(): AsyncIterable<T[]> {
    yield* this.#fetch(this.#driver, await this.spec());
  }

  /** Every row, in an array. */
  async toArray(): Promise<T[]> {
    const rows: T[] = [];
    for await (const page of this.pages()) for (const row of page) rows.push(row);
    return rows;
  }

  /** Exact number of rows (limit and offset applied). */
  async count(): Promise<number> {
    return this.#driver.count(await this.spec());
  }

  /** Whether there is at least one row. */
  async any(): Promise<boolean> {
    return this.#driver.any(await this.spec());
  }

  /** Why there are no rows: the collection, dataset type or `where` term that rules them out. */
  async explainNoResults(): Promise<string[]> {
    return this.#driver.explainNoResults(await this.spec());
  }
}

/** Data ID results. */
export type DataIdQueryResults = QueryResults<DataCoordinate>;
/** Dataset results. */
export type DatasetQueryResults = QueryResults<DatasetRef>;
/** Dimension record results. */
export type DimensionRecordQueryResults = QueryResults<DimensionRecord>;
