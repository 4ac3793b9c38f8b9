import { describe, expect, it } from "vitest";
import { DatasetType } from "../../../datasets/dataset-type.ts";
import { defaultUniverse } from "../../../dimensions/default-universe.ts";
import type { SkyPixDimension } from "../../../dimensions/elements.ts";
import { InvalidQueryError, UnimplementedQueryError } from "../../../errors.ts";
import { buildQuery, type QueryRequest } from "../../../query/build-query.ts";
import type { SqlDialect } from "../database.ts";
import { postgresDialect } from "../dialects/postgres/postgres-dialect.ts";
import { sqliteDialect } from "../dialects/sqlite/sqlite-dialect.ts";
import type { CollectionRecord } from "../managers/collections.ts";
import type { DatasetTypeRecord } from "../managers/dataset-types.ts";
import { compileQuery } from "./compile-query.ts";

const universe = defaultUniverse();
const bias = DatasetType.make(universe, {
  name: "bias",
  dimensions: ["instrument", "detector"],
  storageClass: "ExposureF",
  isCalibration: true,
});
const BIAS: DatasetTypeRecord = {
  id: 1,
  datasetType: bias,
  dimensionsKey: 2,
  tagTable: "dataset_tags_00000002",
  calibTable: "dataset_calibs_00000002",
};
const COLLECTIONS: Readonly<Record<string, CollectionRecord>> = {
  run: { id: 10, name: "run", type: "RUN", doc: null },
  calib: { id: 11, name: "calib", type: "CALIBRATION", doc: null },
  tag: { id: 12, name: "tag", type: "TAGGED", doc: null },
};

function compile(
  request: QueryRequest,
  path: readonly string[] = ["run"],
  dialect: SqlDialect = sqliteDialect,
) {
  const spec = buildQuery(universe, new Map([["bias", bias]]), request);
  return compileQuery(spec, {
    universe,
    dialect,
    datasetTypes: new Map([["bias", BIAS]]),
    searchPaths: new Map([["bias", path.map((name) => COLLECTIONS[name] as CollectionRecord)]]),
  });
}

