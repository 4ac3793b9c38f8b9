import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatasetRef } from "../../src/datasets/dataset-ref.ts";
import { ButlerUserError } from "../../src/errors.ts";
import type { Query } from "../../src/query/query.ts";
import type { Registry } from "../../src/registry/registry.ts";
import type { Database, SqlExecutor, SqlValue } from "../../src/registry/sql/database.ts";
import { openSqlRegistry } from "../../src/registry/sql/sql-registry.ts";
import { readButlerConfig, registryLocation } from "../../src/repository/butler-config.ts";
import { createRepository } from "../../src/repository/create-repository.ts";
import { importExportFile } from "../../src/repository/import-repository.ts";
import { connectRegistryDatabase } from "../../src/repository/open-registry.ts";
import { Timespan } from "../../src/time/timespan.ts";
import { PROPERTY_OPTIONS } from "../support/property.ts";
import { registryDataPath, taiCalendarNs } from "../support/query-fixtures.ts";
import { describeEachBackend } from "../support/registry-backends.ts";
import { tempDir } from "../support/temp-repo.ts";

/**
 * Every user string the properties make carries this mark. SQL text is built only from the universe,
 * the schema and placeholders, so the mark must never appear in it: values travel as parameters.
 */
const MARK = "☃";

/** Every SQL statement the registry sends to the database. */
const statements: { sql: string; params: readonly SqlValue[] }[] = [];

/** `executor`, logging the SQL of every statement it runs (inside transactions too). */
function recording<T extends SqlExecutor>(executor: T): T {
  return new Proxy(executor, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (property === "transaction") {
        return (body: (tx: SqlExecutor) => Promise<unknown>) =>
          value.call(target, (tx: SqlExecutor) => body(recording(tx)));
      }
      // Every other method taking SQL text first (query, pages, run, runMany, exec, ...), so a new way of
      // running statements cannot slip past the check.
      return (first: unknown, ...rest: unknown[]) => {
        if (typeof first === "string") {
          statements.push({ sql: first, params: Array.isArray(rest[0]) ? (rest[0] as SqlValue[]) : [] });
        }
        return value.call(target, first, ...rest);
      };
    },
  });
}

const IDENTIFIERS = [
  "instrument",
  "detector",
  "visit",
  "physical_filter",
  "band",
  "day_obs",
  "full_name",
  "raft",
  "purpose",
  "detector.raft",
  "detector.id",
  "visit.exposure_time",
  "exposure_time",
  "visit.timespan",
  "visit.timespan.begin",
  "timespan.end",
  "visit.region",
  "bias.run",
  "bias.dataset_id",
  "bias.timespan",
  "bias.ingest_date",
  "bias.collection",
  "ingest_date",
  "run",
  "dataset_id",
  "flat.run",
  "nonesuch",
  "detector.nonesuch",
  "a.b.c",
  "tract",
  "skymap",
  "htm7",
  "visit_detector_region.region",
  "name",
  "id",
];

/** A string literal of the language carrying the mark (the language has no escapes: no quote inside). */
const markedLiteral = fc
  .oneof(
    fc.string(),
    fc.constant("; DROP TABLE dataset; --"),
    fc.constant("%_*?[]\\"),
    fc.string({ unit: "grapheme" }),
  )
  .map((s) => `'${MARK}${s.replaceAll("'", "")}'`);

const number = fc.oneof(
  fc.integer().map(String),
  fc.nat({ max: 5 }).map(String),
  fc.constantFrom("99999999999999999999", "1e400", "3.25", ".5e-3", "0", "9007199254740991"),
);

const time = fc.constantFrom(
  "T'2021-09-09T03:00:30/tai'",
  "T'2021-09-09 03:02:30'",
  "T'59466.1255'",
  "T'1900-01-01'",
  "T'2200-01-01'",
  `T'${MARK}'`,
  "T'mjd/-1e30/tai'",
);

const atom: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...IDENTIFIERS) },
  { weight: 2, arbitrary: markedLiteral },
  { weight: 2, arbitrary: number },
  { weight: 1, arbitrary: time },
  { weight: 2, arbitrary: fc.constantFrom(":a", ":b", ":list", ":missing", "a", "NULL") },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc
        .tuple(fc.constantFrom(...IDENTIFIERS), fc.oneof(markedLiteral, fc.constant(":a")))
        .map(([c, p]) => `GLOB(${c}, ${p})`),
      markedLiteral.map((s) => `UUID(${s})`),
      fc.constant("UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22')"),
      fc.tuple(number, number).map(([a, b]) => `POINT(${a}, ${b})`),
      fc.tuple(time, fc.oneof(time, fc.constant("NULL"))).map(([a, b]) => `(${a}, ${b})`),
      fc.constant("FOO(detector)"),
    ),
  },
);

