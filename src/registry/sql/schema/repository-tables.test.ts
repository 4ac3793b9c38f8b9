import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { describeWithFixtures, fixturePath } from "../../../../test/support/shared-fixtures.ts";
import { defaultUniverse } from "../../../dimensions/default-universe.ts";
import { loadDimensionUniverse } from "../../../dimensions/load-universe.ts";
import type { DimensionUniverse } from "../../../dimensions/universe.ts";
import { renderSqliteTable } from "../dialects/sqlite/sqlite-ddl.ts";
import type { TableSpec } from "../table-spec.ts";
import { datasetCalibsTable, datasetTagsTable } from "./dataset-tables.ts";
import { repositoryTables } from "./repository-tables.ts";

interface MasterRow {
  readonly type: string;
  readonly name: string;
  readonly table: string;
  readonly sql: string;
}

/** The CREATE statements SQLite recorded, without its own automatic indexes (which have no SQL). */
function schemaOf(db: DatabaseSync): MasterRow[] {
  return db
    .prepare('SELECT type, name, tbl_name AS "table", sql FROM sqlite_master WHERE sql IS NOT NULL')
    .all() as unknown as MasterRow[];
}

/** A new in-memory database with foreign keys enforced and `tables` created in order. */
function createDatabase(tables: readonly TableSpec[]): DatabaseSync {
  const db = new DatabaseSync(":memory:");
  db.exec("PRAGMA foreign_keys = ON");
  for (const table of tables) for (const statement of renderSqliteTable(table)) db.exec(statement);
  return db;
}

/** The type of a column, for comparing the two ends of a foreign key. */
function columnType(table: TableSpec | undefined, name: string | undefined): string | undefined {
  const column = table?.columns.find((c) => c.name === name);
  return column && `${column.type}(${column.length ?? column.nbytes ?? ""})`;
}

/** Each table's foreign keys point to tables before it, at a key or unique constraint of the same types. */
function expectConsistent(tables: readonly TableSpec[]): void {
  const seen = new Map<string, TableSpec>();
  for (const table of tables) {
    seen.set(table.name, table);
    for (const fk of table.foreignKeys) {
      const target = seen.get(fk.table);
      const where = `${table.name}(${fk.source}) -> ${fk.table}(${fk.target})`;
      expect(target, where).toBeDefined();
      const keys = [target?.primaryKey, ...(target?.unique ?? [])].map((key) => key?.join(","));
      expect(keys, where).toContain(fk.target.join(","));
      expect(
        fk.source.map((name) => columnType(table, name)),
        where,
      ).toEqual(fk.target.map((name) => columnType(target, name)));
    }
  }
}

/** The dataset tables for a few groups, as a repository grows them. */
function datasetTables(universe: DimensionUniverse): TableSpec[] {
  const groups = [
    ["detector", "physical_filter"],
    ["visit", "detector"],
    ["tract", "patch", "band"],
  ];
  return groups.flatMap((names, i) => [
    datasetTagsTable(universe.conform(names), i + 1),
    datasetCalibsTable(universe.conform(names), i + 1),
  ]);
}

describe("repositoryTables()", () => {
  it("orders tables so each comes after those its foreign keys point to, which SQLite accepts", () => {
    const tables = [...repositoryTables(defaultUniverse()), ...datasetTables(defaultUniverse())];
    expectConsistent(tables);
    const db = createDatabase(tables);
    // Checking reports a foreign key whose target columns are not a key of the target table.
    expect(db.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
  });
});

describeWithFixtures("repositoryTables() against a repository daf_butler made", () => {
  const universe = defaultUniverse();

  /** The fixture's dataset tables, rebuilt from its saved dimension groups and dataset types. */
  function fixtureDatasetTables(fixture: DatabaseSync): TableSpec[] {
    const saved = new Map<number, string[]>();
    for (const row of fixture
      .prepare("SELECT dimension_graph_id, dimension_name FROM dimension_graph_definition")
      .all()) {
      const key = Number(row.dimension_graph_id);
      saved.set(key, [...(saved.get(key) ?? []), String(row.dimension_name)]);
    }
    const tables = new Map<string, TableSpec>();
    const datasetTypes = fixture
      .prepare("SELECT dimensions_key, calibration_association_table FROM dataset_type ORDER BY id")
      .all();
    for (const row of datasetTypes) {
      const key = Number(row.dimensions_key);
      const group = universe.conform(saved.get(key) ?? []);
      const tags = datasetTagsTable(group, key);
      tables.set(tags.name, tags);
      if (row.calibration_association_table !== null) {
        const calibs = datasetCalibsTable(group, key);
        expect(calibs.name).toBe(row.calibration_association_table);
        tables.set(calibs.name, calibs);
      }
    }
    return [...tables.values()];
  }

  it("creates exactly daf_butler's tables, statements and indexes", () => {
    const fixture = new DatabaseSync(fixturePath("repos", "small", "gen3.sqlite3"), { readOnly: true });
    const tables = [...repositoryTables(universe), ...fixtureDatasetTables(fixture)];
    const ours = schemaOf(createDatabase(tables));
    const theirs = schemaOf(fixture);
    const tableNames = (rows: MasterRow[]) => rows.filter((r) => r.type === "table").map((r) => r.name);
    expect(tableNames(ours).sort()).toEqual(tableNames(theirs).sort());
    const expected = new Map(theirs.filter((r) => r.type === "table").map((r) => [r.name, r.sql]));
    for (const row of ours.filter((r) => r.type === "table")) {
      expect(row.sql, row.name).toBe(expected.get(row.name));
    }
    // daf_butler creates indexes in set order, which varies: compare each table's as a set.
    const indexes = (rows: MasterRow[], table: string) =>
      rows
        .filter((r) => r.type === "index" && r.table === table)
        .map((r) => r.sql)
        .sort();
    for (const name of tableNames(theirs)) expect(indexes(ours, name), name).toEqual(indexes(theirs, name));
  });
});

describeWithFixtures("repositoryTables() of an older universe", () => {
  it("builds a consistent schema that SQLite accepts with foreign keys on", async () => {
    const universe = await loadDimensionUniverse(fixturePath("dimensions", "daf_butler_universe2.yaml"));
    const tables = [...repositoryTables(universe), ...datasetTables(universe)];
    expectConsistent(tables);
    const db = createDatabase(tables);
    expect(db.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
    expect(tables.find((t) => t.name === "collection_summary_instrument")?.columns[1]).toMatchObject({
      length: 16,
    });
    db.exec("INSERT INTO instrument (name) VALUES ('HSC')");
    expect(() => db.exec("INSERT INTO detector (instrument, id) VALUES ('LSST', 1)")).toThrow(
      /FOREIGN KEY constraint failed/,
    );
  });
});