/** Golden SQL for SQLite: label, request, search path of `bias`, SQL text, parameters (bigints as "<n>n"). */
const GOLDEN: ReadonlyArray<readonly [string, QueryRequest, readonly string[], string, readonly unknown[]]> =
  [
    [
      "data IDs ordered and limited",
      {
        where: [{ expression: "instrument = 'HSC' AND visit IN (1..9:2) AND band = 'r'" }],
        result: { kind: "dataIds", dimensions: ["visit", "detector"] },
        orderBy: ["-visit"],
        limit: 10,
      },
      ["run"],
      "SELECT e0.instrument AS k_instrument, e0.id AS k_detector, e1.id AS k_visit, e2.band AS k_band, e1.day_obs AS k_day_obs, e1.physical_filter AS k_physical_filter, e1.id AS o_0 FROM detector AS e0 JOIN visit AS e1 ON e1.instrument = e0.instrument JOIN physical_filter AS e2 ON e2.instrument = e0.instrument AND e2.name = e1.physical_filter WHERE ((e0.instrument = ?1) AND (e1.id >= ?2 AND e1.id <= ?3 AND (e1.id - ?4) % ?5 = 0) AND (e2.band = ?6)) ORDER BY o_0 DESC LIMIT ?7",
      ["HSC", 1, 9, 1, 2, "r", 10],
    ],
    [
      "records with GLOB",
      {
        where: [{ expression: "instrument = 'HSC' AND GLOB(full_name, 'A*')" }],
        result: { kind: "dimensionRecords", element: "detector" },
      },
      ["run"],
      "SELECT e0.instrument AS instrument, e0.id AS id, e0.full_name AS full_name, e0.name_in_raft AS name_in_raft, e0.raft AS raft, e0.purpose AS purpose FROM detector AS e0 WHERE ((e0.instrument = ?1) AND (e0.full_name GLOB ?2))",
      ["HSC", "A*"],
    ],
    [
      "find-first through a RUN and a CALIBRATION collection, joined with an exposure",
      {
        where: [{ expression: "instrument = 'HSC' AND exposure = 5" }],
        result: { kind: "datasets", datasetType: "bias", collections: ["run", "calib"], findFirst: true },
      },
      ["run", "calib"],
      "SELECT k_instrument, k_detector, ds_id, ds_run, CASE WHEN _first_id <> _last_id THEN _collection_id END AS ds_ambiguous_in, CASE WHEN _first_id <> _last_id THEN _first_id END AS ds_ambiguous_first, CASE WHEN _first_id <> _last_id THEN _last_id END AS ds_ambiguous_last FROM (SELECT d0.instrument AS k_instrument, d0.detector AS k_detector, d0.dataset_id AS ds_id, d0_run.name AS ds_run, ROW_NUMBER() OVER (PARTITION BY d0.instrument, d0.detector ORDER BY d0.rank) AS _rownum, MIN(d0.dataset_id) OVER (PARTITION BY d0.instrument, d0.detector, d0.rank) AS _first_id, MAX(d0.dataset_id) OVER (PARTITION BY d0.instrument, d0.detector, d0.rank) AS _last_id, d0.collection_id AS _collection_id FROM (SELECT t.dataset_id, t.collection_id, t.collection_id AS run_id, NULL AS ingest_date, t.instrument, t.detector, ?2 AS timespan_begin, ?3 AS timespan_end, CASE t.collection_id WHEN ?4 THEN ?5 END AS rank FROM dataset_tags_00000002 AS t WHERE t.dataset_type_id = ?6 AND t.collection_id IN (?1) UNION ALL SELECT t.dataset_id, t.collection_id, d.run_id, d.ingest_date, t.instrument, t.detector, t.timespan_begin AS timespan_begin, t.timespan_end AS timespan_end, CASE t.collection_id WHEN ?7 THEN ?8 END AS rank FROM dataset_calibs_00000002 AS t JOIN dataset AS d ON d.id = t.dataset_id WHERE t.dataset_type_id = ?9 AND t.collection_id IN (?10)) AS d0 JOIN detector AS e1 ON e1.instrument = d0.instrument AND e1.id = d0.detector JOIN exposure AS e2 ON e2.instrument = d0.instrument JOIN collection AS d0_run ON d0_run.collection_id = d0.run_id WHERE (d0.timespan_end > e2.timespan_begin AND e2.timespan_end > d0.timespan_begin) AND ((d0.instrument = ?11) AND (e2.id = ?12))) AS ranked WHERE _rownum = 1",
      [10, "0n", "4102444800000000000n", 10, 0, 1, 11, 1, 1, 11, "HSC", 5],
    ],
    [
      "all datasets in a TAGGED collection, by ingest date",
      {
        where: [{ expression: "bias.ingest_date > T'2020-01-01'" }],
        result: { kind: "datasets", datasetType: "bias", collections: ["tag"], findFirst: false },
      },
      ["tag"],
      "SELECT DISTINCT d0.instrument AS k_instrument, d0.detector AS k_detector, d0.dataset_id AS ds_id, d0_run.name AS ds_run FROM (SELECT t.dataset_id, t.collection_id, d.run_id, d.ingest_date, t.instrument, t.detector, ?2 AS timespan_begin, ?3 AS timespan_end, CASE t.collection_id WHEN ?4 THEN ?5 END AS rank FROM dataset_tags_00000002 AS t JOIN dataset AS d ON d.id = t.dataset_id WHERE t.dataset_type_id = ?6 AND t.collection_id IN (?1)) AS d0 JOIN detector AS e1 ON e1.instrument = d0.instrument AND e1.id = d0.detector JOIN collection AS d0_run ON d0_run.collection_id = d0.run_id WHERE (d0.ingest_date > ?7)",
      [12, "0n", "4102444800000000000n", 12, 0, 1, "1577836837000000000n"],
    ],
    [
      "no dimensions",
      { result: { kind: "dataIds", dimensions: [] } },
      ["run"],
      "SELECT 1 AS _empty FROM (SELECT 1 AS one) AS single_row",
      [],
    ],
  ];

