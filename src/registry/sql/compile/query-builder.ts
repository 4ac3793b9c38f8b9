import type { SkyPixDimension } from "../../../dimensions/elements.ts";
import type { DimensionGroup } from "../../../dimensions/group.ts";
import type { DimensionUniverse } from "../../../dimensions/universe.ts";
import { UnimplementedQueryError } from "../../../errors.ts";
import type { ColumnReference, ColumnType } from "../../../query/tree/expressions.ts";
import type { DatasetSearch } from "../../../query/tree/query-tree.ts";
import { TAI_MAX_NS, TAI_MIN_NS } from "../../../time/tai-range.ts";
import type { SqlDialect } from "../database.ts";
import type { CollectionRecord } from "../managers/collections.ts";
import type { DatasetTypeRecord } from "../managers/dataset-types.ts";
import type { ValueSql } from "./expression-sql.ts";
import { QueryJoins } from "./query-joins.ts";
import { ParameterList } from "./sql-fragment.ts";

/** What the compiler needs to know about the repository. */
export interface CompileContext {
  readonly universe: DimensionUniverse;
  readonly dialect: SqlDialect;
  /** Registered dataset types by name (every type the query names). */
  readonly datasetTypes: ReadonlyMap<string, DatasetTypeRecord>;
  /** For each dataset search: the collections to search, flattened, in order. */
  readonly searchPaths: ReadonlyMap<string, readonly CollectionRecord[]>;
  /** The repository's fine skypix level, if it has one: region literals are looked up at that level. */
  readonly fineSkyPix?: SkyPixDimension;
}

/** The record of a dataset type the query names. @throws {TypeError} when it was not resolved. */
export function typeOf(name: string, context: CompileContext): DatasetTypeRecord {
  const record = context.datasetTypes.get(name);
  if (record === undefined) throw new TypeError(`dataset type ${name} was not resolved`);
  return record;
}

/** The parts of a query's FROM clause and how its columns are read. */
export class QueryBuilder {
  readonly params: ParameterList;
  readonly joins: QueryJoins;
  readonly #context: CompileContext;
  readonly #datasets = new Map<string, string>();
  readonly #collectionJoins: string[] = [];

  constructor(context: CompileContext) {
    this.#context = context;
    this.params = new ParameterList(context.dialect);
    this.joins = new QueryJoins(context.dialect);
  }