const inItems = fc
  .array(
    fc.oneof(
      atom,
      fc.tuple(number, number).map(([a, b]) => `${a}..${b}`),
      fc
        .tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 }), fc.nat({ max: 5 }))
        .map(([a, b, s]) => `${a}..${b}:${s}`),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((items) => items.join(", "));

/** Expressions shaped by the grammar (often ill-typed), so resolution and compilation see them. */
const { expression } = fc.letrec<{ expression: string; value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    atom,
    fc
      .tuple(tie("value"), fc.constantFrom("+", "-", "*", "/", "%"), tie("value"))
      .map(([a, op, b]) => `${a} ${op} ${b}`),
    tie("value").map((v) => `-${v}`),
  ),
  expression: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc
      .tuple(tie("value"), fc.constantFrom("=", "!=", "<", "<=", ">", ">=", "OVERLAPS"), tie("value"))
      .map(([a, op, b]) => `${a} ${op} ${b}`),
    fc
      .tuple(tie("value"), fc.boolean(), inItems)
      .map(([v, not, items]) => `${v} ${not ? "NOT " : ""}IN (${items})`),
    fc
      .tuple(tie("expression"), fc.constantFrom("AND", "OR"), tie("expression"))
      .map(([a, op, b]) => `${a} ${op} ${b}`),
    tie("expression").map((e) => `NOT (${e})`),
    tie("expression").map((e) => `(${e})`),
    atom,
  ),
}));

const STRING_COLUMNS = [
  "instrument",
  "physical_filter",
  "band",
  "full_name",
  "detector.raft",
  "purpose",
  "visit.name",
  "bias.run",
  "flat.collection",
];
const INT_COLUMNS = ["detector", "visit", "day_obs", "visit.exposure_time", "-detector", "detector % 3"];

/** Well-typed predicates, so that most runs get as far as SQL with marked values to bind. */
const typedPredicate = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...STRING_COLUMNS),
      fc.constantFrom("=", "!=", "<", ">="),
      fc.oneof(markedLiteral, fc.constant(":s")),
    )
    .map(([c, op, v]) => `${c} ${op} ${v}`),
  fc
    .tuple(
      fc.constantFrom(...STRING_COLUMNS),
      fc.boolean(),
      fc.array(fc.oneof(markedLiteral, fc.constantFrom(":s", ":strings")), { minLength: 1, maxLength: 3 }),
    )
    .map(([c, not, items]) => `${c} ${not ? "NOT " : ""}IN (${items.join(", ")})`),
  fc
    .tuple(fc.constantFrom(...STRING_COLUMNS), fc.oneof(markedLiteral, fc.constant(":s")))
    .map(([c, p]) => `GLOB(${c}, ${p})`),
  fc
    .tuple(
      fc.constantFrom(...INT_COLUMNS),
      fc.constantFrom("=", "!=", "<", ">"),
      fc.oneof(fc.integer({ min: -5, max: 3000 }).map(String), fc.constant(":n")),
    )
    .map(([c, op, v]) => `${c} ${op} ${v}`),
  fc
    .tuple(
      fc.constantFrom(...INT_COLUMNS),
      fc.array(
        fc.oneof(
          fc.integer({ min: -5, max: 20 }).map(String),
          fc.constantFrom(":n", ":ints", "1..4", "0..20:3", "-4..-1"),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    )
    .map(([c, items]) => `${c} IN (${items.join(", ")})`),
  fc.constantFrom(
    "visit.timespan OVERLAPS T'2021-09-09T03:00:30/tai'",
    "visit.timespan OVERLAPS :ts",
    "visit.timespan.begin < T'2021-09-09 03:01:00'",
    "visit.timespan OVERLAPS (T'2021-09-09T03:00:30/tai', NULL)",
    "bias.timespan OVERLAPS visit.timespan",
    "ingest_date > T'2000-01-01'",
  ),
);

const { typedExpression } = fc.letrec<{ typedExpression: string }>((tie) => ({
  typedExpression: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    typedPredicate,
    fc
      .tuple(tie("typedExpression"), fc.constantFrom("AND", "OR"), tie("typedExpression"))
      .map(([a, op, b]) => `(${a}) ${op} (${b})`),
    tie("typedExpression").map((e) => `NOT (${e})`),
  ),
}));

