import type { DatasetType } from "../datasets/dataset-type.ts";
import { splitField } from "../dimensions/data-coordinate.ts";
import { type DataIdInput, standardizeDataId } from "../dimensions/standardize-data-id.ts";
import type { DimensionUniverse } from "../dimensions/universe.ts";
import { InvalidQueryError } from "../errors.ts";
import type { Expression } from "./language/ast.ts";
import { parseExpression } from "./language/parser.ts";
import { fieldType, IdentifierProblem, resolveIdentifier } from "./resolve-identifier.ts";
import { resolveWhere } from "./resolve-where.ts";
import { constrainedValues } from "./tree/constrained-values.ts";
import {
  and,
  type ColumnReference,
  type ColumnType,
  type Predicate,
  type ValueExpression,
} from "./tree/expressions.ts";
import type { DatasetSearch, OrderTerm, QuerySpec, ResultSpec } from "./tree/query-tree.ts";

/** A `where` expression with its bind values. */
export interface WhereClause {
  readonly expression: string;
  readonly bind?: Readonly<Record<string, unknown>>;
}

/** Everything a caller asks of a query, before resolution. */
export interface QueryRequest {
  /** Dimensions the rows must have (beyond what the result needs). */
  readonly dimensions?: readonly string[];
  readonly where?: readonly WhereClause[];
  /** Data ID constraints (`{instrument: "HSC", exposure.obs_id: "..."}`): equalities. */
  readonly dataId?: DataIdInput;
  /** Dataset searches joined into the query. */
  readonly datasets?: readonly DatasetSearch[];
  /** What to return. */
  readonly result:
    | { readonly kind: "dataIds"; readonly dimensions: readonly string[] }
    | { readonly kind: "dimensionRecords"; readonly element: string }
    | {
        readonly kind: "datasets";
        readonly datasetType: string;
        readonly collections: readonly string[];
        readonly findFirst: boolean;
      };
  /** `visit`, `-detector`, `visit.timespan.begin`, `exposure_time`... */
  readonly orderBy?: readonly string[];
  readonly limit?: number;
  readonly offset?: number;
}

function literal(type: ColumnType, value: string | number): ValueExpression {
  return Object.freeze({ kind: "literal", type, value });
}

/**
 * Turn a query request into a frozen, serializable query spec: `where` strings parsed and resolved,
 * data ID constraints turned into equalities, ORDER BY names resolved, and daf_butler's governor rule
 * checked (a `where` that uses a dimension of an instrument or skymap must say which one).
 * @throws {InvalidQueryError} for a malformed or unresolvable expression or ORDER BY term.
 * @throws {DimensionNameError} for an unknown dimension or element.
 */
export function buildQuery(
  universe: DimensionUniverse,
  datasetTypes: ReadonlyMap<string, DatasetType>,
  request: QueryRequest,
): QuerySpec {
  const searches: DatasetSearch[] = [...(request.datasets ?? [])];
  if (
    request.result.kind === "datasets" &&
    !searches.some((s) => s.datasetType === (request.result as { datasetType: string }).datasetType)
  ) {
    searches.push({ datasetType: request.result.datasetType, collections: request.result.collections });
  }
  const dimensions = new Set(request.dimensions ?? []);
  if (request.result.kind === "dataIds") for (const d of request.result.dimensions) dimensions.add(d);
  if (request.result.kind === "dimensionRecords")
    for (const d of universe.element(request.result.element).required) dimensions.add(d.name);
  for (const search of searches) {
    const type = datasetTypes.get(search.datasetType);
    if (type === undefined) throw new TypeError(`dataset type ${search.datasetType} was not looked up`);
    for (const d of type.dimensions.names) dimensions.add(d);
  }
  const scopeTypes = new Map(
    searches.map((s) => [s.datasetType, datasetTypes.get(s.datasetType) as DatasetType]),
  );
  const scope = { universe, dimensions: universe.conform(dimensions), datasetTypes: scopeTypes };
  const predicates: Predicate[] = [];
  const whereDimensions = new Set<string>();
  for (const clause of request.where ?? []) {
    const tree = parseExpression(clause.expression);
    checkDepth(clause.expression, tree);
    const resolved = resolveWhere(clause.expression, tree, scope, clause.bind);
    predicates.push(resolved.predicate);
    for (const d of resolved.dimensions) whereDimensions.add(d);
  }
  const constraint = dataIdPredicates(universe, request.dataId);
  checkGovernors(
    universe,
    whereDimensions,
    and(...predicates, ...constraint.predicates),
    constraint.governors,
    request.where ?? [],
  );
  for (const d of [...whereDimensions, ...constraint.dimensions]) dimensions.add(d);
  const finalScope = { ...scope, dimensions: universe.conform(dimensions) };
  const orderBy = (request.orderBy ?? []).map((term) => orderTerm(term, finalScope));
  const result: ResultSpec =
    request.result.kind === "dataIds"
      ? { kind: "dataIds", dimensions: request.result.dimensions, orderBy, ...paging(request) }
      : request.result.kind === "dimensionRecords"
        ? { kind: "dimensionRecords", element: request.result.element, orderBy, ...paging(request) }
        : {
            kind: "datasets",
            datasetType: request.result.datasetType,
            findFirst: request.result.findFirst,
            orderBy,
            ...paging(request),
          };
  return Object.freeze({
    tree: Object.freeze({
      dimensions: [...dimensions],
      datasets: searches,
      predicate: and(...predicates, ...constraint.predicates),
    }),
    result: Object.freeze(result),
  });
}

