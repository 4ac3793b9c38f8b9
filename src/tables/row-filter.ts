import { FormatterError, UnknownColumnError } from "../errors.ts";
import type { ColumnValues } from "./column-type.ts";
import { makeTable, type Table } from "./table.ts";
import { cellOf } from "./table-column.ts";

/** A comparison of pyarrow's `filters`. */
export type FilterOperator = "=" | "==" | "!=" | "<" | ">" | "<=" | ">=" | "in" | "not in";

/** One term: `[column, operator, value]` (a list of values for `in` and `not in`). */
export type FilterTerm = readonly [string, FilterOperator, unknown];

/**
 * Row filters as pyarrow's `filters` read argument (which daf_butler's `filters` parameter follows), in
 * disjunctive normal form: rows matching every term of at least one clause are kept.
 */
export interface RowFilter {
  readonly clauses: readonly (readonly FilterTerm[])[];
}

const OPERATORS: readonly string[] = ["=", "==", "!=", "<", ">", "<=", ">=", "in", "not in"];

/**
 * A row filter from pyarrow's forms: a list of terms (all must match), or a list of such lists (any
 * must match); each term `[column, operator, value]`.
 * @throws {FormatterError} for a malformed filter. @throws {UnknownColumnError} for a column not in `available`.
 */
export function parseRowFilter(raw: unknown, available: readonly string[], file?: string): RowFilter {
  const where = file === undefined ? {} : { file };
  const hint =
    'Give filters as [["column", "op", value], ...] (all must hold) or a list of such lists (one must hold); op is one of =, ==, !=, <, >, <=, >=, in, not in.';
  const fail = (what: string): never => {
    throw new FormatterError(`Invalid filters: ${what}`, { ...where, hint });
  };
  if (!Array.isArray(raw) || raw.length === 0) return fail("expected a non-empty list");
  const nested = raw.every((item) => Array.isArray(item) && item.every(Array.isArray));
  const clauses = (nested ? raw : [raw]) as unknown[][];
  return Object.freeze({
    clauses: Object.freeze(
      clauses.map((clause) =>
        Object.freeze(
          clause.map((term): FilterTerm => {
            if (!Array.isArray(term) || term.length !== 3)
              return fail(`${JSON.stringify(term)} is not [column, op, value]`);
            const [column, operator, value] = term as [unknown, unknown, unknown];
            if (typeof column !== "string") return fail(`column ${JSON.stringify(column)} is not a name`);
            if (typeof operator !== "string" || !OPERATORS.includes(operator)) {
              return fail(`unknown operator ${JSON.stringify(operator)}`);
            }
            if ((operator === "in" || operator === "not in") && !Array.isArray(value)) {
              return fail(`"${operator}" needs a list of values`);
            }
            if (!available.includes(column)) throw new UnknownColumnError(column, available, where);
            return Object.freeze([column, operator as FilterOperator, value]) as FilterTerm;
          }),
        ),
      ),
    ),
  });
}

/** Columns a filter reads, each once. */
export function filterColumns(filter: RowFilter): string[] {
  return [...new Set(filter.clauses.flatMap((clause) => clause.map(([column]) => column)))];
}

/**
 * Order of two values: numbers and bigints compared exactly, strings by code unit, booleans as 0/1;
 * undefined when they cannot be compared (another kind, NaN).
 */
export function compareValues(a: unknown, b: unknown): number | undefined {
  if (typeof a === "bigint" || typeof b === "bigint") {
    const [x, y] = [toBigInt(a), toBigInt(b)];
    if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === "bigint" || typeof a === "number" || typeof a === "boolean") {
    if (typeof b !== "bigint" && typeof b !== "number" && typeof b !== "boolean") return undefined;
    const [x, y] = [Number(a), Number(b)];
    if (Number.isNaN(x) || Number.isNaN(y)) return undefined;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function toBigInt(value: unknown): bigint | undefined {
  if (typeof value === "bigint") return value;
  return typeof value === "number" && Number.isInteger(value) ? BigInt(value) : undefined;
}

/** Whether a value (null when missing: it matches nothing, as in pyarrow) satisfies one term. */
export function termHolds(value: unknown, operator: FilterOperator, operand: unknown): boolean {
  if (value === null) return false;
  if (operator === "in" || operator === "not in") {
    const found = (operand as unknown[]).some((item) => compareValues(value, item) === 0);
    return operator === "in" ? found : !found;
  }
  const order = compareValues(value, operand);
  if (order === undefined) return operator === "!=";
  switch (operator) {
    case "=":
    case "==":
      return order === 0;
    case "!=":
      return order !== 0;
    case "<":
      return order < 0;
    case ">":
      return order > 0;
    case "<=":
      return order <= 0;
    default:
      return order >= 0;
  }
}

/** Which rows of a table (holding the filter's columns) a filter keeps. */
export function matchRows(table: Table, filter: RowFilter): boolean[] {
  return Array.from({ length: table.rowcount }, (_, row) =>
    filter.clauses.some((clause) =>
      clause.every(([column, operator, operand]) =>
        termHolds(cellOf(table.column(column), row), operator, operand),
      ),
    ),
  );
}

/** The rows of a table where `keep` is true, same columns and metadata. */
export function takeRows(table: Table, keep: readonly boolean[]): Table {
  const rows = keep.flatMap((kept, row) => (kept ? [row] : []));
  return makeTable({
    meta: table.meta,
    rowcount: rows.length,
    columns: table.columns.map((column) => {
      const source = column.values as ArrayLike<unknown>;
      const values = ArrayBuffer.isView(column.values)
        ? (() => {
            const out = new (column.values.constructor as new (n: number) => { [i: number]: unknown })(
              rows.length,
            );
            rows.forEach((row, i) => {
              out[i] = source[row];
            });
            return out as unknown as ColumnValues;
          })()
        : (rows.map((row) => source[row]) as boolean[] | string[]);
      return {
        ...column,
        values,
        mask: column.mask === undefined ? undefined : rows.map((row) => column.mask?.[row] === true),
      };
    }),
  });
}

/**
 * A table's rows that a filter keeps.
 * @throws {FormatterError} for a malformed filter. @throws {UnknownColumnError} for an unknown column.
 */
export function filterTable(table: Table, raw: unknown): Table {
  return takeRows(table, matchRows(table, parseRowFilter(raw, table.names)));
}
