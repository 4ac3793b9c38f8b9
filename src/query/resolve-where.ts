import { InvalidQueryError, RegionError } from "../errors.ts";
import { LonLat } from "../sphgeom/lon-lat.ts";
import type { Region } from "../sphgeom/region.ts";
import { parseTime } from "../time/parse-time.ts";
import { Timespan } from "../time/timespan.ts";
import type { Expression, Span } from "./language/ast.ts";
import {
  isRegion,
  pointRegion,
  type RegionFunction,
  regionLiteralValue,
  regionOfCall,
  regionOfPos,
} from "./region-literal.ts";
import { IdentifierProblem, type IdentifierScope, resolveIdentifier } from "./resolve-identifier.ts";
import {
  type ColumnType,
  type ComparisonOperator,
  type LiteralValue,
  type Predicate,
  TRUE,
  type ValueExpression,
} from "./tree/expressions.ts";

/** A resolved `where` expression: the predicate and every dimension it refers to. */
export interface ResolvedWhere {
  readonly predicate: Predicate;
  readonly dimensions: ReadonlySet<string>;
}

type Resolved =
  | { readonly value: ValueExpression }
  | { readonly isNull: true }
  | { readonly list: readonly ValueExpression[] };

const NUMERIC: ReadonlySet<ColumnType> = new Set(["int", "float"]);
const TIMES: ReadonlySet<ColumnType> = new Set(["datetime", "ingest_date"]);
const ORDERED: ReadonlySet<ColumnType> = new Set(["int", "float", "string", "datetime", "ingest_date"]);

function literal(type: ColumnType, value: LiteralValue): ValueExpression {
  return Object.freeze({ kind: "literal", type, value });
}

/** Resolves one expression against a scope and a bind map, collecting the dimensions it needs. */
class WhereResolver {
  readonly #text: string;
  readonly #scope: IdentifierScope;
  readonly #bind: ReadonlyMap<string, unknown>;
  /** Bind names the expression writes as `:name`. */
  readonly #colonNames: ReadonlySet<string>;
  readonly dimensions = new Set<string>();

  constructor(
    text: string,
    scope: IdentifierScope,
    bind: ReadonlyMap<string, unknown>,
    colonNames: ReadonlySet<string>,
  ) {
    this.#text = text;
    this.#scope = scope;
    this.#bind = bind;
    this.#colonNames = colonNames;
  }

