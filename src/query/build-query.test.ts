import { describe, expect, it } from "vitest";
import { DatasetType } from "../datasets/dataset-type.ts";
import { defaultUniverse } from "../dimensions/default-universe.ts";
import { ButlerUserError, InvalidQueryError } from "../errors.ts";
import { buildQuery, type QueryRequest } from "./build-query.ts";
import type { Predicate } from "./tree/expressions.ts";

const universe = defaultUniverse();
const bias = DatasetType.make(universe, {
  name: "bias",
  dimensions: ["instrument", "detector"],
  storageClass: "ExposureF",
  isCalibration: true,
});
const TYPES = new Map([["bias", bias]]);
const BIND = { det: 3, dets: [1, 2], name: "Cam1", obj: { a: 1 }, ts: null };

function request(expression: string, extra: Partial<QueryRequest> = {}): QueryRequest {
  return {
    where: [{ expression, bind: BIND }],
    datasets: [{ datasetType: "bias", collections: ["c"] }],
    result: { kind: "dataIds", dimensions: ["visit", "detector"] },
    ...extra,
  };
}

function failure(expression: string, extra: Partial<QueryRequest> = {}): InvalidQueryError {
  try {
    buildQuery(universe, TYPES, request(expression, extra));
  } catch (error) {
    if (error instanceof InvalidQueryError) return error;
    throw error;
  }
  throw new Error(`"${expression}" resolved`);
}

