/**
 * The syntax tree of daf_butler's `where` expression language (spec §3.3), as the parser produces it:
 * every node carries the span of source text it came from, so later stages can point at it.
 */

/** Offsets of a node's text in the expression: `[start, end)`. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Binary operators, lowest precedence first: OR, AND, OVERLAPS, = !=, < <= > >=, + -, * / %. */
export type BinaryOperator =
  | "OR"
  | "AND"
  | "OVERLAPS"
  | "="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "+"
  | "-"
  | "*"
  | "/"
  | "%";

/** Unary operators: logical NOT and numeric sign. */
export type UnaryOperator = "NOT" | "-" | "+";

/** A number: `int` when written without a fraction or exponent. */
export interface NumberLiteral {
  readonly kind: "number";
  readonly numberType: "int" | "float";
  readonly value: number;
  /** The text as written (for exact printing). */
  readonly text: string;
  readonly span: Span;
}

/** `'text'` (single quotes, no escapes). */
export interface StringLiteral {
  readonly kind: "string";
  readonly value: string;
  readonly span: Span;
}

/** `T'2020-03-30 12:20:33'`: a time, parsed to TAI nanoseconds. */
export interface TimeLiteral {
  readonly kind: "time";
  /** TAI nanoseconds since 1970-01-01 00:00:00 TAI. */
  readonly value: bigint;
  /** The text between the quotes. */
  readonly text: string;
  readonly span: Span;
}

/** `NULL`. */
export interface NullLiteral {
  readonly kind: "null";
  readonly span: Span;
}

/** `1..10` or `1..10:2`: an inclusive integer range with a positive stride (only as an IN item). */
export interface RangeLiteral {
  readonly kind: "range";
  readonly start: number;
  readonly stop: number;
  readonly stride: number;
  readonly span: Span;
}

/** `visit`, `visit.id`, `visit.timespan.begin`: one to three dot-separated names. */
export interface Identifier {
  readonly kind: "identifier";
  readonly parts: readonly string[];
  readonly span: Span;
}

/** `:name`: a value from the bind map. */
export interface BindParameter {
  readonly kind: "bind";
  readonly name: string;
  readonly span: Span;
}

/** `NOT x`, `-x`, `+x`. */
export interface UnaryExpression {
  readonly kind: "unary";
  readonly operator: UnaryOperator;
  readonly operand: Expression;
  readonly span: Span;
}

/** `a op b`. */
export interface BinaryExpression {
  readonly kind: "binary";
  readonly operator: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly span: Span;
}

/** `x IN (a, b, 1..5)` or `x NOT IN (...)`. */
export interface InExpression {
  readonly kind: "in";
  readonly negated: boolean;
  readonly operand: Expression;
  readonly items: readonly Expression[];
  readonly span: Span;
}

/** `NAME(args...)`; the name is upper-cased (function names are case-insensitive). */
export interface FunctionCall {
  readonly kind: "call";
  readonly name: string;
  readonly args: readonly Expression[];
  readonly span: Span;
}

/** `(a, b)`: a time range from two times (or NULL for unbounded). */
export interface TupleExpression {
  readonly kind: "tuple";
  readonly items: readonly [Expression, Expression];
  readonly span: Span;
}

/** Any node of the syntax tree. */
export type Expression =
  | NumberLiteral
  | StringLiteral
  | TimeLiteral
  | NullLiteral
  | RangeLiteral
  | Identifier
  | BindParameter
  | UnaryExpression
  | BinaryExpression
  | InExpression
  | FunctionCall
  | TupleExpression;
