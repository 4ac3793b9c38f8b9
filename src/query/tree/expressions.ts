/**
 * The column expressions and predicates of a query tree: plain, frozen, JSON-serializable data (times as
 * decimal strings of TAI nanoseconds), so that a remote client can send exactly this to a server.
 */

/** Types of values in query expressions, as daf_butler's query system has them. */
export type ColumnType =
  | "int"
  | "float"
  | "string"
  | "bool"
  | "hash"
  | "uuid"
  | "datetime"
  | "ingest_date"
  | "timespan"
  | "region";

/** Dataset fields a query can refer to (`bias.dataset_id`, `run`, `ingest_date`, ...). */
export type DatasetField = "dataset_id" | "ingest_date" | "run" | "collection" | "timespan";

/** Every dataset field name. */
export const DATASET_FIELDS: readonly DatasetField[] = Object.freeze([
  "dataset_id",
  "ingest_date",
  "run",
  "collection",
  "timespan",
]);

/** A column a query reads: a dimension's key, another field of an element's record, or a dataset field. */
export type ColumnReference =
  | { readonly kind: "key"; readonly dimension: string }
  | { readonly kind: "field"; readonly element: string; readonly field: string }
  | { readonly kind: "dataset"; readonly datasetType: string; readonly field: DatasetField };

/** A literal value; bigints (TAI ns) as decimal strings, timespans as `[begin, end]` strings. */
export type LiteralValue = number | string | boolean | null | readonly [string, string];

/** A value computed in a query. */
export type ValueExpression =
  | { readonly kind: "column"; readonly column: ColumnReference; readonly type: ColumnType }
  | { readonly kind: "literal"; readonly type: ColumnType; readonly value: LiteralValue }
  | { readonly kind: "negate"; readonly operand: ValueExpression; readonly type: ColumnType }
  | {
      readonly kind: "arithmetic";
      readonly operator: "+" | "-" | "*" | "/" | "%";
      readonly left: ValueExpression;
      readonly right: ValueExpression;
      readonly type: ColumnType;
    }
  | {
      readonly kind: "bound";
      readonly bound: "begin" | "end";
      readonly operand: ValueExpression;
      readonly type: "datetime";
    };

/** Comparison operators. */
export type ComparisonOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";

/** A condition on rows. `text` is the source text it came from, for explanations. */
export type Predicate =
  | { readonly kind: "literal"; readonly value: boolean; readonly text?: string }
  | { readonly kind: "and"; readonly operands: readonly Predicate[]; readonly text?: string }
  | { readonly kind: "or"; readonly operands: readonly Predicate[]; readonly text?: string }
  | { readonly kind: "not"; readonly operand: Predicate; readonly text?: string }
  | {
      readonly kind: "compare";
      readonly operator: ComparisonOperator;
      readonly left: ValueExpression;
      readonly right: ValueExpression;
      readonly text?: string;
    }
  | { readonly kind: "isNull"; readonly operand: ValueExpression; readonly text?: string }
  | {
      readonly kind: "in";
      readonly operand: ValueExpression;
      readonly values: readonly ValueExpression[];
      readonly text?: string;
    }
  | {
      readonly kind: "inRange";
      readonly operand: ValueExpression;
      readonly start: number;
      readonly stop: number;
      readonly step: number;
      readonly text?: string;
    }
  | {
      readonly kind: "overlaps";
      readonly left: ValueExpression;
      readonly right: ValueExpression;
      readonly text?: string;
    }
  | {
      readonly kind: "glob";
      readonly operand: ValueExpression;
      readonly pattern: string;
      readonly text?: string;
    }
  | { readonly kind: "boolean"; readonly operand: ValueExpression; readonly text?: string };

/** The always-true predicate. */
export const TRUE: Predicate = Object.freeze({ kind: "literal", value: true });

/** `a AND b AND ...`, flattening nested ANDs and dropping TRUE. */
export function and(...operands: Predicate[]): Predicate {
  const flat = operands.flatMap((p) =>
    p.kind === "and" ? p.operands : p.kind === "literal" && p.value ? [] : [p],
  );
  if (flat.some((p) => p.kind === "literal" && !p.value))
    return Object.freeze({ kind: "literal", value: false });
  if (flat.length === 0) return TRUE;
  return flat.length === 1
    ? (flat[0] as Predicate)
    : Object.freeze({ kind: "and", operands: Object.freeze(flat) });
}

/** Every column a value expression reads. */
export function columnsOfValue(value: ValueExpression): ColumnReference[] {
  switch (value.kind) {
    case "column":
      return [value.column];
    case "literal":
      return [];
    case "negate":
    case "bound":
      return columnsOfValue(value.operand);
    case "arithmetic":
      return [...columnsOfValue(value.left), ...columnsOfValue(value.right)];
  }
}

/** Every column a predicate reads. */
export function columnsOfPredicate(predicate: Predicate): ColumnReference[] {
  switch (predicate.kind) {
    case "literal":
      return [];
    case "and":
    case "or":
      return predicate.operands.flatMap(columnsOfPredicate);
    case "not":
      return columnsOfPredicate(predicate.operand);
    case "compare":
    case "overlaps":
      return [...columnsOfValue(predicate.left), ...columnsOfValue(predicate.right)];
    case "in":
      return [...columnsOfValue(predicate.operand), ...predicate.values.flatMap(columnsOfValue)];
    case "isNull":
    case "inRange":
    case "glob":
    case "boolean":
      return columnsOfValue(predicate.operand);
  }
}
