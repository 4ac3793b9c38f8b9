import type { DimensionElement } from "../../../dimensions/elements.ts";
import type { DimensionGroup } from "../../../dimensions/group.ts";
import { InvalidQueryError } from "../../../errors.ts";
import {
  and,
  type ColumnReference,
  type ColumnType,
  columnsOfPredicate,
  columnsOfValue,
} from "../../../query/tree/expressions.ts";
import type { QuerySpec } from "../../../query/tree/query-tree.ts";
import type { SqlValue } from "../database.ts";
import { ExpressionCompiler, type ValueSql } from "./expression-sql.ts";
import { type CompileContext, calibrationJoins, QueryBuilder, typeOf } from "./query-builder.ts";
import type { Refinement, RefineTest } from "./refinement.ts";
import { planSpatialJoins, skyPixSources } from "./spatial-joins.ts";
import { SpatialSql } from "./spatial-sql.ts";

export type { CompileContext } from "./query-builder.ts";

/** A query as SQL: text, parameters, and what its output columns are. */
export interface CompiledQuery {
  readonly sql: string;
  readonly params: readonly SqlValue[];
  /** The same rows without ORDER BY, LIMIT and OFFSET (to count them or test for any). */
  readonly unorderedSql: string;
  readonly unorderedParams: readonly SqlValue[];
  /** Rows hold TAI-ns columns and must be read with bigints. */
  readonly bigints: boolean;
  /** The dimensions of the query's rows. */
  readonly dimensions: DimensionGroup;
  /** The dimensions whose keys (`k_<name>`) each output row holds. */
  readonly outputDimensions: DimensionGroup;
  /** Rows carry the {@link AMBIGUOUS_COLUMNS}. */
  readonly findFirst: boolean;
  /**
   * The exact tests rows must pass after SQL, when the query has spatial joins or constraints (SQL then
   * returns candidates, and LIMIT and OFFSET are left to the refinement).
   */
  readonly refinement?: Refinement;
}

/** Output column of a data ID key (`k_visit`). */
export const keyColumn = (dimension: string) => `k_${dimension}`;
/** Output column of a record field: the field's own name (a timespan as the dialect stores it). */
export const recordColumn = (field: string) => field;

/** The dimensions a query spans: asked for, searched datasets', and those of every referenced element. */
export function queryDimensions(spec: QuerySpec, context: CompileContext): DimensionGroup {
  const names = new Set(spec.tree.dimensions);
  for (const search of spec.tree.datasets)
    for (const d of typeOf(search.datasetType, context).datasetType.dimensions.names) names.add(d);
  if (spec.result.kind === "dimensionRecords")
    for (const d of context.universe.element(spec.result.element).required) names.add(d.name);
  if (spec.result.kind === "dataIds") for (const d of spec.result.dimensions) names.add(d);
  for (const column of referencedColumns(spec)) {
    if (column.kind === "key") names.add(column.dimension);
    if (column.kind === "field")
      for (const d of context.universe.element(column.element).required) names.add(d.name);
  }
  return context.universe.conform(names);
}

function referencedColumns(spec: QuerySpec): ColumnReference[] {
  return [
    ...columnsOfPredicate(spec.tree.predicate),
    ...spec.result.orderBy.flatMap((o) => columnsOfValue(o.value)),
  ];
}

/**
 * Compile a query to one SELECT: dimension tables joined on shared keys, dataset searches as
 * subqueries over the tags (and calibs) tables with each collection's rank, the predicate with bound
 * parameters, and for a find-first dataset result a window function keeping the first collection's rows
 * per data ID of the result (with the first and last dataset ID there, so an ambiguous calibration
 * shows). Rows are distinct over the result's columns; ordered only when the spec asks.
 * Spatial joins and region constraints narrow rows to candidates through the common skypix overlap
 * tables; the result's `refinement` holds the exact tests left to run on them.
 * @throws {UnimplementedQueryError} for joins with a skypix dimension other than the common one.
 * @throws {InvalidQueryError} for a skypix dimension without a region to take its values from, and the
 *   errors of {@link planSpatialJoins}.
 * @throws {InvalidQueryError} when ORDER BY names a column the result does not have, or the query
 *   binds more values than a statement takes.
 */