  fail(span: Span, message: string, hint?: string): never {
    throw new InvalidQueryError(message, { expression: this.#text, span, hint });
  }

  #source(span: Span): string {
    return this.#text.slice(span.start, span.end);
  }

  predicate(node: Expression): Predicate {
    const text = this.#source(node.span);
    if (node.kind === "binary" && (node.operator === "AND" || node.operator === "OR")) {
      // `a AND b AND c` is one AND of three terms (each keeping its own text), and likewise for OR.
      const kind = node.operator === "AND" ? "and" : "or";
      const operands = [this.predicate(node.left), this.predicate(node.right)].flatMap((p) =>
        p.kind === kind ? p.operands : [p],
      );
      return Object.freeze({
        kind: node.operator === "AND" ? "and" : "or",
        operands: Object.freeze(operands),
        text,
      });
    }
    if (node.kind === "unary" && node.operator === "NOT") {
      return Object.freeze({ kind: "not", operand: this.predicate(node.operand), text });
    }
    if (node.kind === "binary" && node.operator === "OVERLAPS")
      return this.#overlaps(node.left, node.right, text, node.span);
    if (node.kind === "binary" && ["=", "!=", "<", "<=", ">", ">="].includes(node.operator)) {
      return this.#compare(node.operator as ComparisonOperator, node.left, node.right, text, node.span);
    }
    if (node.kind === "in") return this.#in(node.operand, node.items, node.negated, text);
    if (node.kind === "call" && node.name === "GLOB") return this.#glob(node.args, text, node.span);
    const resolved = this.value(node);
    if ("value" in resolved && resolved.value.type === "bool")
      return Object.freeze({ kind: "boolean", operand: resolved.value, text });
    return this.fail(
      node.span,
      `Expression "${text}" is not a condition`,
      "Compare it with something, e.g. `visit = 1`.",
    );
  }

  value(node: Expression): Resolved {
    switch (node.kind) {
      case "number":
        return { value: literal(node.numberType, node.value) };
      case "string":
        return { value: literal("string", node.value) };
      case "time":
        return { value: literal("datetime", node.value.toString()) };
      case "null":
        return { isNull: true };
      case "range":
        return this.fail(node.span, "A range is only allowed in an IN list", "Write `x IN (1..10)`.");
      case "bind":
        return this.#bindValue(node.name, node.span);
      case "identifier": {
        const name = node.parts[0] as string;
        const result = resolveIdentifier(node.parts, this.#scope);
        // daf_butler's legacy form: a bare name from the bind map is its value. Unless the expression
        // writes `:name` (then the bare name is the column), a name that is both is refused rather than
        // silently turning `band = band` into `'r' = 'r'`.
        if (node.parts.length === 1 && this.#bind.has(name) && !this.#colonNames.has(name)) {
          if (!(result instanceof IdentifierProblem)) {
            return this.fail(
              node.span,
              `"${name}" is both a bind name and a column of this query`,
              `Write :${name} for the bound value, or rename the bind key.`,
            );
          }
          return this.#bindValue(name, node.span);
        }
        if (result instanceof IdentifierProblem) {
          const hint =
            result.suggestions.length > 0
              ? `Did you mean ${result.suggestions.map((s) => `"${s}"`).join(" or ")}?`
              : undefined;
          return this.fail(node.span, result.message, hint);
        }
        for (const dimension of result.dimensions) this.dimensions.add(dimension);
        return { value: result.value };
      }
      case "unary": {
        if (node.operator === "NOT")
          return this.fail(node.span, `"${this.#source(node.span)}" is a condition, not a value`);
        const operand = this.#numeric(node.operand);
        return {
          value:
            node.operator === "+" ? operand : Object.freeze({ kind: "negate", operand, type: operand.type }),
        };
      }
      case "binary": {
        if (!["+", "-", "*", "/", "%"].includes(node.operator)) {
          return this.fail(node.span, `"${this.#source(node.span)}" is a condition, not a value`);
        }
        const left = this.#numeric(node.left);
        const right = this.#numeric(node.right);
        const type: ColumnType =
          left.type === "float" || right.type === "float" || node.operator === "/" ? "float" : "int";
        return {
          value: Object.freeze({ kind: "arithmetic", operator: node.operator as "+", left, right, type }),
        };
      }
      case "tuple":
        return { value: this.#timespanLiteral(node.items, node.span) };
      case "call":
        return { value: this.#call(node.name, node.args, node.span) };
      case "in":
        return this.fail(node.span, `"${this.#source(node.span)}" is a condition, not a value`);
    }
  }

  #single(node: Expression): ValueExpression {
    const resolved = this.value(node);
    if ("value" in resolved) return resolved.value;
    return this.fail(
      node.span,
      "isNull" in resolved ? "NULL is not allowed here" : "A list is only allowed in an IN list",
    );
  }

  #numeric(node: Expression): ValueExpression {
    const value = this.#single(node);
    if (!NUMERIC.has(value.type))
      this.fail(node.span, `Arithmetic needs numbers, but "${this.#source(node.span)}" is ${value.type}`);
    return value;
  }

  #bindValue(name: string, span: Span): Resolved {
    if (!this.#bind.has(name)) {
      return this.fail(
        span,
        `Name "${name}" is not in the bind map`,
        this.#bind.size > 0
          ? `Bound names: ${[...this.#bind.keys()].join(", ")}.`
          : "Pass it with --bind NAME=VALUE.",
      );
    }
    const value = this.#bind.get(name);
    if (Array.isArray(value) || value instanceof Set)
      return { list: [...value].map((v) => this.#bindScalar(v, name, span)) };
    if (value === null) return { isNull: true };
    return { value: this.#bindScalar(value, name, span) };
  }

  #bindScalar(value: unknown, name: string, span: Span): ValueExpression {
    if (typeof value === "number") return literal(Number.isInteger(value) ? "int" : "float", value);
    if (typeof value === "bigint") return literal("int", Number(value));
    if (typeof value === "string") return literal("string", value);
    if (typeof value === "boolean") return literal("bool", value);
    if (value instanceof Timespan)
      return literal("timespan", [value.beginNs.toString(), value.endNs.toString()]);
    if (isRegion(value)) return literal("region", regionLiteralValue(value));
    if (value instanceof LonLat) return literal("region", regionLiteralValue(pointRegion(value)));
    if (value instanceof Date)
      return literal("datetime", parseTime(`unix/${value.getTime() / 1000}`).toString());
    return this.fail(span, `Bind value "${name}" has a type the query language cannot use (${typeof value})`);
  }

  #timespanLiteral(items: readonly [Expression, Expression], span: Span): ValueExpression {
    const bounds = items.map((item) => {
      const resolved = this.value(item);
      if ("isNull" in resolved) return null;
      if ("value" in resolved && resolved.value.kind === "literal" && resolved.value.type === "datetime")
        return BigInt(resolved.value.value as string);
      return this.fail(item.span, "A time range is made of two times (or NULL for unbounded)");
    }) as [bigint | null, bigint | null];
    const timespan = Timespan.between(bounds[0], bounds[1], { outOfRange: "clamp" });
    if (timespan.isEmpty()) this.fail(span, "This time range is empty: its end is not after its begin");
    return literal("timespan", [timespan.beginNs.toString(), timespan.endNs.toString()]);
  }

  #call(name: string, args: readonly Expression[], span: Span): ValueExpression {
    if (name === "UUID") {
      const [arg] = args;
      if (args.length !== 1 || arg?.kind !== "string")
        return this.fail(span, "UUID() takes one string literal");
      const hex = arg.value
        .toLowerCase()
        .replace(/^urn:uuid:/, "")
        .replace(/[{}-]/g, "");
      if (!/^[0-9a-f]{32}$/.test(hex)) this.fail(arg.span, `"${arg.value}" is not a UUID`);
      return literal(
        "uuid",
        `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
      );
    }
    if (["POINT", "CIRCLE", "BOX", "POLYGON", "REGION"].includes(name)) return this.#region(name, args, span);
    if (name === "GLOB") return this.fail(span, "GLOB() is a condition, not a value");
    return this.fail(
      span,
      `Unknown function ${name}()`,
      "Functions: POINT, CIRCLE, BOX, POLYGON, REGION, GLOB, UUID.",
    );
  }

  #region(name: string, args: readonly Expression[], span: Span): ValueExpression {
    const expected: Readonly<Record<string, (n: number) => boolean>> = {
      POINT: (n) => n === 2,
      CIRCLE: (n) => n === 3,
      BOX: (n) => n === 4,
      POLYGON: (n) => n >= 6 && n % 2 === 0,
      REGION: (n) => n === 1,
    };
    if (!expected[name]?.(args.length)) this.fail(span, `Wrong number of arguments to ${name}()`);
    if (name === "REGION") {
      const arg = this.#single(args[0] as Expression);
      if (arg.type === "region") return arg;
      if (arg.type !== "string" || arg.kind !== "literal")
        this.fail(span, "REGION() takes an IVOA POS string (`CIRCLE ra dec r`, `RANGE ...`, `POLYGON ...`)");
      return this.#regionLiteral(span, () => regionOfPos((arg as { value: string }).value));
    }
    const numbers = args.map((arg) => {
      const value = this.#numeric(arg);
      if (value.kind === "literal") return value.value as number;
      if (value.kind === "negate" && value.operand.kind === "literal")
        return -(value.operand.value as number);
      return this.fail(arg.span, `${name}() takes numeric literals or binds`);
    });
    return this.#regionLiteral(span, () => regionOfCall(name as RegionFunction, numbers));
  }

  /** A region literal, with a bad region reported as an InvalidQueryError pointing at it. */
  #regionLiteral(span: Span, make: () => Region): ValueExpression {
    try {
      return literal("region", regionLiteralValue(make()));
    } catch (error) {
      if (error instanceof RegionError) return this.fail(span, error.message);
      throw error;
    }
  }

  #compare(
    operator: ComparisonOperator,
    leftNode: Expression,
    rightNode: Expression,
    text: string,
    span: Span,
  ): Predicate {
    const left = this.value(leftNode);
    const right = this.value(rightNode);
    if ("isNull" in left || "isNull" in right) {
      const other = "isNull" in left ? right : left;
      if (operator !== "=" && operator !== "!=") this.fail(span, `NULL can only be compared with = or !=`);
      if (!("value" in other)) return this.fail(span, "Comparing NULL with NULL");
      const isNull: Predicate = Object.freeze({ kind: "isNull", operand: other.value, text });
      return operator === "=" ? isNull : Object.freeze({ kind: "not", operand: isNull, text });
    }
    if (!("value" in left) || !("value" in right))
      return this.fail(span, "A list is only allowed in an IN list");
    this.#checkComparable(operator, left.value, right.value, leftNode, rightNode, span);
    return Object.freeze({ kind: "compare", operator, left: left.value, right: right.value, text });
  }

  #checkComparable(
    operator: ComparisonOperator,
    a: ValueExpression,
    b: ValueExpression,
    an: Expression,
    bn: Expression,
    span: Span,
  ): void {
    const same =
      a.type === b.type ||
      (NUMERIC.has(a.type) && NUMERIC.has(b.type)) ||
      (TIMES.has(a.type) && TIMES.has(b.type));
    if (!same) {
      this.fail(
        span,
        `Cannot compare ${this.#source(an.span)} (${a.type}) with ${this.#source(bn.span)} (${b.type})`,
      );
    }
    if (operator !== "=" && operator !== "!=" && !ORDERED.has(a.type)) {
      const hint = a.type === "timespan" ? "Compare its .begin or .end, or use OVERLAPS." : undefined;
      this.fail(span, `Operator ${operator} cannot be used on ${a.type} values`, hint);
    }
  }

  #overlaps(leftNode: Expression, rightNode: Expression, text: string, span: Span): Predicate {
    const left = this.#single(leftNode);
    const right = this.#single(rightNode);
    const types = new Set([left.type, right.type]);
    const timespans = left.type === "timespan" && (right.type === "timespan" || TIMES.has(right.type));
    const reversed = right.type === "timespan" && TIMES.has(left.type);
    const regions = types.size === 1 && types.has("region");
    if (!timespans && !reversed && !regions) {
      this.fail(
        span,
        `OVERLAPS needs two timespans, a timespan and a time, or two regions; found ${left.type} and ${right.type}`,
      );
    }
    if (regions && left.kind === "literal" && right.kind === "literal")
      this.fail(span, "OVERLAPS between two region literals has no column to constrain");
    return Object.freeze({
      kind: "overlaps",
      left: reversed ? right : left,
      right: reversed ? left : right,
      text,
    });
  }

  #in(operandNode: Expression, items: readonly Expression[], negated: boolean, text: string): Predicate {
    const operand = this.#single(operandNode);
    if (operand.type === "region" || operand.type === "timespan") {
      this.fail(operandNode.span, `IN cannot be used on ${operand.type} values`, "Use OVERLAPS.");
    }
    const values: ValueExpression[] = [];
    const ranges: Predicate[] = [];
    let withNull = false;
    for (const item of items) {
      if (item.kind === "range") {
        if (operand.type !== "int")
          this.fail(item.span, `A range only matches integers, not ${operand.type}`);
        ranges.push(
          Object.freeze({
            kind: "inRange",
            operand,
            start: item.start,
            stop: item.stop,
            step: item.stride,
            text: this.#source(item.span),
          }),
        );
        continue;
      }
      const resolved = this.value(item);
      const candidates = "list" in resolved ? resolved.list : "value" in resolved ? [resolved.value] : [];
      if ("isNull" in resolved) withNull = true;
      for (const candidate of candidates) {
        this.#checkComparable("=", operand, candidate, operandNode, item, item.span);
        values.push(candidate);
      }
    }
    const parts: Predicate[] = [...ranges];
    if (values.length > 0) parts.push(Object.freeze({ kind: "in", operand, values: Object.freeze(values) }));
    if (withNull) parts.push(Object.freeze({ kind: "isNull", operand }));
    const positive: Predicate =
      parts.length === 1
        ? { ...(parts[0] as Predicate), text }
        : Object.freeze({ kind: "or", operands: Object.freeze(parts), text });
    return negated ? Object.freeze({ kind: "not", operand: positive, text }) : positive;
  }

