import { uuidHex } from "../../../datasets/dataset-id.ts";
import type {
  ColumnReference,
  ColumnType,
  LiteralValue,
  Predicate,
  ValueExpression,
} from "../../../query/tree/expressions.ts";
import type { SqlDialect, SqlValue } from "../database.ts";
import type { ParameterList } from "./sql-fragment.ts";

/** SQL for a scalar value, or the begin and end of a timespan. */
export type ValueSql = { readonly scalar: string } | { readonly begin: string; readonly end: string };

/** Where the compiler finds the SQL for each column the query reads, and for region tests. */
export interface ColumnSource {
  column(reference: ColumnReference, type: ColumnType): ValueSql;
  /**
   * SQL for `left OVERLAPS right` between regions: where `positive`, true at least wherever the regions
   * overlap; under a NOT, true at most there (rows are refined exactly afterwards).
   */
  regionOverlap(left: ValueExpression, right: ValueExpression, positive: boolean): string;
}

/**
 * Operands per parenthesized group of a long AND or OR. SQLite nests `a OR b OR c` one level per
 * operator and refuses expressions 1000 levels deep; grouping keeps the depth logarithmic.
 */
const JUNCTION_GROUP = 64;

function junction(parts: readonly string[], operator: " AND " | " OR "): string {
  if (parts.length <= JUNCTION_GROUP) return `(${parts.join(operator)})`;
  const groups: string[] = [];
  for (let i = 0; i < parts.length; i += JUNCTION_GROUP)
    groups.push(junction(parts.slice(i, i + JUNCTION_GROUP), operator));
  return junction(groups, operator);
}

/** Turns tree expressions into SQL with bound parameters. */
export class ExpressionCompiler {
  readonly #dialect: SqlDialect;
  readonly #params: ParameterList;
  readonly #columns: ColumnSource;

  constructor(dialect: SqlDialect, params: ParameterList, columns: ColumnSource) {
    this.#dialect = dialect;
    this.#params = params;
    this.#columns = columns;
  }

  #literal(type: ColumnType, value: LiteralValue): ValueSql {
    if (type === "region") throw new TypeError("a region literal outside OVERLAPS");
    // Numbers and times are typed: beside another literal or in arithmetic, nothing else gives
    // PostgreSQL their type (it would compare them as text), and a float must not be read as an integer.
    const typed = (bound: SqlValue, as: "bigint" | "float") =>
      this.#dialect.typedParameter(this.#params.add(bound), as);
    if (type === "timespan") {
      const [begin, end] = value as readonly [string, string];
      return { begin: typed(BigInt(begin), "bigint"), end: typed(BigInt(end), "bigint") };
    }
    if (type === "datetime" || type === "ingest_date")
      return { scalar: typed(BigInt(value as string), "bigint") };
    if (type === "int" || type === "float") {
      const number = value as number;
      return { scalar: typed(number, type === "int" && Number.isSafeInteger(number) ? "bigint" : "float") };
    }
    let bound: SqlValue;
    if (type === "uuid") bound = this.#dialect.encodeUuid(uuidHex(value as string) ?? (value as string));
    else if (type === "bool") bound = this.#dialect.encodeBool(value as boolean);
    else bound = value as SqlValue;
    return { scalar: this.#params.add(bound) };
  }

  /** SQL of a value expression. */
  value(value: ValueExpression): ValueSql {
    switch (value.kind) {
      case "column":
        return this.#columns.column(value.column, value.type);
      case "literal":
        return this.#literal(value.type, value.value);
      case "negate":
        return { scalar: `(-${this.scalar(value.operand)})` };
      case "arithmetic": {
        const left = this.scalar(value.left);
        const right = this.scalar(value.right);
        // Division is float division, as in Python: SQL would truncate two integers.
        return {
          scalar:
            value.operator === "/"
              ? `(CAST(${left} AS ${this.#dialect.floatType}) / ${right})`
              : `(${left} ${value.operator} ${right})`,
        };
      }
      case "bound": {
        const span = this.value(value.operand);
        if (!("begin" in span)) throw new TypeError("bound of a non-timespan");
        return { scalar: value.bound === "begin" ? span.begin : span.end };
      }
    }
  }

  /** SQL of a scalar value expression. */
  scalar(value: ValueExpression): string {
    const sql = this.value(value);
    if (!("scalar" in sql)) throw new TypeError("timespan used as a scalar");
    return sql.scalar;
  }

  /**
   * SQL of a predicate. `positive` is false under an odd number of NOTs, where region tests must not
   * admit more rows than pass them.
   */
  predicate(predicate: Predicate, positive = true): string {
    switch (predicate.kind) {
      case "literal":
        return predicate.value ? "1 = 1" : "1 = 0";
      case "and":
      case "or":
        // An empty OR (`x IN (:list)` with an empty list) admits nothing; an empty AND everything.
        if (predicate.operands.length === 0) return predicate.kind === "and" ? "1 = 1" : "1 = 0";
        return junction(
          predicate.operands.map((p) => this.predicate(p, positive)),
          predicate.kind === "and" ? " AND " : " OR ",
        );
      case "not":
        return `(NOT ${this.predicate(predicate.operand, !positive)})`;
      case "compare": {
        const left = this.value(predicate.left);
        const right = this.value(predicate.right);
        if ("begin" in left && "begin" in right) {
          const both = `${left.begin} = ${right.begin} AND ${left.end} = ${right.end}`;
          return predicate.operator === "=" ? `(${both})` : `(NOT (${both}))`;
        }
        if (!("scalar" in left) || !("scalar" in right))
          throw new TypeError("comparison of a timespan with a scalar");
        return `(${left.scalar} ${predicate.operator === "!=" ? "<>" : predicate.operator} ${right.scalar})`;
      }
      case "isNull": {
        const operand = this.value(predicate.operand);
        return "scalar" in operand ? `(${operand.scalar} IS NULL)` : `(${operand.begin} IS NULL)`;
      }
      case "in": {
        if (predicate.values.length === 0) return "1 = 0";
        const operand = this.scalar(predicate.operand);
        return `(${operand} IN (${predicate.values.map((v) => this.scalar(v)).join(", ")}))`;
      }
      case "inRange": {
        const operand = this.scalar(predicate.operand);
        const start = this.#params.add(predicate.start);
        const stop = this.#params.add(predicate.stop);
        const step =
          predicate.step === 1
            ? ""
            : ` AND (${operand} - ${this.#params.add(predicate.start)}) % ${this.#params.add(predicate.step)} = 0`;
        return `(${operand} >= ${start} AND ${operand} <= ${stop}${step})`;
      }
      case "overlaps": {
        if (predicate.left.type === "region")
          return `(${this.#columns.regionOverlap(predicate.left, predicate.right, positive)})`;
        const left = this.value(predicate.left);
        const right = this.value(predicate.right);
        if (!("begin" in left)) throw new TypeError("OVERLAPS on a non-timespan");
        if ("scalar" in right) return `(${left.begin} <= ${right.scalar} AND ${right.scalar} < ${left.end})`;
        return `(${left.end} > ${right.begin} AND ${right.end} > ${left.begin})`;
      }
      case "glob": {
        const { sql, params } = this.#dialect.glob(this.scalar(predicate.operand), predicate.pattern);
        return `(${this.#params.adopt(sql, params)})`;
      }
      case "boolean":
        return `(${this.scalar(predicate.operand)} = ${this.#params.add(this.#dialect.encodeBool(true))})`;
    }
  }
}
