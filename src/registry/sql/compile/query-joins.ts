import type { DimensionElement } from "../../../dimensions/elements.ts";
import type { DimensionGroup } from "../../../dimensions/group.ts";
import type { SqlDialect } from "../database.ts";

/**
 * The FROM clause of a query under construction: the relations joined so far, an alias per relation,
 * and for every dimension the SQL column its value is read from. Joining a relation equates its
 * dimension columns with the ones already there, so rows stay consistent (one instrument per row, ...).
 */
export class QueryJoins {
  readonly #dialect: SqlDialect;
  readonly #from: string[] = [];
  readonly #aliases = new Map<string, string>();
  readonly #keys = new Map<string, string>();
  readonly #pending: string[] = [];
  #count = 0;

  constructor(dialect: SqlDialect) {
    this.#dialect = dialect;
  }

  /** SQL column holding `dimension`'s value, if some relation provides it. */
  key(dimension: string): string | undefined {
    return this.#keys.get(dimension);
  }

  /** Alias of an element's table, if joined. */
  alias(element: string): string | undefined {
    return this.#aliases.get(element);
  }

  /** A new alias with the given prefix. */
  newAlias(prefix: string): string {
    return `${prefix}${this.#count++}`;
  }

  /**
   * Join a relation (table name or parenthesized subquery) whose `columns` map dimension names to its
   * column names; rows must agree with what is already joined on every shared dimension.
   */
  join(
    relation: string,
    alias: string,
    columns: ReadonlyMap<string, string>,
    extraConditions: readonly string[] = [],
  ): void {
    const quote = this.#dialect.quote;
    const conditions = [...extraConditions];
    for (const [dimension, column] of columns) {
      const qualified = `${alias}.${quote(column)}`;
      const existing = this.#keys.get(dimension);
      if (existing === undefined) this.#keys.set(dimension, qualified);
      else conditions.push(`${qualified} = ${existing}`);
    }
    if (this.#from.length === 0) {
      // The first relation has no ON clause; its own conditions go to WHERE.
      this.#from.push(`${relation} AS ${alias}`);
      this.#pending.push(...conditions);
    } else if (conditions.length === 0) {
      this.#from.push(`CROSS JOIN ${relation} AS ${alias}`);
    } else {
      this.#from.push(`JOIN ${relation} AS ${alias} ON ${conditions.join(" AND ")}`);
    }
  }

  /** Join an element's table (once); returns its alias. */
  joinElement(element: DimensionElement): string {
    const existing = this.#aliases.get(element.name);
    if (existing !== undefined) return existing;
    const alias = this.newAlias("e");
    const columns = new Map<string, string>();
    for (const dimension of element.dimensions)
      columns.set(dimension.name, element.keyField(dimension.name) as string);
    this.join(this.#dialect.quote(element.name), alias, columns);
    this.#aliases.set(element.name, alias);
    return alias;
  }

  /**
   * Join the tables that give every dimension of `group` a value: the tables of required dimensions,
   * `always_join` elements, the given extra elements, then whatever supplies the implied values in
   * `needed` (a visit's physical_filter table for its band), in universe order. Implied values nobody
   * reads are not joined.
   */
  cover(group: DimensionGroup, extra: Iterable<DimensionElement>, needed: ReadonlySet<string>): void {
    const universe = group.universe;
    const wanted = new Set<string>([...extra].map((e) => e.name));
    for (const name of group.required) {
      const dimension = universe.element(name);
      if (dimension.hasOwnTable && dimension.kind !== "governor") wanted.add(name);
    }
    for (const name of group.elements) if (universe.element(name).alwaysJoin) wanted.add(name);
    for (const element of universe.elements) if (wanted.has(element.name)) this.joinElement(element);
    for (let progress = true; progress; ) {
      progress = false;
      for (const name of group.dataCoordinateKeys) {
        if (this.#keys.has(name) || !needed.has(name)) continue;
        const provider = providerOf(group, name);
        if (provider === undefined) continue;
        this.joinElement(provider);
        progress = true;
      }
    }
  }

  /** The FROM clause text and the conditions that belong in WHERE. */
  render(): { from: string; conditions: readonly string[] } {
    // A query without dimensions has exactly one (empty) row.
    if (this.#from.length === 0)
      return { from: "(SELECT 1 AS one) AS single_row", conditions: this.#pending };
    return { from: this.#from.join(" "), conditions: this.#pending };
  }
}

/** An element with a table that holds a value for `dimension`: its own table, else one that implies it. */
function providerOf(group: DimensionGroup, dimension: string): DimensionElement | undefined {
  const universe = group.universe;
  const own = universe.element(dimension);
  if (own.hasOwnTable) return own;
  const implying = universe.elements.find(
    (e) => e.hasOwnTable && e.implied.some((d) => d.name === dimension) && group.hasDimension(e.name),
  );
  return (
    implying ?? universe.elements.find((e) => e.hasOwnTable && e.implied.some((d) => d.name === dimension))
  );
}
