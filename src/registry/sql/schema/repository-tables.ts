import type { DimensionUniverse } from "../../../dimensions/universe.ts";
import type { TableSpec } from "../table-spec.ts";
import { dimensionTables } from "./dimension-tables.ts";
import { staticTables } from "./static-tables.ts";

/**
 * `tables` reordered so each comes after the tables its foreign keys point to (a table may refer to
 * itself): in rounds, each taking the tables whose targets are placed, in their given order.
 * @throws {TypeError} when a foreign key points to a table not in the list, or foreign keys form a cycle.
 */
function dependencyOrder(tables: readonly TableSpec[]): TableSpec[] {
  const names = new Set(tables.map((table) => table.name));
  for (const table of tables) {
    const missing = table.foreignKeys.find((fk) => !names.has(fk.table));
    if (missing !== undefined) {
      throw new TypeError(`table ${table.name} refers to table ${missing.table}, which is not defined`);
    }
  }
  const done = new Set<string>();
  const ordered: TableSpec[] = [];
  let pending = [...tables];
  while (pending.length > 0) {
    const ready = pending.filter((table) =>
      table.foreignKeys.every((fk) => fk.table === table.name || done.has(fk.table)),
    );
    if (ready.length === 0) {
      throw new TypeError(`foreign keys form a cycle among ${pending.map((t) => t.name).join(", ")}`);
    }
    for (const table of ready) {
      ordered.push(table);
      done.add(table.name);
    }
    pending = pending.filter((table) => !done.has(table.name));
  }
  return ordered;
}

/**
 * Every table a new registry needs for `universe`, with daf_butler's default managers (dataset tags and
 * calibs tables come later, one pair per saved dimension group), in an order in which they can be created:
 * each table after the tables its foreign keys point to.
 * @example for (const spec of repositoryTables(defaultUniverse())) db.exec(renderSqliteTable(spec).join(";\n"));
 * @throws {ConfigError} when the universe's spatial families share a governor, which daf_butler's schema cannot hold.
 */
export function repositoryTables(universe: DimensionUniverse): TableSpec[] {
  return dependencyOrder([...staticTables(), ...dimensionTables(universe)]);
}