/** Token soup and raw text, which the parser must turn away cleanly. */
const anyText = fc.oneof(
  { weight: 8, arbitrary: typedExpression.map((e) => `instrument = 'Cam1' AND (${e})`) },
  { weight: 2, arbitrary: expression },
  { weight: 2, arbitrary: expression.map((e) => `instrument = 'Cam1' AND ${e}`) },
  fc
    .array(
      fc.oneof(
        atom,
        fc.constantFrom(
          "(",
          ")",
          ",",
          "AND",
          "OR",
          "NOT",
          "IN",
          "OVERLAPS",
          "=",
          "..",
          ":",
          "'",
          "T'",
          ";",
          "--",
        ),
      ),
      { maxLength: 12 },
    )
    .map((tokens) => tokens.join(" ")),
  fc.string({ unit: "binary", maxLength: 40 }).map((s) => `${MARK}${s}`),
  fc.constant(`'${MARK}'); DROP TABLE dataset; --`),
);

/** Bind values of every type and none: scalars, odd numbers, dates, nested lists, objects. */
const { bindValue } = fc.letrec<{ bindValue: unknown }>((tie) => ({
  bindValue: fc.oneof(
    { depthSize: "small" },
    fc.string().map((s) => `${MARK}${s}`),
    fc.constant(`${MARK}'); DROP TABLE dataset; --`),
    fc.constant(`${MARK}%_*?`),
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 63, Number.MAX_VALUE),
    fc.bigInt(),
    fc.boolean(),
    fc.constantFrom(null, undefined),
    fc.date({ noInvalidDate: false }),
    fc.constant(Timespan.between(taiCalendarNs("2021-09-09T03:00:30"), null)),
    fc.constant(new Uint8Array([1, 2, 3])),
    fc.constant(Symbol(MARK)),
    fc.constant(() => MARK),
    fc.array(tie("bindValue"), { maxLength: 3 }),
    fc.dictionary(fc.string(), tie("bindValue"), { maxKeys: 2 }),
  ),
}));

const markedString = fc.oneof(
  fc.string({ unit: "grapheme" }).map((s) => `${MARK}${s}`),
  fc.constantFrom(`${MARK}'); DROP TABLE dataset; --`, `${MARK}%_*?[`, `Cam1${MARK}`),
);

const bind = fc.record(
  {
    a: bindValue,
    b: bindValue,
    list: fc.array(bindValue, { maxLength: 4 }),
    [MARK]: bindValue,
    s: fc.oneof({ weight: 4, arbitrary: markedString }, bindValue),
    strings: fc.oneof({ weight: 4, arbitrary: fc.array(markedString, { maxLength: 3 }) }, bindValue),
    n: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -5, max: 3000 }) }, bindValue),
    ints: fc.oneof(
      { weight: 4, arbitrary: fc.array(fc.integer({ min: -5, max: 30 }), { maxLength: 3 }) },
      bindValue,
    ),
    ts: fc.oneof(
      { weight: 4, arbitrary: fc.constant(Timespan.between(taiCalendarNs("2021-09-09T03:00:30"), null)) },
      bindValue,
    ),
  },
  { requiredKeys: [] },
);

/** ORDER BY terms: the names users write, and anything at all. */
const orderBy = fc.array(
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom("detector", "-visit", "visit.timespan.begin", "-exposure_time", "band"),
    },
    fc.constantFrom("-", "--detector", "visit.timespan", "detector, -band", ""),
    markedString,
  ),
  { maxLength: 3 },
);

/** Run a query's every entry point; resolve with nothing, or reject with what the query threw. */
async function exercise(results: {
  toArray(): Promise<unknown[]>;
  count(): Promise<number>;
  any(): Promise<boolean>;
  explainNoResults(): Promise<string[]>;
}): Promise<void> {
  const rows = await results.toArray();
  expect(await results.count()).toBe(rows.length);
  expect(await results.any()).toBe(rows.length > 0);
  if (rows.length === 0) await results.explainNoResults();
}

/** How many runs got rows (or none) back, and how many statements carried a marked value as a parameter. */
const tally = { answered: 0, boundMarks: 0 };

/**
 * Fail unless enough runs reached the database with marked values bound: a property that only ever
 * exercised the parser would prove nothing about SQL.
 */
function expectReachedDatabase(runs: number): void {
  expect(tally.answered).toBeGreaterThan(runs / 10);
  expect(tally.boundMarks).toBeGreaterThan(runs / 20);
  tally.answered = 0;
  tally.boundMarks = 0;
}

/** The outcome must be rows or a user error: never a database error, a TypeError, or a raw driver error. */
async function outcome(run: () => Promise<void>): Promise<void> {
  try {
    await run();
    tally.answered++;
  } catch (error) {
    if (!(error instanceof ButlerUserError)) throw error;
  }
}

