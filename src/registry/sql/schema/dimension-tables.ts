import type { ColumnSpec } from "../../../dimensions/dimension-config.ts";
import { Dimension, type DimensionElement } from "../../../dimensions/elements.ts";
import { TopologicalFamily } from "../../../dimensions/topology.ts";
import type { DimensionUniverse } from "../../../dimensions/universe.ts";
import { ConfigError } from "../../../errors.ts";
import type { SqlColumn, SqlColumnType, SqlForeignKey, TableSpec } from "../table-spec.ts";
import { COLLECTION_ID, collectionForeignKey, tableSpec } from "./static-tables.ts";

const SQL_TYPES: Readonly<Record<ColumnSpec["type"], SqlColumnType>> = {
  int: "bigint",
  string: "string",
  float: "float",
  hash: "hash",
  bool: "bool",
};

/** A record column as daf_butler's `to_sql_spec` makes it, under `name`. */
function sqlColumn(spec: ColumnSpec, name: string, nullable: boolean): SqlColumn {
  return Object.freeze({
    name,
    type: SQL_TYPES[spec.type],
    nullable,
    ...(spec.length === undefined ? {} : { length: spec.length }),
    ...(spec.nbytes === undefined ? {} : { nbytes: spec.nbytes }),
  });
}

/** The NOT NULL column that holds `dimension`'s value in another table, named after the dimension. */
export function dimensionKeyColumn(dimension: Dimension): SqlColumn {
  return sqlColumn(dimension.primaryKey, dimension.name, false);
}

/**
 * The foreign key from the columns named after `dimension` and its required dependencies to the
 * dimension's own table, or null when it has none (an implied-union dimension such as `band`, or skypix).
 */
export function dimensionForeignKey(dimension: Dimension): SqlForeignKey | null {
  if (!dimension.hasOwnTable) return null;
  return Object.freeze({
    table: dimension.name,
    source: dimension.required.map((d) => d.name),
    target: dimension.required.map((d) => (d === dimension ? dimension.primaryKey.name : d.name)),
    addIndex: true,
  });
}

/** Key columns and foreign keys of `dimensions`, as daf_butler's `addDimensionForeignKey` adds them. */
function dimensionReferences(dimensions: readonly Dimension[]): {
  columns: SqlColumn[];
  foreignKeys: SqlForeignKey[];
} {
  return {
    columns: dimensions.map(dimensionKeyColumn),
    foreignKeys: dimensions.flatMap((d) => dimensionForeignKey(d) ?? []),
  };
}

const REGION: SqlColumn = Object.freeze({ name: "region", type: "region", nullable: true });
const TIMESPAN: SqlColumn = Object.freeze({ name: "timespan", type: "timespan", nullable: true });

/** The table of an element's records: columns in record-field order, keyed by its required dimensions. */
function elementTable(element: DimensionElement): TableSpec {
  const dependencies = element.required.filter((d) => d !== element);
  const alternateKeys = element instanceof Dimension ? element.alternateKeys : [];
  const columns = new Map<string, SqlColumn>();
  for (const d of [...dependencies, ...element.implied]) columns.set(d.name, dimensionKeyColumn(d));
  if (element instanceof Dimension) {
    columns.set(element.primaryKey.name, sqlColumn(element.primaryKey, element.primaryKey.name, false));
  }
  // daf_butler converts alternate keys and metadata without their nullability, so they are all nullable.
  for (const c of [...alternateKeys, ...element.metadata]) columns.set(c.name, sqlColumn(c, c.name, true));
  columns.set(REGION.name, REGION);
  columns.set(TIMESPAN.name, TIMESPAN);
  return tableSpec({
    name: element.name,
    columns: element.recordFields.map((field) => columns.get(field) as SqlColumn),
    primaryKey: element.required.map((d) => element.keyField(d.name) as string),
    unique: alternateKeys.map((key) => [...dependencies.map((d) => d.name), key.name]),
    foreignKeys: dimensionReferences([...dependencies, ...element.implied]).foreignKeys,
  });
}

const SKYPIX_SYSTEM: SqlColumn = Object.freeze({
  name: "skypix_system",
  type: "string",
  length: 16,
  nullable: false,
});
const SKYPIX_LEVEL: SqlColumn = Object.freeze({ name: "skypix_level", type: "smallint", nullable: false });
const SKYPIX_INDEX: SqlColumn = Object.freeze({ name: "skypix_index", type: "bigint", nullable: false });

/** The governor every member of a spatial family depends on (the universe checks there is one). */
function governorOf(element: DimensionElement): Dimension {
  const governor = element.governor;
  if (governor === null) throw new TypeError(`spatial element ${element.name} has no governor dimension`);
  return governor;
}

