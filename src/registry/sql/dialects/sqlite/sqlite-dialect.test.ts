import { describe, expect, it } from "vitest";
import { sqliteDialect } from "./sqlite-dialect.ts";

describe("sqliteDialect", () => {
  it("leaves new keys to SQLite and compares the stored timespan columns directly", () => {
    expect(sqliteDialect.nextId("collection", "collection_id")).toBeNull();
    expect(sqliteDialect.timespanBounds("e1", "timespan")).toEqual({
      begin: "e1.timespan_begin",
      end: "e1.timespan_end",
    });
    expect(sqliteDialect.uuidAggregateOperand("d0.dataset_id")).toBe("d0.dataset_id");
    expect(sqliteDialect.noLimit).toBe(" LIMIT -1");
  });
});