describe("compileQuery on SQLite (golden SQL)", () => {
  it.each(GOLDEN)("%s", (_label, request, path, sql, params) => {
    const compiled = compile(request, path);
    expect(compiled.sql).toBe(sql);
    expect(compiled.params.map((v) => (typeof v === "bigint" ? `${v}n` : v))).toEqual(params);
  });

  it("binds every value the user gave, never writing it into the SQL text", () => {
    const compiled = compile({
      where: [
        {
          expression: "instrument = 'x OR 1=1; --' AND GLOB(physical_filter, :p)",
          bind: { p: "'; DROP TABLE dataset; --" },
        },
      ],
      result: { kind: "dataIds", dimensions: ["physical_filter"] },
    });
    expect(compiled.sql).not.toContain("1=1");
    expect(compiled.sql).not.toContain("DROP");
    expect(compiled.params).toEqual(["x OR 1=1; --", "'; DROP TABLE dataset; --"]);
  });

  it("refuses ORDER BY on a column the result does not have", () => {
    const request: QueryRequest = {
      where: [{ expression: "instrument = 'HSC'" }],
      result: { kind: "dataIds", dimensions: ["detector"] },
      orderBy: ["visit"],
    };
    expect(() => compile(request)).toThrow(InvalidQueryError);
    expect(() => compile(request)).toThrow("Cannot order by visit: it is not a column of the result");
  });

  it("joins spatial families through the common skypix overlap tables, leaving exact tests and paging to refinement", () => {
    const compiled = compile({
      where: [{ expression: "instrument = 'HSC' AND skymap = 's'" }],
      result: { kind: "dataIds", dimensions: ["visit", "tract"] },
      limit: 5,
      offset: 2,
    });
    expect(compiled.sql).toBe(
      "SELECT sp0.o2_instrument AS k_instrument, sp0.o1_skymap AS k_skymap, sp0.o1_tract AS k_tract, sp0.o2_visit AS k_visit, e3.band AS k_band, e2.day_obs AS k_day_obs, e2.physical_filter AS k_physical_filter, e1.region AS r_tract, e2.region AS r_visit FROM (SELECT DISTINCT o1.skymap AS o1_skymap, o1.tract AS o1_tract, o2.instrument AS o2_instrument, o2.visit AS o2_visit FROM tract_skypix_overlap AS o1 JOIN visit_skypix_overlap AS o2 ON o2.skypix_system = o1.skypix_system AND o2.skypix_level = o1.skypix_level AND o2.skypix_index = o1.skypix_index WHERE o1.skypix_system = ?1 AND o1.skypix_level = ?2) AS sp0 JOIN tract AS e1 ON e1.skymap = sp0.o1_skymap AND e1.id = sp0.o1_tract JOIN visit AS e2 ON e2.instrument = sp0.o2_instrument AND e2.id = sp0.o2_visit JOIN physical_filter AS e3 ON e3.instrument = sp0.o2_instrument AND e3.name = e2.physical_filter WHERE ((sp0.o2_instrument = ?3) AND (sp0.o1_skymap = ?4))",
    );
    expect(compiled.params.slice(0, 2)).toEqual(["htm", 7]);
    expect(compiled.sql).not.toContain("LIMIT");
    expect(compiled.sql).not.toContain("OFFSET");
    expect(compiled.refinement).toEqual({
      test: {
        kind: "overlaps",
        a: { kind: "column", column: "r_tract" },
        b: { kind: "column", column: "r_visit" },
      },
      limit: 5,
      offset: 2,
    });
  });

  it("narrows a region literal to rows with overlaps in its htm7 envelope, and refines NOT exactly", () => {
    const compiled = compile({
      where: [{ expression: "instrument = 'HSC' AND NOT visit.region OVERLAPS CIRCLE(150, 2, 0.1)" }],
      result: { kind: "dataIds", dimensions: ["visit"] },
    });
    // Under NOT the candidate condition admits everything: only the exact test can exclude a row.
    expect(compiled.sql).toContain("(NOT (1 = 0))");
    expect(compiled.refinement?.test).toMatchObject({
      kind: "not",
      operand: { kind: "overlaps", a: { kind: "column", column: "r_visit" }, b: { kind: "literal" } },
    });
    const positive = compile({
      where: [{ expression: "instrument = 'HSC' AND visit.region OVERLAPS CIRCLE(150, 2, 0.1)" }],
      result: { kind: "dataIds", dimensions: ["visit"] },
    });
    // The pixels of the literal's htm7 envelope, listed so that the pixel index serves the lookup.
    expect(positive.sql).toMatch(
      /\(\(e0\.instrument, e0\.id\) IN \(SELECT o\.instrument, o\.visit FROM visit_skypix_overlap AS o WHERE o\.skypix_system = \?\d+ AND o\.skypix_level = \?\d+ AND o\.skypix_index IN \((\?\d+, )*\?\d+\)\)\)/,
    );
    const wide = compile({
      where: [{ expression: "instrument = 'HSC' AND visit.region OVERLAPS CIRCLE(150, 2, 20)" }],
      result: { kind: "dataIds", dimensions: ["visit"] },
    });
    // A wide literal looks up each range on its own.
    expect(wide.sql).toContain(
      "UNION ALL SELECT o.instrument, o.visit FROM visit_skypix_overlap AS o WHERE o.skypix_system = ",
    );
    expect(wide.sql).not.toContain(" OR ");
  });

  it("looks region literals up at the repository's fine skypix level", () => {
    const spec = buildQuery(universe, new Map(), {
      where: [{ expression: "instrument = 'HSC' AND visit.region OVERLAPS CIRCLE(150, 2, 0.1)" }],
      result: { kind: "dataIds", dimensions: ["visit"] },
    });
    const context = { universe, dialect: sqliteDialect, datasetTypes: new Map(), searchPaths: new Map() };
    const common = compileQuery(spec, context);
    const fine = compileQuery(spec, {
      ...context,
      fineSkyPix: universe.dimension("htm9") as SkyPixDimension,
    });
    const levels = (sql: string, params: readonly unknown[]) =>
      [...sql.matchAll(/skypix_level = \?(\d+)/g)].map((m) => params[Number(m[1]) - 1]);
    expect(levels(common.sql, common.params)).toEqual([7]);
    expect(levels(fine.sql, fine.params)).toEqual([9]);
  });

  it("leaves the values of another skypix level to the refinement, generated from the joined region", () => {
    const compiled = compile({
      where: [{ expression: "instrument = 'HSC' AND htm9 > 100" }],
      result: { kind: "dataIds", dimensions: ["visit", "htm9"] },
    });
    expect(compiled.sql).not.toContain("htm9");
    expect(compiled.sql).not.toContain("skypix_overlap");
    expect(compiled.refinement).toEqual({
      expansions: [{ dimension: "htm9", column: "k_htm9", source: { kind: "column", column: "r_visit" } }],
      test: { kind: "keyRanges", column: "k_htm9", ranges: [[101, Number.MAX_SAFE_INTEGER]] },
    });
  });

  it("refuses a skypix dimension of a dataset joined at another level with UnimplementedQueryError", () => {
    const refcat = DatasetType.make(universe, {
      name: "refcat",
      dimensions: ["htm9"],
      storageClass: "StructuredDataDict",
    });
    const spec = buildQuery(universe, new Map([["refcat", refcat]]), {
      where: [{ expression: "instrument = 'HSC'" }],
      datasets: [{ datasetType: "refcat", collections: ["run"] }],
      result: { kind: "dataIds", dimensions: ["visit", "htm9"] },
    });
    const context = {
      universe,
      dialect: sqliteDialect,
      datasetTypes: new Map([["refcat", { ...BIAS, datasetType: refcat, calibTable: null }]]),
      searchPaths: new Map([["refcat", [COLLECTIONS.run as CollectionRecord]]]),
    };
    expect(() => compileQuery(spec, context)).toThrow(UnimplementedQueryError);
    expect(() => compileQuery(spec, context)).toThrow(
      "Spatial joins with htm9 are not supported: only the common skypix dimension htm7 is joined to regions",
    );
  });
});