export function compileQuery(spec: QuerySpec, context: CompileContext): CompiledQuery {
  const { universe, dialect } = context;
  const quote = dialect.quote;
  const group = queryDimensions(spec, context);
  const plan = planSpatialJoins(
    group,
    spec.tree.predicate,
    spec.tree.datasets.map((s) => typeOf(s.datasetType, context).datasetType.dimensions),
  );
  const sources = skyPixSources(
    group,
    plan,
    spec.tree.datasets.flatMap((s) => typeOf(s.datasetType, context).datasetType.dimensions.names),
  );
  const output = resultDimensions(spec, context);
  checkOrderable(spec, output);
  const builder = new QueryBuilder(context);
  const referenced = referencedColumns(spec);
  for (const search of spec.tree.datasets) {
    const ingestDate = referenced.some(
      (c) => c.kind === "dataset" && c.datasetType === search.datasetType && c.field === "ingest_date",
    );
    builder.joinDataset(search, ingestDate);
  }
  const elements = new Set<DimensionElement>();
  for (const column of referenced)
    if (column.kind === "field") elements.add(universe.element(column.element));
  for (const join of plan.joins) for (const element of join) elements.add(element);
  for (const source of sources.expanded.values()) if (typeof source !== "string") elements.add(source);
  const recordElement =
    spec.result.kind === "dimensionRecords" ? universe.element(spec.result.element) : undefined;
  if (recordElement?.hasOwnTable) elements.add(recordElement);
  // Keys someone reads: the result's, the predicate's and ORDER BY's, and those of the record element.
  const needed = new Set([...group.required, ...output.dataCoordinateKeys]);
  for (const column of referenced) if (column.kind === "key") needed.add(column.dimension);
  for (const d of recordElement?.dimensions ?? []) needed.add(d.name);
  const extraColumns: [string, string][] = [];
  const spatial = new SpatialSql({
    universe,
    dialect,
    params: builder.params,
    key: (d) => builder.key(d),
    alias: (e) => builder.joins.alias(e) ?? builder.joins.joinElement(universe.element(e)),
    select: (sql, name) => {
      extraColumns.push([sql, name]);
      return name;
    },
    expanded: new Map([...sources.expanded.keys()].map((d) => [d, keyColumn(d)])),
    ...(context.fineSkyPix === undefined ? {} : { fineSkyPix: context.fineSkyPix }),
  });
  // The overlapping pairs first: the element tables are then looked up by key, not crossed.
  for (const join of sources.sqlJoins) {
    const { relation, columns } = spatial.joinRelation(join);
    builder.joins.join(relation, builder.joins.newAlias("sp"), columns);
  }
  builder.joins.cover(
    group,
    [...elements].filter((e) => e.hasOwnTable),
    needed,
  );
  const conditions = calibrationJoins(group, builder, context);
  const expressions = new ExpressionCompiler(dialect, builder.params, {
    column: (r, t) => builder.column(r, t),
    regionOverlap: (left, right, positive) => spatial.candidate(left, right, positive),
  });
  const expansions = [...sources.expanded].map(([dimension, source]) => ({
    dimension,
    column: keyColumn(dimension),
    source: spatial.expansionSource(source),
  }));
  const tests = sources.sqlJoins.map((join) => spatial.joinTest(join));
  const terms = plan.predicate.kind === "and" ? plan.predicate.operands : [plan.predicate];
  const plain = expressions.predicate(and(...terms.filter((t) => !spatial.refines(t))));
  if (plain !== "1 = 1") conditions.push(plain);
  for (const term of terms.filter((t) => spatial.refines(t))) {
    // Terms on generated skypix values have no SQL: only the refinement can tell.
    if (!spatial.readsExpanded(term)) conditions.push(expressions.predicate(term));
    tests.push(spatial.test(term, (p) => expressions.predicate(p)));
  }

  const columns: string[] = [];
  const select: string[] = [];
  const add = (sql: string, name: string) => {
    select.push(`${sql} AS ${quote(name)}`);
    columns.push(quote(name));
  };
  for (const d of output.dataCoordinateKeys) if (!sources.expanded.has(d)) add(builder.key(d), keyColumn(d));
  let bigints = false;
  if (recordElement !== undefined) {
    for (const field of recordElement.recordFields) {
      const value = recordValue(builder, recordElement, field);
      if ("begin" in value) {
        // The stored columns, as the record codec decodes them.
        const alias = builder.joins.alias(recordElement.name);
        for (const column of dialect.timespanColumns(field))
          add(`${alias}.${quote(column)}`, recordColumn(column));
        bigints = true;
      } else {
        add(value.scalar, recordColumn(field));
      }
    }
  }
  let datasetAlias: string | undefined;
  if (spec.result.kind === "datasets") {
    datasetAlias = builder.datasetAlias(spec.result.datasetType);
    add(`${datasetAlias}.dataset_id`, DATASET_ID_COLUMN);
    add(builder.collectionName(spec.result.datasetType, "run_id"), DATASET_RUN_COLUMN);
  }
  for (const [sql, name] of extraColumns) add(sql, name);
  const order = spec.result.orderBy.map((term, i) => {
    add(expressions.scalar(term.value), `o_${i}`);
    if (isTime(term.value.type)) bigints = true;
    return `${quote(`o_${i}`)}${term.descending ? " DESC" : ""}`;
  });
  // A row must select something, even when the result has no columns (a query without dimensions).
  if (select.length === 0) add("1", "_empty");
  const body = builder.from(conditions);
  const refined = tests.length > 0 || expansions.length > 0;
  let sql: string;
  const findFirst = datasetAlias !== undefined && spec.result.kind === "datasets" && spec.result.findFirst;
  if (findFirst && datasetAlias !== undefined) {
    // One dataset per data ID of the result, as daf_butler: dimensions the query only constrains
    // (a visit in the `where`) must not split the search into one winner per visit.
    const partition = output.required.map((d) => builder.key(d));
    const window = partition.length > 0 ? `PARTITION BY ${partition.join(", ")}` : "";
    const ranked = [
      ...select,
      // Refined rows keep every candidate of the first collection: refinement may drop some of them.
      `${refined ? "RANK()" : "ROW_NUMBER()"} OVER (${window} ORDER BY ${datasetAlias}.rank) AS _rownum`,
      `MIN(${dialect.uuidAggregateOperand(`${datasetAlias}.dataset_id`)}) OVER (${window}${window === "" ? "PARTITION BY" : ","} ${datasetAlias}.rank) AS _first_id`,
      `MAX(${dialect.uuidAggregateOperand(`${datasetAlias}.dataset_id`)}) OVER (${window}${window === "" ? "PARTITION BY" : ","} ${datasetAlias}.rank) AS _last_id`,
      `${datasetAlias}.collection_id AS _collection_id`,
    ];
    const ambiguous = [
      `CASE WHEN _first_id <> _last_id THEN _collection_id END AS ${AMBIGUOUS_COLUMNS.collection}`,
      `CASE WHEN _first_id <> _last_id THEN _first_id END AS ${AMBIGUOUS_COLUMNS.first}`,
      `CASE WHEN _first_id <> _last_id THEN _last_id END AS ${AMBIGUOUS_COLUMNS.last}`,
    ];
    // One row per partition, and the partition is the result's data ID: already distinct.
    sql = `SELECT ${columns.join(", ")}, ${ambiguous.join(", ")} FROM (SELECT ${ranked.join(", ")} ${body}) AS ranked WHERE _rownum = 1`;
  } else {
    sql = `SELECT ${rowsAreDistinct(spec, group, output) ? "" : "DISTINCT "}${select.join(", ")} ${body}`;
  }
  if (builder.params.values.length > MAX_BOUND_VALUES) {
    throw new InvalidQueryError(
      `This query needs ${builder.params.values.length} bound values; a database statement takes at most ${MAX_BOUND_VALUES}`,
      { hint: "Split long IN lists (or bound lists) over several queries." },
    );
  }
  const unorderedParams = [...builder.params.values];
  let tail = order.length > 0 ? ` ORDER BY ${order.join(", ")}` : "";
  // Paging applies to refined rows, so it waits for the refinement.
  if (spec.result.limit !== undefined && !refined) tail += ` LIMIT ${builder.params.add(spec.result.limit)}`;
  if (spec.result.offset !== undefined && spec.result.offset > 0 && !refined) {
    tail += `${spec.result.limit === undefined ? dialect.noLimit : ""} OFFSET ${builder.params.add(spec.result.offset)}`;
  }
  return {
    sql: `${sql}${tail}`,
    params: builder.params.values,
    unorderedSql: sql,
    unorderedParams,
    bigints,
    dimensions: group,
    outputDimensions: output,
    findFirst,
    ...(refined
      ? {
          refinement: {
            ...(expansions.length > 0 ? { expansions } : {}),
            test: tests.length === 1 ? (tests[0] as RefineTest) : { kind: "and", operands: tests },
            ...(keepsEveryDimension(spec, group, output)
              ? {}
              : { distinct: identifyingColumns(spec, output, recordElement) }),
            ...(spec.result.limit !== undefined ? { limit: spec.result.limit } : {}),
            ...(spec.result.offset !== undefined ? { offset: spec.result.offset } : {}),
          },
        }
      : {}),
  };
}