/**
 * Deepest nesting of an expression accepted. Resolution recurses once per level, and SQLite refuses
 * expressions over 1000 levels deep: a chain of `a OR b OR ...` is one level per OR (the parser only
 * bounds parentheses, calls and unary operators).
 */
const MAX_EXPRESSION_DEPTH = 500;

function children(node: Expression): readonly Expression[] {
  switch (node.kind) {
    case "unary":
      return [node.operand];
    case "binary":
      return [node.left, node.right];
    case "in":
      return [node.operand, ...node.items];
    case "call":
      return node.args;
    case "tuple":
      return node.items;
    default:
      return [];
  }
}

/** @throws {InvalidQueryError} when the expression nests deeper than {@link MAX_EXPRESSION_DEPTH}. */
function checkDepth(text: string, tree: Expression | undefined): void {
  const pending: [Expression, number][] = tree === undefined ? [] : [[tree, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (depth > MAX_EXPRESSION_DEPTH) {
      throw new InvalidQueryError(`Expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep`, {
        expression: text,
        span: node.span,
        hint: "Write a long list of alternatives as `x IN (a, b, ...)`, and split long sums.",
      });
    }
    for (const child of children(node)) pending.push([child, depth + 1]);
  }
}

function paging(request: QueryRequest): { limit?: number; offset?: number } {
  return {
    ...(request.limit !== undefined ? { limit: request.limit } : {}),
    ...(request.offset !== undefined ? { offset: request.offset } : {}),
  };
}

/** `column = value`, with the source text `name = value` for explanations. */
function equality(
  column: ColumnReference,
  type: ColumnType,
  value: string | number,
  name: string,
): Predicate {
  return Object.freeze({
    kind: "compare",
    operator: "=",
    left: Object.freeze({ kind: "column", column: Object.freeze(column), type }),
    right: literal(type, value),
    text: `${name} = ${typeof value === "string" ? `'${value}'` : value}`,
  });
}

/** Equality predicates for a data ID constraint, with the dimensions and governors it names. */
function dataIdPredicates(universe: DimensionUniverse, dataId: DataIdInput | undefined) {
  const result = { predicates: [] as Predicate[], dimensions: [] as string[], governors: new Set<string>() };
  if (dataId === undefined) return result;
  const coordinate = standardizeDataId(universe, dataId);
  for (const [name, value] of Object.entries(coordinate.mapping)) {
    const dimension = universe.dimension(name);
    if (dimension.isGovernor) result.governors.add(name);
    result.dimensions.push(name);
    result.predicates.push(
      equality({ kind: "key", dimension: name }, dimension.primaryKey.type, value, name),
    );
  }
  for (const [field, value] of Object.entries(coordinate.constraints)) {
    const [elementName, name] = splitField(field);
    const element = universe.element(elementName);
    result.dimensions.push(...element.required.map((d) => d.name));
    const column: ColumnReference = { kind: "field", element: elementName, field: name };
    result.predicates.push(equality(column, fieldType(element, name) ?? "string", value, field));
  }
  return result;
}

/** daf_butler's rule: a `where` using instrument's (or skymap's) dimensions must constrain it too. */
function checkGovernors(
  universe: DimensionUniverse,
  referenced: ReadonlySet<string>,
  predicate: Predicate,
  given: ReadonlySet<string>,
  where: readonly WhereClause[],
): void {
  const governors = new Set(universe.conform(referenced).governors);
  for (const governor of governors) {
    if (given.has(governor) || constrainedValues(predicate, governor) !== undefined) continue;
    const dependent = [...referenced].find(
      (d) => d !== governor && universe.dimension(d).required.some((r) => r.name === governor),
    );
    if (dependent === undefined) continue;
    throw new InvalidQueryError(
      `Query 'where' expression references a dimension dependent on ${governor} without constraining it directly.`,
      {
        expression: where.map((w) => w.expression).join(" AND "),
        hint: `${dependent} depends on ${governor}: add \`${governor} = '...'\` to the expression, or pass ${governor} in the data ID.`,
      },
    );
  }
}

function orderTerm(text: string, scope: Parameters<typeof resolveIdentifier>[1]): OrderTerm {
  const descending = text.startsWith("-");
  const name = descending ? text.slice(1) : text;
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*(\.[a-zA-Z_][a-zA-Z0-9_]*){0,2}$/.test(name)) {
    throw new InvalidQueryError(`Invalid ORDER BY term "${text}"`, {
      hint: "Use a dimension or field name, prefixed by - for descending order.",
    });
  }
  const resolved = resolveIdentifier(name.split("."), scope);
  if (resolved instanceof IdentifierProblem) {
    throw new InvalidQueryError(`${resolved.message} in ORDER BY`, {
      hint:
        resolved.suggestions.length > 0
          ? `Did you mean ${resolved.suggestions.map((s) => `"${s}"`).join(" or ")}?`
          : undefined,
    });
  }
  if (resolved.value.type === "timespan" || resolved.value.type === "region") {
    throw new InvalidQueryError(`Cannot order by ${name}, a ${resolved.value.type}`, {
      hint: `Order by ${name}.begin or ${name}.end.`,
    });
  }
  return Object.freeze({ value: resolved.value, descending });
}
