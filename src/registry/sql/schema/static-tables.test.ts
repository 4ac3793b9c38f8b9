import { describe, expect, it } from "vitest";
import { staticTables } from "./static-tables.ts";

describe("staticTables()", () => {
  const tables = staticTables();

  it("holds the tables of daf_butler's default managers that do not depend on the universe", () => {
    expect(tables.map((t) => t.name)).toEqual([
      "butler_attributes",
      "opaque_meta",
      "dataset_location_trash",
      "collection",
      "run",
      "collection_chain",
      "dataset_type",
      "dataset",
      "collection_summary_dataset_type",
      "dimension_graph_key",
      "dimension_graph_definition",
      "dataset_location",
      "file_datastore_records",
    ]);
  });

  it("refers only to tables among them", () => {
    const names = new Set(tables.map((t) => t.name));
    expect(tables.flatMap((t) => t.foreignKeys.map((fk) => fk.table)).filter((n) => !names.has(n))).toEqual(
      [],
    );
  });

  it("stores ingest dates as TAI nanoseconds and numbers collections and dataset types itself", () => {
    const table = (name: string) => tables.find((t) => t.name === name);
    expect(table("dataset")?.columns.find((c) => c.name === "ingest_date")).toEqual({
      name: "ingest_date",
      type: "bigint",
      nullable: false,
    });
    expect(table("collection")?.columns[0]).toMatchObject({ name: "collection_id", autoincrement: true });
    expect(table("dataset_type")?.columns[0]).toMatchObject({ name: "id", autoincrement: true });
  });
});
