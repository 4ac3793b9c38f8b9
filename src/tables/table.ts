import { FormatterError, UnknownColumnError } from "../errors.ts";
import { selectColumns } from "./select-columns.ts";
import { makeColumn, type TableColumn, type TableColumnInit } from "./table-column.ts";
import { makeTableSchema, type TableSchema } from "./table-schema.ts";

/**
 * butler-ts's model of an astropy Table (the in-memory form of the `ArrowAstropy` and `DataFrame`
 * storage classes): ordered, typed columns of equal length, each with optional unit, description and
 * format, and table metadata. Frozen: {@link Table.select} makes a new table sharing the columns.
 *
 * @example
 * const table = makeTable({
 *   columns: [
 *     { name: "id", values: new BigInt64Array([1n, 2n]) },
 *     { name: "flux", values: new Float64Array([1.5, 2.5]), unit: "nJy" },
 *   ],
 * });
 * table.select(["f*"]).names; // ["flux"]
 */
export interface Table {
  readonly columns: readonly TableColumn[];
  /** Column names, in order. */
  readonly names: readonly string[];
  readonly rowcount: number;
  /** Table metadata (astropy's `Table.meta`), in insertion order. */
  readonly meta: Readonly<Record<string, unknown>>;
  /**
   * The column of this name.
   * @throws {UnknownColumnError} listing the columns.
   */
  column(name: string): TableColumn;
  /** Whether there is a column of this name. */
  has(name: string): boolean;
  /**
   * A table of the columns a selection picks (names or globs, see {@link selectColumns}), same metadata.
   * @throws {UnknownColumnError} for an entry matching no column.
   */
  select(columns: string | readonly string[]): Table;
  /** The schema: columns without values, and the metadata. */
  schema(): TableSchema;
}

/** What a table is made of. */
export interface TableInit {
  readonly columns: readonly (TableColumn | TableColumnInit)[];
  readonly meta?: Readonly<Record<string, unknown>> | undefined;
  /** Number of rows, needed only for a table without columns (0 by default). */
  readonly rowcount?: number | undefined;
}

const TABLE = Symbol("butler-ts.Table");

/**
 * A frozen table.
 * @throws {FormatterError} for duplicate column names, columns of different lengths, or a column whose
 * values do not fit its type.
 */
export function makeTable(init: TableInit): Table {
  return new FrozenTable(init);
}

/** Whether `object` is a {@link Table} made by {@link makeTable}. */
export function isTable(object: unknown): object is Table {
  return typeof object === "object" && object !== null && TABLE in object;
}

class FrozenTable implements Table {
  readonly [TABLE] = true;
  readonly columns: readonly TableColumn[];
  readonly names: readonly string[];
  readonly rowcount: number;
  readonly meta: Readonly<Record<string, unknown>>;
  readonly #byName: ReadonlyMap<string, TableColumn>;

  constructor(init: TableInit) {
    this.columns = Object.freeze(init.columns.map(makeColumn));
    this.names = Object.freeze(this.columns.map((c) => c.name));
    this.#byName = new Map(this.columns.map((c) => [c.name, c]));
    if (this.#byName.size !== this.columns.length) {
      const duplicate = this.names.find((name, i) => this.names.indexOf(name) !== i);
      throw new FormatterError(`A table cannot have two columns named "${duplicate}"`);
    }
    this.rowcount = this.columns[0]?.values.length ?? init.rowcount ?? 0;
    const uneven = this.columns.find((c) => c.values.length !== this.rowcount);
    if (uneven !== undefined) {
      throw new FormatterError(
        `Column "${uneven.name}" has ${uneven.values.length} rows, column "${this.names[0]}" ${this.rowcount}`,
        { hint: "Every column of a table has the same number of rows." },
      );
    }
    this.meta = Object.freeze({ ...init.meta });
    Object.freeze(this);
  }

  column(name: string): TableColumn {
    const found = this.#byName.get(name);
    if (found === undefined) throw new UnknownColumnError(name, this.names);
    return found;
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  select(columns: string | readonly string[]): Table {
    const names = selectColumns(this.names, columns);
    return new FrozenTable({
      columns: names.map((name) => this.#byName.get(name) as TableColumn),
      meta: this.meta,
      rowcount: this.rowcount,
    });
  }

  schema(): TableSchema {
    return makeTableSchema(
      this.columns.map(({ values: _values, mask: _mask, ...rest }) => rest),
      this.meta,
    );
  }

  toString(): string {
    return `Table(${this.rowcount} rows: ${this.names.join(", ")})`;
  }
}
