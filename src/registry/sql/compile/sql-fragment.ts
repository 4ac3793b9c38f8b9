import type { SqlDialect, SqlValue } from "../database.ts";

/**
 * Collects bound parameters while SQL text is built, handing out placeholders in order, so that values
 * only ever reach SQL as parameters.
 */
export class ParameterList {
  readonly values: SqlValue[] = [];
  readonly #dialect: SqlDialect;

  constructor(dialect: SqlDialect) {
    this.#dialect = dialect;
  }

  /** A placeholder bound to `value`. */
  add(value: SqlValue): string {
    this.values.push(value);
    return this.#dialect.placeholder(this.values.length);
  }

  /** Placeholders bound to each value, comma-separated (for IN lists). */
  list(values: readonly SqlValue[]): string {
    return values.map((v) => this.add(v)).join(", ");
  }

  /**
   * Text with `?` placeholders (as the dialect hooks return them) rewritten to this list's numbering,
   * binding `params` in order.
   */
  adopt(sql: string, params: readonly SqlValue[]): string {
    let index = 0;
    return sql.replace(/\?/g, () => this.add(params[index++] as SqlValue));
  }
}