/** Expressions that parse but do not resolve: the message lines users read (reason, line, carets) and the hint. */
const BAD: ReadonlyArray<readonly [string, readonly string[], string | undefined]> = [
  [
    "visitt = 1 AND instrument = 'HSC'",
    ['Unrecognized identifier "visitt"', "visitt = 1 AND instrument = 'HSC'", "^^^^^^"],
    'Did you mean "visit"?',
  ],
  [
    "instrument = 'HSC' AND detector.nme = 'x'",
    [
      'Unrecognized field "nme" for detector',
      "instrument = 'HSC' AND detector.nme = 'x'",
      "                       ^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND visit.exposure_time > 'abc'",
    [
      "Cannot compare visit.exposure_time (float) with 'abc' (string)",
      "instrument = 'HSC' AND visit.exposure_time > 'abc'",
      "                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND visit > 'abc'",
    [
      "Cannot compare visit (int) with 'abc' (string)",
      "instrument = 'HSC' AND visit > 'abc'",
      "                       ^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND detector + 'a' > 1",
    [
      "Arithmetic needs numbers, but \"'a'\" is string",
      "instrument = 'HSC' AND detector + 'a' > 1",
      "                                  ^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND visit",
    ['Expression "visit" is not a condition', "instrument = 'HSC' AND visit", "                       ^^^^^"],
    "Compare it with something, e.g. `visit = 1`.",
  ],
  [
    "visit + 1",
    ['Expression "visit + 1" is not a condition', "visit + 1", "^^^^^^^^^"],
    "Compare it with something, e.g. `visit = 1`.",
  ],
  [
    "instrument = 'HSC' AND visit.timespan > 3",
    [
      "Cannot compare visit.timespan (timespan) with 3 (int)",
      "instrument = 'HSC' AND visit.timespan > 3",
      "                       ^^^^^^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND visit.timespan.middle > T'2020-01-01'",
    [
      'Unrecognized field "middle" of a timespan (use begin or end)',
      "instrument = 'HSC' AND visit.timespan.middle > T'2020-01-01'",
      "                       ^^^^^^^^^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND detector.timespan.begin > T'2020-01-01'",
    [
      'Unrecognized field "timespan" for detector',
      "instrument = 'HSC' AND detector.timespan.begin > T'2020-01-01'",
      "                       ^^^^^^^^^^^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND visit.timespan OVERLAPS 5",
    [
      "OVERLAPS needs two timespans, a timespan and a time, or two regions; found timespan and int",
      "instrument = 'HSC' AND visit.timespan OVERLAPS 5",
      "                       ^^^^^^^^^^^^^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND visit = :missing",
    [
      'Name "missing" is not in the bind map',
      "instrument = 'HSC' AND visit = :missing",
      "                               ^^^^^^^^",
    ],
    "Bound names: det, dets, name, obj, ts.",
  ],
  [
    "instrument = 'HSC' AND visit = :obj",
    [
      'Bind value "obj" has a type the query language cannot use (object)',
      "instrument = 'HSC' AND visit = :obj",
      "                               ^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND visit IN (:name)",
    [
      "Cannot compare visit (int) with :name (string)",
      "instrument = 'HSC' AND visit IN (:name)",
      "                                 ^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND visit < NULL",
    [
      "NULL can only be compared with = or !=",
      "instrument = 'HSC' AND visit < NULL",
      "                       ^^^^^^^^^^^^",
    ],
    undefined,
  ],
  ["NULL = NULL", ["Comparing NULL with NULL", "NULL = NULL", "^^^^^^^^^^^"], undefined],
  [
    "instrument = 'HSC' AND visit = (1, 2)",
    [
      "A time range is made of two times (or NULL for unbounded)",
      "instrument = 'HSC' AND visit = (1, 2)",
      "                                ^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND visit IN (1..3) AND detector = 1..4",
    [
      "Failed to parse expression \"instrument = 'HSC' AND visit IN (1..3) AND detector = 1..4\": Syntax error at or near '1..4'",
      "instrument = 'HSC' AND visit IN (1..3) AND detector = 1..4",
      "                                                      ^^^^",
    ],
    "A range such as 1..5 can only be an item of an IN list: x IN (1..5).",
  ],
  [
    "instrument = 'HSC' AND UUID('xyz') = bias.dataset_id",
    [
      '"xyz" is not a UUID',
      "instrument = 'HSC' AND UUID('xyz') = bias.dataset_id",
      "                            ^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND bias.dataset_id = 'abc'",
    [
      "Cannot compare bias.dataset_id (uuid) with 'abc' (string)",
      "instrument = 'HSC' AND bias.dataset_id = 'abc'",
      "                       ^^^^^^^^^^^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND bias.foo = 1",
    [
      'Unrecognized field "foo" for dataset type bias',
      "instrument = 'HSC' AND bias.foo = 1",
      "                       ^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND flat.run = 'x'",
    [
      'Dataset type "flat" is not part of this query',
      "instrument = 'HSC' AND flat.run = 'x'",
      "                       ^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND biass.run = 'x'",
    [
      'Dataset type "biass" is not part of this query',
      "instrument = 'HSC' AND biass.run = 'x'",
      "                       ^^^^^^^^^",
    ],
    'Did you mean "bias"?',
  ],
  [
    "instrument = 'HSC' AND FOO(1) = 1",
    ["Unknown function FOO()", "instrument = 'HSC' AND FOO(1) = 1", "                       ^^^^^^"],
    "Functions: POINT, CIRCLE, BOX, POLYGON, REGION, GLOB, UUID.",
  ],
  [
    "instrument = 'HSC' AND POINT(1) OVERLAPS visit.region",
    [
      "Wrong number of arguments to POINT()",
      "instrument = 'HSC' AND POINT(1) OVERLAPS visit.region",
      "                       ^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND POINT(1, 100) OVERLAPS visit.region",
    [
      "Invalid latitude 100°: it must be within ±90°",
      "instrument = 'HSC' AND POINT(1, 100) OVERLAPS visit.region",
      "                       ^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND CIRCLE(1, 2) OVERLAPS visit.region",
    [
      "Wrong number of arguments to CIRCLE()",
      "instrument = 'HSC' AND CIRCLE(1, 2) OVERLAPS visit.region",
      "                       ^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND GLOB(visit, 'a*')",
    [
      "GLOB() matches string columns only",
      "instrument = 'HSC' AND GLOB(visit, 'a*')",
      "                            ^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND GLOB(physical_filter)",
    [
      "GLOB() takes a column and a pattern",
      "instrument = 'HSC' AND GLOB(physical_filter)",
      "                       ^^^^^^^^^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND GLOB(physical_filter, 3)",
    [
      "The GLOB() pattern must be a string literal or bind",
      "instrument = 'HSC' AND GLOB(physical_filter, 3)",
      "                                             ^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND NOT visit",
    [
      'Expression "visit" is not a condition',
      "instrument = 'HSC' AND NOT visit",
      "                           ^^^^^",
    ],
    "Compare it with something, e.g. `visit = 1`.",
  ],
  [
    "instrument = 'HSC' AND -physical_filter = 1",
    [
      'Arithmetic needs numbers, but "physical_filter" is string',
      "instrument = 'HSC' AND -physical_filter = 1",
      "                        ^^^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND (T'2020-01-01', T'2019-01-01') OVERLAPS visit.timespan",
    [
      "This time range is empty: its end is not after its begin",
      "instrument = 'HSC' AND (T'2020-01-01', T'2019-01-01') OVERLAPS visit.timespan",
      "                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND (1, 2) OVERLAPS visit.timespan",
    [
      "A time range is made of two times (or NULL for unbounded)",
      "instrument = 'HSC' AND (1, 2) OVERLAPS visit.timespan",
      "                        ^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND visit.region = 3",
    [
      "Cannot compare visit.region (region) with 3 (int)",
      "instrument = 'HSC' AND visit.region = 3",
      "                       ^^^^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND timespan.begin > T'2020-01-01'",
    [
      'Ambiguous identifier "timespan" matches multiple fields: "day_obs.timespan", "visit.timespan", "bias.timespan"',
      "instrument = 'HSC' AND timespan.begin > T'2020-01-01'",
      "                       ^^^^^^^^^^^^^^",
    ],
    'Did you mean "day_obs.timespan" or "visit.timespan" or "bias.timespan"?',
  ],
  [
    "instrument = 'HSC' AND ingest_date > 3",
    [
      "Cannot compare ingest_date (ingest_date) with 3 (int)",
      "instrument = 'HSC' AND ingest_date > 3",
      "                       ^^^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND bias.ingest_date > T'2020-01-01' AND bias.ingest_date > 'yesterday'",
    [
      "Cannot compare bias.ingest_date (ingest_date) with 'yesterday' (string)",
      "instrument = 'HSC' AND bias.ingest_date > T'2020-01-01' AND bias.ingest_date > 'yesterday'",
      "                                                            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND visit IN (1, 'a')",
    [
      "Cannot compare visit (int) with 'a' (string)",
      "instrument = 'HSC' AND visit IN (1, 'a')",
      "                                    ^^^",
    ],
    undefined,
  ],
  [
    "detector = 1",
    [
      "Query 'where' expression references a dimension dependent on instrument without constraining it directly.",
      "detector = 1",
    ],
    "detector depends on instrument: add `instrument = '...'` to the expression, or pass instrument in the data ID.",
  ],
  [
    "physical_filter = 'HSC-R'",
    [
      "Query 'where' expression references a dimension dependent on instrument without constraining it directly.",
      "physical_filter = 'HSC-R'",
    ],
    "physical_filter depends on instrument: add `instrument = '...'` to the expression, or pass instrument in the data ID.",
  ],
  [
    "instrument = 'HSC' AND T'2020-01-01' > 5",
    [
      "Cannot compare T'2020-01-01' (datetime) with 5 (int)",
      "instrument = 'HSC' AND T'2020-01-01' > 5",
      "                       ^^^^^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 'HSC' AND visit.timespan = visit.region",
    [
      "Cannot compare visit.timespan (timespan) with visit.region (region)",
      "instrument = 'HSC' AND visit.timespan = visit.region",
      "                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "instrument = 3",
    ["Cannot compare instrument (string) with 3 (int)", "instrument = 3", "^^^^^^^^^^^^^^"],
    undefined,
  ],
  [
    "instrument = 'HSC' AND band.name = 3",
    [
      "Cannot compare band.name (string) with 3 (int)",
      "instrument = 'HSC' AND band.name = 3",
      "                       ^^^^^^^^^^^^^",
    ],
    undefined,
  ],
  [
    "skymap = 'x' AND tract.region OVERLAPS visit.region",
    [
      "Query 'where' expression references a dimension dependent on instrument without constraining it directly.",
      "skymap = 'x' AND tract.region OVERLAPS visit.region",
    ],
    "visit depends on instrument: add `instrument = '...'` to the expression, or pass instrument in the data ID.",
  ],
  [
    "instrument = 'HSC' AND visit.id = 1 AND visit.day_obs.foo = 2",
    [
      'Unrecognized identifier "visit.day_obs.foo"',
      "instrument = 'HSC' AND visit.id = 1 AND visit.day_obs.foo = 2",
      "                                        ^^^^^^^^^^^^^^^^^",
    ],
    undefined,
  ],
];

describe("buildQuery: expressions that do not resolve", () => {
  it("has a table of at least 40 cases", () => {
    expect(BAD.length).toBeGreaterThanOrEqual(40);
  });

  it.each(BAD)("%s", (expression, lines, hint) => {
    const error = failure(expression);
    expect(error).toBeInstanceOf(ButlerUserError);
    expect(error.code).toBe("InvalidQueryError");
    expect(error.message.split("\n")).toEqual(lines);
    expect(error.hint).toBe(hint);
  });
});

function conjuncts(predicate: Predicate): readonly Predicate[] {
  return predicate.kind === "and" ? predicate.operands : [predicate];
}

describe("buildQuery: resolved trees", () => {
  it("gives a frozen spec that survives a JSON round trip unchanged", () => {
    const spec = buildQuery(
      universe,
      TYPES,
      request(
        "instrument = 'HSC' AND visit IN (1..9:2, :det) AND visit.timespan OVERLAPS (T'2020-01-01', NULL) AND GLOB(physical_filter, 'HSC-*') AND bias.run != 'x'",
        { orderBy: ["-visit", "visit.exposure_time"], limit: 5, offset: 2 },
      ),
    );
    expect(Object.isFrozen(spec)).toBe(true);
    expect(Object.isFrozen(spec.tree)).toBe(true);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
    expect(spec.result).toMatchObject({ kind: "dataIds", limit: 5, offset: 2 });
  });

  it("keeps the source text of each term for explanations", () => {
    const spec = buildQuery(
      universe,
      TYPES,
      request("instrument = 'HSC' AND (detector = 1 OR detector > 5)"),
    );
    expect(conjuncts(spec.tree.predicate).map((p) => p.text)).toEqual([
      "instrument = 'HSC'",
      "(detector = 1 OR detector > 5)",
    ]);
  });

  it("turns data ID values into equalities and lets them satisfy the governor rule", () => {
    const spec = buildQuery(universe, TYPES, request("detector = 1", { dataId: { instrument: "HSC" } }));
    const texts = conjuncts(spec.tree.predicate).map((p) => p.text);
    expect(texts).toContain("instrument = 'HSC'");
    expect(texts).toContain("detector = 1");
  });

  it("accepts a governor constrained in every branch of an OR (multi-instrument queries)", () => {
    expect(() =>
      buildQuery(
        universe,
        TYPES,
        request("(instrument = 'HSC' AND detector = 1) OR (instrument = 'Cam1' AND detector = 2)"),
      ),
    ).not.toThrow();
    expect(() => buildQuery(universe, TYPES, request("instrument = 'HSC' OR detector = 2"))).toThrow(
      /references a dimension dependent on instrument without constraining it directly/,
    );
  });

  it("expands a bound list into an IN list, and a bound scalar into a literal", () => {
    const spec = buildQuery(
      universe,
      TYPES,
      request("instrument = :name AND detector IN (:dets) AND visit = :det"),
    );
    const [instrument, detectors, visit] = conjuncts(spec.tree.predicate);
    expect(instrument).toMatchObject({
      kind: "compare",
      right: { kind: "literal", value: "Cam1", type: "string" },
    });
    expect(detectors).toMatchObject({ kind: "in", values: [{ value: 1 }, { value: 2 }] });
    expect(visit).toMatchObject({ kind: "compare", right: { kind: "literal", value: 3, type: "int" } });
  });

  it("reads a bare bind name as its value (daf_butler's legacy form) unless it is also a column", () => {
    const where = (expression: string) => ({
      where: [{ expression, bind: { band: "r", cam: "HSC" } }],
      result: { kind: "dataIds" as const, dimensions: ["physical_filter"] },
    });
    const legacy = buildQuery(universe, TYPES, where("instrument = cam AND band = :band"));
    const [instrument, band] = conjuncts(legacy.tree.predicate);
    expect(instrument).toMatchObject({ right: { kind: "literal", value: "HSC" } });
    // With `:band` written, the bare `band` is the column, not the bound value.
    expect(band).toMatchObject({
      left: { kind: "column", column: { dimension: "band" } },
      right: { value: "r" },
    });
    expect(() => buildQuery(universe, TYPES, where("instrument = cam AND band = band"))).toThrow(
      expect.objectContaining({
        code: "InvalidQueryError",
        message:
          '"band" is both a bind name and a column of this query\ninstrument = cam AND band = band\n                     ^^^^',
        hint: "Write :band for the bound value, or rename the bind key.",
      }),
    );
  });

  it("adds the dimensions an expression or ORDER BY names to the query", () => {
    const spec = buildQuery(universe, TYPES, {
      where: [{ expression: "instrument = 'HSC' AND exposure.observation_type = 'science'" }],
      result: { kind: "dataIds", dimensions: ["detector"] },
    });
    expect(spec.tree.dimensions).toEqual(expect.arrayContaining(["detector", "exposure"]));
  });

  it("resolves ORDER BY terms with - for descending, and refuses bad ones with a hint", () => {
    const spec = buildQuery(
      universe,
      TYPES,
      request("instrument = 'HSC'", { orderBy: ["-visit.timespan.begin", "detector"] }),
    );
    expect(spec.result.orderBy.map((o) => [o.value.kind, o.descending])).toEqual([
      ["bound", true],
      ["column", false],
    ]);
    expect(() => buildQuery(universe, TYPES, request("instrument = 'HSC'", { orderBy: ["visitt"] }))).toThrow(
      expect.objectContaining({
        message: 'Unrecognized identifier "visitt" in ORDER BY',
        hint: 'Did you mean "visit"?',
      }),
    );
    expect(() =>
      buildQuery(universe, TYPES, request("instrument = 'HSC'", { orderBy: ["visit.timespan"] })),
    ).toThrow(expect.objectContaining({ message: "Cannot order by visit.timespan, a timespan" }));
    expect(() =>
      buildQuery(universe, TYPES, request("instrument = 'HSC'", { orderBy: ["--visit"] })),
    ).toThrow(expect.objectContaining({ message: 'Invalid ORDER BY term "--visit"' }));
  });

  it("treats an empty expression as no constraint", () => {
    const spec = buildQuery(universe, TYPES, request("   "));
    expect(spec.tree.predicate).toEqual({ kind: "literal", value: true });
  });
});