/** `<element>_skypix_overlap_summary` and `<element>_skypix_overlap` for a spatial element. */
function skyPixOverlapTables(element: DimensionElement): TableSpec[] {
  const governor = governorOf(element);
  const summaryName = `${element.name}_skypix_overlap_summary`;
  const summaryKey = [SKYPIX_SYSTEM.name, SKYPIX_LEVEL.name, governor.name];
  const dimensions = dimensionReferences(element.required);
  const summary = tableSpec({
    name: summaryName,
    columns: [SKYPIX_SYSTEM, SKYPIX_LEVEL, dimensionKeyColumn(governor)],
    primaryKey: summaryKey,
    foreignKeys: dimensionReferences([governor]).foreignKeys,
  });
  const overlapColumns = [SKYPIX_SYSTEM, SKYPIX_LEVEL, ...dimensions.columns, SKYPIX_INDEX];
  const overlap = tableSpec({
    name: `${element.name}_skypix_overlap`,
    columns: overlapColumns,
    primaryKey: overlapColumns.map((c) => c.name),
    // The primary key's columns reordered, for lookups by pixel.
    indexes: [[SKYPIX_SYSTEM.name, SKYPIX_LEVEL.name, SKYPIX_INDEX.name, ...element.minimalGroup.required]],
    foreignKeys: [
      { table: summaryName, source: summaryKey, target: summaryKey, onDelete: "CASCADE", addIndex: true },
      ...dimensions.foreignKeys,
    ],
  });
  return [summary, overlap];
}

/** Every pair of spatial elements in different families, each pair in universe order, as daf_butler pairs them. */
function crossFamilyPairs(spatial: readonly DimensionElement[]): [DimensionElement, DimensionElement][] {
  const families = new Map<TopologicalFamily, DimensionElement[]>();
  for (const element of spatial) {
    const family = element.spatial as TopologicalFamily;
    families.set(family, [...(families.get(family) ?? []), element]);
  }
  const groups = [...families.values()];
  return groups.flatMap((elements1, i) =>
    groups
      .slice(i + 1)
      .flatMap((elements2) =>
        elements1.flatMap((a) =>
          elements2.map((b): [DimensionElement, DimensionElement] => (a.index < b.index ? [a, b] : [b, a])),
        ),
      ),
  );
}

/**
 * daf_butler's legacy `<a>_<b>_overlap_summary` and `<a>_<b>_overlap` tables for two spatial elements of
 * different families. No query uses them, but daf_butler creates them and its schema version covers them.
 * @throws {ConfigError} when both elements have the same governor.
 */
function legacyOverlapTables(first: DimensionElement, second: DimensionElement): TableSpec[] {
  const governors = [governorOf(first), governorOf(second)];
  if (governors[0] === governors[1]) {
    throw new ConfigError(
      `spatial elements "${first.name}" and "${second.name}" are in different families but share governor "${governors[0]}"`,
      { path: "topology.spatial", hint: "daf_butler cannot create a registry for such a universe." },
    );
  }
  const name = `${first.name}_${second.name}_overlap`;
  const tables = [
    { name: `${name}_summary`, dimensions: governors },
    {
      name,
      dimensions: [
        ...governors,
        ...first.required.filter((d) => d !== governors[0]),
        ...second.required.filter((d) => d !== governors[1]),
      ],
    },
  ];
  return tables.map((table) => {
    const references = dimensionReferences(table.dimensions);
    return tableSpec({
      name: table.name,
      columns: references.columns,
      primaryKey: references.columns.map((c) => c.name),
      foreignKeys: references.foreignKeys,
    });
  });
}

/** `collection_summary_<governor>`: which governor values each collection's datasets have. */
function collectionSummaryTable(governor: Dimension): TableSpec {
  const references = dimensionReferences([governor]);
  return tableSpec({
    name: `collection_summary_${governor.name}`,
    columns: [COLLECTION_ID, ...references.columns],
    primaryKey: [COLLECTION_ID.name, governor.name],
    foreignKeys: [collectionForeignKey(COLLECTION_ID.name, "CASCADE"), ...references.foreignKeys],
  });
}

/**
 * Every registry table the dimension universe defines, as daf_butler's static dimension and dataset
 * managers make them: one table per element that has its own (`element.hasOwnTable`), the skypix overlap
 * tables of each spatial element, the legacy element-element overlap tables, and one collection summary
 * table per governor. Each table comes after the dimension tables it refers to.
 * @throws {ConfigError} when two spatial families share a governor, which daf_butler's schema cannot hold.
 */
export function dimensionTables(universe: DimensionUniverse): TableSpec[] {
  const elements = universe.elements.filter((element) => element.hasOwnTable);
  const spatial = elements.filter((element) => element.spatial instanceof TopologicalFamily);
  return [
    ...elements.flatMap((element) => [
      elementTable(element),
      ...(spatial.includes(element) ? skyPixOverlapTables(element) : []),
    ]),
    ...crossFamilyPairs(spatial).flatMap(([first, second]) => legacyOverlapTables(first, second)),
    ...universe.governors.map(collectionSummaryTable),
  ];
}