  #glob(args: readonly Expression[], text: string, span: Span): Predicate {
    if (args.length !== 2) return this.fail(span, "GLOB() takes a column and a pattern");
    const operand = this.#single(args[0] as Expression);
    if (operand.kind !== "column" || operand.type !== "string")
      this.fail((args[0] as Expression).span, "GLOB() matches string columns only");
    const pattern = this.#single(args[1] as Expression);
    if (pattern.kind !== "literal" || pattern.type !== "string")
      return this.fail((args[1] as Expression).span, "The GLOB() pattern must be a string literal or bind");
    return Object.freeze({ kind: "glob", operand, pattern: pattern.value as string, text });
  }
}

/** Names written as `:name` anywhere in an expression. */
function bindParameters(tree: Expression | undefined, names = new Set<string>()): Set<string> {
  if (tree === undefined) return names;
  switch (tree.kind) {
    case "bind":
      names.add(tree.name);
      break;
    case "unary":
      bindParameters(tree.operand, names);
      break;
    case "binary":
      bindParameters(tree.left, names);
      bindParameters(tree.right, names);
      break;
    case "in":
      bindParameters(tree.operand, names);
      for (const item of tree.items) bindParameters(item, names);
      break;
    case "call":
    case "tuple":
      for (const item of tree.kind === "call" ? tree.args : tree.items) bindParameters(item, names);
      break;
    default:
      break;
  }
  return names;
}

/**
 * Resolve a parsed `where` expression into a query predicate: identifiers looked up in the universe,
 * the query's dimensions and dataset types (spec §3.4), operand types checked (§3.5), binds substituted.
 * @throws {InvalidQueryError} pointing at the offending part of the expression.
 */
export function resolveWhere(
  text: string,
  tree: Expression | undefined,
  scope: IdentifierScope,
  bind: Readonly<Record<string, unknown>> = {},
): ResolvedWhere {
  const resolver = new WhereResolver(text, scope, new Map(Object.entries(bind)), bindParameters(tree));
  const predicate = tree === undefined ? TRUE : resolver.predicate(tree);
  return { predicate, dimensions: resolver.dimensions };
}
