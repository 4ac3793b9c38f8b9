import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultUniverse } from "../../src/dimensions/default-universe.ts";
import type { Database } from "../../src/registry/sql/database.ts";
import { openPostgresDatabase } from "../../src/registry/sql/dialects/postgres/postgres-database.ts";
import { postgresDialect } from "../../src/registry/sql/dialects/postgres/postgres-dialect.ts";
import { datasetCalibsTable, datasetTagsTable } from "../../src/registry/sql/schema/dataset-tables.ts";
import { repositoryTables } from "../../src/registry/sql/schema/repository-tables.ts";
import {
  type PostgresCluster,
  postgresUnavailableReason,
  startPostgresCluster,
} from "../support/postgres-cluster.ts";
import { fixturePath, fixturesAvailable } from "../support/shared-fixtures.ts";

const unavailable =
  postgresUnavailableReason() ?? (fixturesAvailable ? undefined : "daf_butler fixtures not found");
const describePostgres = unavailable === undefined ? describe : describe.skip;
const title = (name: string) => (unavailable === undefined ? name : `${name} [skipped: ${unavailable}]`);

/** Every table of the current schema as text lines (columns, then constraints and indexes), and its sequences. */
async function schemaShape(db: Database): Promise<Map<string, string[]>> {
  const shape = new Map<string, string[]>();
  const add = (table: string, line: string) => shape.set(table, [...(shape.get(table) ?? []), line]);
  const columns = await db.query(
    `SELECT table_name, column_name, data_type, character_maximum_length AS length, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
  for (const c of columns) {
    // Our autoincrement columns default to their sequence; daf_butler calls nextval itself.
    const byDefault = String(c.column_default ?? "").startsWith("nextval(") ? null : c.column_default;
    add(String(c.table_name), `${c.column_name} ${c.data_type}(${c.length}) ${c.is_nullable} ${byDefault}`);
  }
  const constraints = await db.query(
    `SELECT c.relname AS table_name, con.conname || ' ' || pg_get_constraintdef(con.oid) AS definition
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
      WHERE c.relnamespace = current_schema()::regnamespace`,
  );
  const indexes = await db.query(
    "SELECT tablename AS table_name, indexdef AS definition FROM pg_indexes WHERE schemaname = current_schema()",
  );
  const rest = new Map<string, string[]>();
  for (const row of [...constraints, ...indexes]) {
    // Without the schema name, which differs.
    const definition = String(row.definition).replace(/ ON \S+ USING /, " USING ");
    const table = String(row.table_name);
    rest.set(table, [...(rest.get(table) ?? []), definition]);
  }
  for (const [table, lines] of rest) for (const line of lines.sort()) add(table, line);
  const sequences = await db.query(
    "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema()",
  );
  shape.set("(sequences)", sequences.map((row) => String(row.sequence_name)).sort());
  return shape;
}

describePostgres(title("PostgreSQL DDL against daf_butler's small_pg.sql"), () => {
  let cluster: PostgresCluster;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    await cluster.psql("-c", "CREATE EXTENSION btree_gist");
    await cluster.psql("-f", fixturePath("repos", "small_pg.sql"));
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it("creates the tables, columns, constraints and indexes daf_butler creates, with the same names", async () => {
    const universe = defaultUniverse();
    const flat = universe.conform(["detector", "physical_filter"]);
    const bias = universe.conform(["detector"]);
    const specs = [
      ...repositoryTables(universe),
      datasetTagsTable(flat, 1),
      datasetCalibsTable(flat, 1),
      datasetTagsTable(bias, 2),
      datasetCalibsTable(bias, 2),
    ];
    const ours = await openPostgresDatabase(cluster.url, postgresDialect, {
      namespace: "ours",
      create: true,
    });
    const theirs = await openPostgresDatabase(cluster.url, postgresDialect, { namespace: "small_pg" });
    try {
      await ours.transaction(async (tx) => {
        for (const spec of specs)
          for (const statement of postgresDialect.renderTable(spec)) await tx.exec(statement);
      });
      const [mine, expected] = await Promise.all([schemaShape(ours), schemaShape(theirs)]);
      expect([...mine.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [table, lines] of expected) expect(mine.get(table), table).toEqual(lines);
    } finally {
      await Promise.all([ours.close(), theirs.close()]);
    }
  });
});