  joinDataset(search: DatasetSearch, needsIngestDate: boolean): void {
    const type = typeOf(search.datasetType, this.#context);
    const alias = this.joins.newAlias("d");
    const relation = datasetRelation(search, type, this.#context, this.params, needsIngestDate);
    this.joins.join(relation, alias, new Map(type.datasetType.dimensions.required.map((d) => [d, d])));
    this.#datasets.set(search.datasetType, alias);
  }

  datasetAlias(name: string): string {
    const alias = this.#datasets.get(name);
    if (alias === undefined) throw new TypeError(`dataset type ${name} is not part of the query`);
    return alias;
  }

  get datasetAliases(): ReadonlyMap<string, string> {
    return this.#datasets;
  }

  /** The name of the collection a dataset column (`run_id` or `collection_id`) points to. */
  collectionName(datasetType: string, which: "run_id" | "collection_id"): string {
    const dataset = this.datasetAlias(datasetType);
    const alias = `${dataset}_${which === "run_id" ? "run" : "in"}`;
    const join = `JOIN collection AS ${alias} ON ${alias}.collection_id = ${dataset}.${which}`;
    if (!this.#collectionJoins.includes(join)) this.#collectionJoins.push(join);
    return `${alias}.name`;
  }

  /** SQL of a dimension's value. @throws {UnimplementedQueryError} when no joined table has it. */
  key(dimension: string): string {
    const key = this.joins.key(dimension);
    if (key === undefined)
      throw new UnimplementedQueryError(`Cannot find values for dimension "${dimension}" in this query`);
    return key;
  }

  column(reference: ColumnReference, type: ColumnType): ValueSql {
    const { dialect } = this.#context;
    if (reference.kind === "key") return { scalar: this.key(reference.dimension) };
    if (reference.kind === "field") {
      const alias = this.joins.alias(reference.element);
      if (alias === undefined) throw new TypeError(`element ${reference.element} is not joined`);
      if (type === "timespan") return dialect.timespanBounds(alias, reference.field);
      return { scalar: `${alias}.${dialect.quote(reference.field)}` };
    }
    const alias = this.datasetAlias(reference.datasetType);
    switch (reference.field) {
      case "dataset_id":
      case "ingest_date":
        return { scalar: `${alias}.${reference.field}` };
      case "run":
        return { scalar: this.collectionName(reference.datasetType, "run_id") };
      case "collection":
        return { scalar: this.collectionName(reference.datasetType, "collection_id") };
      case "timespan":
        return { begin: `${alias}.timespan_begin`, end: `${alias}.timespan_end` };
    }
  }

  from(conditions: readonly string[]): string {
    const { from, conditions: joinConditions } = this.joins.render();
    const where = [...joinConditions, ...conditions];
    const collections = this.#collectionJoins.length > 0 ? ` ${this.#collectionJoins.join(" ")}` : "";
    return `FROM ${from}${collections}${where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""}`;
  }
}

/** A dataset search as a subquery: its rows in each searched collection, with the collection's rank. */
function datasetRelation(
  search: DatasetSearch,
  type: DatasetTypeRecord,
  context: CompileContext,
  params: ParameterList,
  needsIngestDate: boolean,
): string {
  const quote = context.dialect.quote;
  // Select-list values: typed, or PostgreSQL reads them as text (and would sort ranks as strings).
  const bigint = (value: bigint | number) => context.dialect.typedParameter(params.add(value), "bigint");
  const path = context.searchPaths.get(search.datasetType) ?? [];
  const dims = type.datasetType.dimensions.required.map((d) => `t.${quote(d)}`).join(", ");
  const rank = (collections: readonly CollectionRecord[]) =>
    collections.length === 0
      ? "0"
      : `CASE t.collection_id ${collections.map((c) => `WHEN ${params.add(c.id)} THEN ${bigint(path.indexOf(c))}`).join(" ")} END`;
  const tagged = path.filter((c) => c.type === "RUN" || c.type === "TAGGED");
  const calibrations = type.calibTable === null ? [] : path.filter((c) => c.type === "CALIBRATION");
  const parts: string[] = [];
  if (tagged.length > 0 || calibrations.length === 0) {
    const ids = tagged.length === 0 ? "NULL" : tagged.map((c) => params.add(c.id)).join(", ");
    // In a RUN the collection is the run: the dataset table (a random lookup per row) is only read for
    // TAGGED collections or the ingest date.
    const readsDataset = needsIngestDate || tagged.some((c) => c.type === "TAGGED");
    const runAndDate = readsDataset
      ? "d.run_id, d.ingest_date"
      : "t.collection_id AS run_id, NULL AS ingest_date";
    const join = readsDataset ? " JOIN dataset AS d ON d.id = t.dataset_id" : "";
    parts.push(
      `SELECT t.dataset_id, t.collection_id, ${runAndDate}, ${dims}, ${bigint(TAI_MIN_NS)} AS timespan_begin, ${bigint(TAI_MAX_NS)} AS timespan_end, ${rank(tagged)} AS rank FROM ${quote(type.tagTable)} AS t${join} WHERE t.dataset_type_id = ${params.add(type.id)} AND t.collection_id IN (${ids})`,
    );
  }
  if (calibrations.length > 0) {
    const { begin, end } = context.dialect.timespanBounds("t", "timespan");
    parts.push(
      `SELECT t.dataset_id, t.collection_id, d.run_id, d.ingest_date, ${dims}, ${begin} AS timespan_begin, ${end} AS timespan_end, ${rank(calibrations)} AS rank FROM ${quote(type.calibTable as string)} AS t JOIN dataset AS d ON d.id = t.dataset_id WHERE t.dataset_type_id = ${params.add(type.id)} AND t.collection_id IN (${calibrations.map((c) => params.add(c.id)).join(", ")})`,
    );
  }
  return `(${parts.join(" UNION ALL ")})`;
}

/**
 * daf_butler's automatic validity-range join: a search that includes CALIBRATION collections, in a
 * query with a temporal dimension (exposure, visit), only matches certifications valid at that time.
 */
export function calibrationJoins(
  group: DimensionGroup,
  builder: QueryBuilder,
  context: CompileContext,
): string[] {
  const searches = [...builder.datasetAliases].filter(
    ([name]) =>
      context.datasetTypes.get(name)?.calibTable !== null &&
      (context.searchPaths.get(name) ?? []).some((c) => c.type === "CALIBRATION"),
  );
  const temporal = group.temporal[0]?.choose(group);
  if (temporal === undefined || searches.length === 0) return [];
  const alias = builder.joins.joinElement(temporal);
  const { begin, end } = context.dialect.timespanBounds(alias, "timespan");
  return searches.map(
    ([, dataset]) => `(${dataset}.timespan_end > ${begin} AND ${end} > ${dataset}.timespan_begin)`,
  );
}