/**
 * Columns that tell result rows apart when candidate rows can repeat one (a row per overlapping visit
 * of a tract-only result): the data ID keys, the record's keys or the dataset ID.
 */
function identifyingColumns(
  spec: QuerySpec,
  output: DimensionGroup,
  recordElement: DimensionElement | undefined,
): string[] {
  if (spec.result.kind === "datasets") return [DATASET_ID_COLUMN];
  if (recordElement !== undefined)
    return recordElement.required.map((d) => recordColumn(recordElement.keyField(d.name) as string));
  return output.required.map(keyColumn);
}

/**
 * Most values one statement may bind: SQLite's limit (32766) less room for the LIMIT, OFFSET and the
 * wrappers of `count()` and `any()`; PostgreSQL takes 65535.
 */
const MAX_BOUND_VALUES = 32_000;

/** Output column of a dataset's ID. */
export const DATASET_ID_COLUMN = "ds_id";
/** Output column of a dataset's RUN name. */
export const DATASET_RUN_COLUMN = "ds_run";
/**
 * Output columns of a find-first search, NULL unless the winning collection holds several datasets for
 * one data ID: that collection's ID and the smallest and largest of those dataset IDs.
 */
export const AMBIGUOUS_COLUMNS = Object.freeze({
  collection: "ds_ambiguous_in",
  first: "ds_ambiguous_first",
  last: "ds_ambiguous_last",
});