describe("compileQuery on PostgreSQL (golden SQL)", () => {
  // Untyped, PostgreSQL reads a select-list parameter as text (ranks would sort "10" before "2") and
  // refuses "2.5" for an integer column.
  it("types the values of a select list and the numbers of a where clause", () => {
    const compiled = compile(
      {
        where: [{ expression: "instrument = 'HSC' AND detector < 2.5 AND bias.ingest_date > T'2020-01-01'" }],
        result: { kind: "datasets", datasetType: "bias", collections: ["tag", "run"], findFirst: false },
      },
      ["tag", "run"],
      postgresDialect,
    );
    expect(compiled.sql).toBe(
      'SELECT DISTINCT d0."instrument" AS "k_instrument", d0."detector" AS "k_detector", d0.dataset_id AS "ds_id", d0_run.name AS "ds_run" FROM (SELECT t.dataset_id, t.collection_id, d.run_id, d.ingest_date, t."instrument", t."detector", $3::bigint AS timespan_begin, $4::bigint AS timespan_end, CASE t.collection_id WHEN $5 THEN $6::bigint WHEN $7 THEN $8::bigint END AS rank FROM "dataset_tags_00000002" AS t JOIN dataset AS d ON d.id = t.dataset_id WHERE t.dataset_type_id = $9 AND t.collection_id IN ($1, $2)) AS d0 JOIN "detector" AS e1 ON e1."instrument" = d0."instrument" AND e1."id" = d0."detector" JOIN collection AS d0_run ON d0_run.collection_id = d0.run_id WHERE ((d0."instrument" = $10) AND (d0."detector" < $11::double precision) AND (d0.ingest_date > $12::bigint))',
    );
  });
});