function assertNoMarkInSql(): void {
  for (const { sql, params } of statements) {
    expect(sql).not.toContain(MARK);
    if (params.some((p) => typeof p === "string" && p.includes(MARK))) tally.boundMarks++;
  }
}

describeEachBackend(
  "queries built from hostile input",
  (backend) => {
    let dir: ReturnType<typeof tempDir>;
    let root: string;
    let registry: Registry;
    let before: string;

    beforeAll(async () => {
      dir = tempDir("butler-query-fuzz-");
      root = join(dir.path, "repo");
      const created = await createRepository(root, await backend.repositoryOptions());
      for (const file of ["base.yaml", "datasets.yaml", "spatial.yaml"])
        await importExportFile(created, registryDataPath(file), { withoutDatastore: true });
      await created.collections.register("chain", "CHAINED");
      await created.collections.setChain("chain", ["imported_r", "imported_g"]);
      await created.collections.register("calib", "CALIBRATION");
      const bias = (await created.datasets.get("51352db4-a47a-447c-b12d-a50b206b17cd")) as DatasetRef;
      await created.calibrations.certify("calib", [bias], Timespan.between(null, null));
      await created.close();
      before = await backend.dump(root);
      const location = registryLocation(await readButlerConfig(root));
      const db: Database = await connectRegistryDatabase(location, { writeable: true });
      registry = await openSqlRegistry(recording(db));
    });
    afterAll(async () => {
      await registry?.close();
      dir?.cleanup();
    });

    it("data ID queries answer rows or a user error, with user values only ever bound", async () => {
      await fc.assert(
        fc.asyncProperty(
          anyText,
          bind,
          fc.subarray(["detector", "visit", "physical_filter", "band", "instrument"]),
          orderBy,
          async (text, values, dimensions, terms) => {
            statements.length = 0;
            await outcome(() =>
              exercise(
                registry
                  .query()
                  .dataIds(dimensions)
                  .where(text, values)
                  .orderBy(...terms),
              ),
            );
            assertNoMarkInSql();
          },
        ),
        PROPERTY_OPTIONS,
      );
      expectReachedDatabase(PROPERTY_OPTIONS.numRuns);
    });

    it("dataset queries answer rows or a user error, with user values only ever bound", async () => {
      await fc.assert(
        fc.asyncProperty(
          anyText,
          bind,
          fc.oneof(
            {
              weight: 6,
              arbitrary: fc.constantFrom(["imported_g"], ["chain", "imported_g"], ["calib", "imported_r"]),
            },
            fc.constantFrom(["imported_*"], ["*"], [`${MARK}*`]),
            fc.array(markedString, { minLength: 1, maxLength: 2 }),
          ),
          fc.boolean(),
          fc.oneof({ weight: 6, arbitrary: fc.constantFrom("bias", "flat") }, markedString),
          async (text, values, collections, findFirst, datasetType) => {
            statements.length = 0;
            await outcome(() =>
              exercise(
                registry
                  .query()
                  .where({ instrument: "Cam1" })
                  .datasets(datasetType, collections, { findFirst })
                  .where(text, values)
                  .orderBy("-detector"),
              ),
            );
            assertNoMarkInSql();
          },
        ),
        PROPERTY_OPTIONS,
      );
      expectReachedDatabase(PROPERTY_OPTIONS.numRuns);
    });

    it("data ID constraints, records and helpers answer rows or a user error, with values only ever bound", async () => {
      const names = fc.constantFrom(
        "instrument",
        "detector",
        "visit",
        "physical_filter",
        "band",
        "exposure",
        MARK,
        "visit.name",
      );
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(names, bindValue, { maxKeys: 3 }),
          fc.constantFrom("detector", "visit", "physical_filter", "visit_detector_region", "band"),
          fc.oneof(fc.constant(undefined), anyText),
          async (dataId, element, where) => {
            statements.length = 0;
            const query: Query = registry.query();
            await outcome(() =>
              exercise(query.where(dataId as Record<string, unknown>).dimensionRecords(element)),
            );
            await outcome(async () => {
              await registry.queryDimensionRecords(element, {
                dataId: dataId as Record<string, string>,
                ...(where === undefined ? {} : { where }),
                limit: 2,
              });
            });
            assertNoMarkInSql();
          },
        ),
        PROPERTY_OPTIONS,
      );
      expectReachedDatabase(PROPERTY_OPTIONS.numRuns);
    });

    it("leaves the schema and every table's rows as they were", async () => {
      expect(await backend.dump(root)).toBe(before);
    });
  },
  { fixtures: true },
);