function isTime(type: ColumnType): boolean {
  return type === "datetime" || type === "ingest_date";
}

/** The SQL of one field of a record result: a key from wherever the query has it, else the element's column. */
function recordValue(builder: QueryBuilder, element: DimensionElement, field: string): ValueSql {
  const dimension = element.dimensions.find((d) => element.keyField(d.name) === field);
  if (dimension !== undefined) return { scalar: builder.key(dimension.name) };
  return builder.column(
    { kind: "field", element: element.name, field },
    field === "timespan" ? "timespan" : "string",
  );
}

/**
 * Whether rows are distinct without DISTINCT (which sorts every row): true when no dataset search can
 * repeat a row and the result keeps every required dimension, since each joined dimension table has
 * one row per value of its own required dimensions.
 */
function rowsAreDistinct(spec: QuerySpec, group: DimensionGroup, output: DimensionGroup): boolean {
  return spec.tree.datasets.length === 0 && keepsEveryDimension(spec, group, output);
}

/** Whether the result's columns include every required dimension of the query (and so fix its row). */
function keepsEveryDimension(spec: QuerySpec, group: DimensionGroup, output: DimensionGroup): boolean {
  const kept = new Set(output.required);
  if (spec.result.kind === "dimensionRecords") {
    for (const d of group.universe.element(spec.result.element).required) kept.add(d.name);
  }
  return group.required.every((d) => kept.has(d));
}

/** The dimensions whose keys a result carries: the data IDs', the dataset type's, or none for records. */
function resultDimensions(spec: QuerySpec, context: CompileContext): DimensionGroup {
  switch (spec.result.kind) {
    case "dataIds":
      return context.universe.conform(spec.result.dimensions);
    case "datasets":
      return typeOf(spec.result.datasetType, context).datasetType.dimensions;
    case "dimensionRecords":
      return context.universe.conform([]);
  }
}

/** daf_butler's rule: rows are distinct over the result's columns, so ORDER BY may only use those. */
function checkOrderable(spec: QuerySpec, output: DimensionGroup): void {
  const universe = output.universe;
  const available = new Set(output.dataCoordinateKeys);
  const elements = new Set(output.elements);
  if (spec.result.kind === "dimensionRecords") {
    // As daf_butler: a record result may be ordered by anything of its element's dimensions (a visit's
    // band, through its physical_filter), not only by the element's own columns.
    const element = universe.element(spec.result.element);
    const own = universe.conform(element.dimensions.map((d) => d.name));
    for (const d of own.dataCoordinateKeys) available.add(d);
    for (const e of own.elements) elements.add(e);
    elements.add(element.name);
  }
  for (const term of spec.result.orderBy) {
    for (const column of columnsOfValue(term.value)) {
      const ok =
        column.kind === "key"
          ? available.has(column.dimension)
          : column.kind === "field"
            ? elements.has(column.element)
            : spec.result.kind === "datasets" && spec.result.datasetType === column.datasetType;
      if (ok) continue;
      const name =
        column.kind === "key"
          ? column.dimension
          : column.kind === "field"
            ? `${column.element}.${column.field}`
            : `${column.datasetType}.${column.field}`;
      throw new InvalidQueryError(`Cannot order by ${name}: it is not a column of the result`, {
        hint: `Order by the result's own dimensions and fields (${[...available].join(", ") || "none"}), or add ${name.split(".")[0]} to the result.`,
      });
    }
  }
}
