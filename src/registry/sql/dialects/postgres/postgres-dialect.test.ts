import { describe, expect, it } from "vitest";
import { Timespan } from "../../../../time/timespan.ts";
import { postgresDialect } from "./postgres-dialect.ts";
import { redactPostgresUrl } from "./postgres-errors.ts";

describe("postgresDialect", () => {
  it("stores a timespan as one INT8RANGE, unbounded sides empty as daf_butler writes them", () => {
    const year = Timespan.fromNs(1_577_836_800_000_000_000n, 1_609_459_200_000_000_000n);
    expect(postgresDialect.timespanColumns("timespan")).toEqual(["timespan"]);
    expect(postgresDialect.encodeTimespan(year)).toEqual(["[1577836800000000000,1609459200000000000)"]);
    expect(postgresDialect.encodeTimespan(Timespan.unbounded())).toEqual(["[,)"]);
    expect(postgresDialect.encodeTimespan(Timespan.empty())).toEqual(["empty"]);
    expect(postgresDialect.encodeTimespan(null)).toEqual([null]);
    expect(postgresDialect.decodeTimespan({ t: "[1577836800000000000,1609459200000000000)" }, "t")).toEqual(
      year,
    );
    expect(postgresDialect.decodeTimespan({ t: "(,)" }, "t")).toEqual(Timespan.unbounded());
    expect(postgresDialect.decodeTimespan({ t: "empty" }, "t")).toEqual(Timespan.empty());
    expect(postgresDialect.decodeTimespan({ t: null }, "t")).toBeNull();
    expect(postgresDialect.timespanOverlaps("c.timespan", 3)).toBe("(c.timespan && $3::int8range)");
  });

  it("types parameters the SQL around them leaves untyped, and casts to double precision", () => {
    expect(postgresDialect.typedParameter("$2", "bigint")).toBe("$2::bigint");
    expect(postgresDialect.typedParameter("$3", "float")).toBe("$3::double precision");
    expect(postgresDialect.floatType).toBe("double precision");
  });

  it("turns daf_butler glob patterns into LIKE with escapes", () => {
    expect(postgresDialect.glob("name", "*")).toEqual({ sql: "1 = 1", params: [] });
    expect(postgresDialect.glob("name", "u/*/run_?")).toEqual({
      sql: "name LIKE ? ESCAPE '\\'",
      params: ["u/%/run\\__"],
    });
    expect(postgresDialect.glob("name", "100%\\*").params).toEqual(["100\\%*"]);
  });

  it("numbers new keys from daf_butler's sequences and reads timespan ends for the shared compiler", () => {
    expect(postgresDialect.nextId("collection", "collection_id")).toBe(
      "nextval('collection_seq_collection_id')",
    );
    expect(postgresDialect.timespanBounds("t", "timespan")).toEqual({
      begin: 'COALESCE(lower(t."timespan"), CASE WHEN lower_inf(t."timespan") THEN 0 END)',
      end: 'COALESCE(upper(t."timespan"), CASE WHEN upper_inf(t."timespan") THEN 4102444800000000000 END)',
    });
    expect(postgresDialect.uuidAggregateOperand("d0.dataset_id")).toBe("d0.dataset_id::text");
    expect(postgresDialect.noLimit).toBe("");
  });

  it("quotes identifiers and numbers placeholders", () => {
    expect(postgresDialect.quote("position")).toBe('"position"');
    expect(postgresDialect.quote('we"ird')).toBe('"we""ird"');
    expect(postgresDialect.placeholder(12)).toBe("$12");
  });
});

describe("redactPostgresUrl()", () => {
  it("drops the password from the user part and from parameters", () => {
    expect(redactPostgresUrl("postgresql://u:s3cret@db.example:5432/b?password=x&sslmode=require")).toBe(
      "postgresql://u@db.example:5432/b?password=***&sslmode=require",
    );
    expect(redactPostgresUrl("postgresql://postgres@/butler?host=/tmp/sock")).toBe(
      "postgresql://postgres@/butler?host=/tmp/sock",
    );
  });
});
