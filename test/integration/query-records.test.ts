import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DimensionRecord, RecordValue } from "../../src/dimensions/dimension-record.ts";
import { InvalidQueryError } from "../../src/errors.ts";
import type { Registry } from "../../src/registry/registry.ts";
import { Timespan } from "../../src/time/timespan.ts";
import {
  ExportOracle,
  fixtureRepository,
  type PlainRecord,
  taiCalendarNs,
} from "../support/query-fixtures.ts";
import { describeEachBackend } from "../support/registry-backends.ts";

/** TAI - UTC during the HSC observations of 2013-2015. */
const HSC_LEAP_NS = 35_000_000_000n;
const MJD_UNIX_EPOCH = 40_587;

/** Nanoseconds of an exact MJD day number (TAI), computed without the time module. */
function mjdNs(mjd: number): bigint {
  return BigInt(Math.round((mjd - MJD_UNIX_EPOCH) * 86_400)) * 1_000_000_000n;
}

function timespanOf(record: PlainRecord): Timespan {
  const value = record.timespan;
  if (!(value instanceof Timespan)) throw new TypeError("record without a timespan");
  return value;
}

/** A GLOB pattern as daf_butler defines it: `*` any run, `?` one character, everything else literal. */
function globMatches(pattern: string, value: string): boolean {
  const source = [...pattern]
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "s").test(value);
}

/** Whether `n` is one of `start..stop:step` (stop included). */
function inRange(n: number, start: number, stop: number, step: number): boolean {
  return n >= start && n <= stop && (n - start) % step === 0;
}

/** A comparator over plain values for the sort oracle: numbers and strings, nulls first as SQLite. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === "bigint" || typeof b === "bigint")
    return BigInt(a as bigint) < BigInt(b as bigint) ? -1 : 1;
  return (a as number | string) < (b as number | string) ? -1 : 1;
}

function sortBy<T>(items: readonly T[], ...keys: [(item: T) => unknown, boolean][]): T[] {
  return [...items].sort((x, y) => {
    for (const [key, descending] of keys) {
      const order = compareValues(key(x), key(y));
      if (order !== 0) return descending ? -order : order;
    }
    return 0;
  });
}

function ids(records: readonly (DimensionRecord | PlainRecord)[]): unknown[] {
  return records.map((r) =>
    "get" in r && typeof r.get === "function" ? r.get("id") : (r as PlainRecord).id,
  );
}

describeEachBackend(
  "queries over dimension records of daf_butler's fixtures",
  (backend) => {
    describe("hsc-rc2-subset.yaml", () => {
      const oracle = new ExportOracle(["hsc-rc2-subset.yaml"]);
      let visits: PlainRecord[];
      let detectors: PlainRecord[];
      let bandOf: Map<RecordValue | undefined, RecordValue | undefined>;
      let repo: Awaited<ReturnType<typeof fixtureRepository>>;
      let registry: Registry;

      beforeAll(async () => {
        visits = oracle.records("visit");
        detectors = oracle.records("detector");
        bandOf = new Map(oracle.records("physical_filter").map((r) => [r.name, r.band]));
        repo = await fixtureRepository(["hsc-rc2-subset.yaml"], { backend });
        registry = repo.registry;
      });
      afterAll(async () => {
        await repo?.cleanup();
      });

      const hsc = () => registry.query().where({ instrument: "HSC" });

      it("returns every visit record of the export, field for field", async () => {
        const records = await hsc().dimensionRecords("visit").orderBy("visit").toArray();
        expect(records.map((r) => r.toObject())).toEqual(
          sortBy(visits, [(r) => r.id, false]).map((r) => {
            const { region: _region, ...rest } = r;
            return expect.objectContaining(rest);
          }),
        );
      });

      it("orders records by element.field, unqualified unique fields and timespan bounds, both ways", async () => {
        const cases: [string[], [(r: PlainRecord) => unknown, boolean][]][] = [
          [["-visit"], [[(r) => r.id, true]]],
          [
            ["-exposure_time", "visit"],
            [
              [(r) => r.exposure_time, true],
              [(r) => r.id, false],
            ],
          ],
          [
            ["visit.physical_filter", "-visit.name"],
            [
              [(r) => r.physical_filter, false],
              [(r) => r.name, true],
            ],
          ],
          [["-visit.timespan.begin"], [[(r) => timespanOf(r).beginNs, true]]],
          [["visit.timespan.end"], [[(r) => timespanOf(r).endNs, false]]],
          [
            ["band", "-day_obs", "visit"],
            [
              [(r) => bandOf.get(r.physical_filter as string), false],
              [(r) => r.day_obs, true],
              [(r) => r.id, false],
            ],
          ],
        ];
        for (const [terms, keys] of cases) {
          const records = await hsc()
            .dimensionRecords("visit")
            .orderBy(...terms)
            .toArray();
          expect(ids(records), terms.join(", ")).toEqual(ids(sortBy(visits, ...keys)));
        }
      });

      it("applies LIMIT and OFFSET after ordering; count() agrees with the rows", async () => {
        const sorted = ids(sortBy(visits, [(r) => r.exposure_time, false], [(r) => r.id, true]));
        for (const [limit, offset] of [
          [5, 0],
          [7, 3],
          [1, 159],
          [10, 155],
          [3, 200],
          [0, 0],
          [undefined, 150],
        ] as const) {
          const results = hsc()
            .dimensionRecords("visit")
            .orderBy("exposure_time", "-visit")
            .limit(limit, offset);
          const expected = sorted.slice(offset, limit === undefined ? undefined : offset + limit);
          const rows = await results.toArray();
          expect(ids(rows), `limit ${limit} offset ${offset}`).toEqual(expected);
          expect(await results.count()).toBe(expected.length);
          expect(await results.any()).toBe(expected.length > 0);
        }
      });

      it("answers daf_butler's `query-dimension-records HSC visit --limit 5` sample", async () => {
        // cli-samples.md: the first five visits are 318, 322, 326, 330, 332 (HSC-Y, 240 s).
        const records = await hsc().dimensionRecords("visit").orderBy("visit").limit(5).toArray();
        expect(records.map((r) => [r.get("id"), r.get("physical_filter"), r.get("exposure_time")])).toEqual(
          sortBy(visits, [(r) => r.id, false])
            .slice(0, 5)
            .map((r) => [r.id, r.physical_filter, r.exposure_time]),
        );
      });

      it("rejects ambiguous unqualified fields in ORDER BY and WHERE, and accepts them qualified", async () => {
        const both = () => hsc().dataIds(["visit", "exposure"]);
        await expect(both().orderBy("exposure_time").toArray()).rejects.toThrow(
          'Ambiguous identifier "exposure_time" matches multiple fields: "exposure.exposure_time", "visit.exposure_time"',
        );
        await expect(both().orderBy("-timespan.begin").toArray()).rejects.toThrow(InvalidQueryError);
        const error = await both()
          .where("exposure_time > 100")
          .toArray()
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidQueryError);
        expect((error as InvalidQueryError).code).toBe("InvalidQueryError");
        expect((error as InvalidQueryError).span).toEqual({ start: 0, end: "exposure_time".length });
        // A primary key name counts as a field: `name` is the key of instrument, band, physical_filter and visit.
        await expect(hsc().dataIds(["visit"]).where("name = 'HSCA00031800'").toArray()).rejects.toThrow(
          'Ambiguous identifier "name" matches multiple fields: "band.name", "instrument.name", "physical_filter.name", "visit.name"',
        );
        // Qualified, the same names resolve; visit_definition (always joined) has no rows here, so nothing.
        expect(
          await both().where("visit.exposure_time > 100").orderBy("exposure.exposure_time").count(),
        ).toBe(oracle.records("visit_definition").length);
      });

      it("rejects ORDER BY on a timespan, an unknown field, or a column outside the result", async () => {
        await expect(hsc().dimensionRecords("visit").orderBy("visit.timespan").toArray()).rejects.toThrow(
          "Cannot order by visit.timespan, a timespan",
        );
        await expect(hsc().dimensionRecords("visit").orderBy("visit.seeing").toArray()).rejects.toThrow(
          'Unrecognized field "seeing" for visit in ORDER BY',
        );
        await expect(hsc().dataIds(["detector"]).orderBy("visit").toArray()).rejects.toThrow(
          "Cannot order by visit: it is not a column of the result",
        );
        await expect(
          registry.query().dimensionRecords("tract").orderBy("tract.timespan").toArray(),
        ).rejects.toThrow('Unrecognized field "timespan" for tract');
      });

      /** `where` expressions (with binds) and the same condition in plain JS over the export's visits. */
      const visitCases: [string, Record<string, unknown> | undefined, (r: PlainRecord) => boolean][] = [
        ["exposure_time > 250", undefined, (r) => (r.exposure_time as number) > 250],
        [
          "visit.exposure_time >= 270 AND physical_filter IN ('HSC-I', 'HSC-Z')",
          undefined,
          (r) =>
            (r.exposure_time as number) >= 270 && ["HSC-I", "HSC-Z"].includes(r.physical_filter as string),
        ],
        [
          "NOT (band = 'y' OR band = 'z')",
          undefined,
          (r) => !["y", "z"].includes(bandOf.get(r.physical_filter) as string),
        ],
        ["visit IN (318..1000:4)", undefined, (r) => inRange(r.id as number, 318, 1000, 4)],
        [
          "visit IN (318..330:4, 1166, 30504)",
          undefined,
          (r) => [318, 322, 326, 330, 1166, 30504].includes(r.id as number),
        ],
        ["visit NOT IN (318..1000)", undefined, (r) => (r.id as number) > 1000],
        ["-visit IN (-1000..-318:4)", undefined, (r) => inRange(-(r.id as number), -1000, -318, 4)],
        [
          "visit % 4 = 2 AND visit < 2000",
          undefined,
          (r) => (r.id as number) % 4 === 2 && (r.id as number) < 2000,
        ],
        ["(visit + 2) * 3 / 2 > 3000", undefined, (r) => (((r.id as number) + 2) * 3) / 2 > 3000],
        [
          "day_obs > 20140327 AND visit.day_obs < 20150000",
          undefined,
          (r) => (r.day_obs as number) > 20140327 && (r.day_obs as number) < 20150000,
        ],
        ["GLOB(visit.name, 'HSCA0003*')", undefined, (r) => globMatches("HSCA0003*", r.name as string)],
        ["GLOB(visit.name, 'HSCA0?1?2*')", undefined, (r) => globMatches("HSCA0?1?2*", r.name as string)],
        ["visit.name = :name", { name: "HSCA00033000" }, (r) => r.name === "HSCA00033000"],
        ["visit IN (:ids)", { ids: [318, 322, 99_999] }, (r) => [318, 322].includes(r.id as number)],
        ["visit IN (:ids)", { ids: [] }, () => false],
        ["visit NOT IN (:ids)", { ids: [] }, () => true],
        [
          "exposure_time = :t AND physical_filter = f",
          { t: 240, f: "HSC-Y" },
          (r) => r.exposure_time === 240 && r.physical_filter === "HSC-Y",
        ],
        ["zenith_angle = NULL", undefined, (r) => r.zenith_angle === null],
        ["zenith_angle != NULL OR visit = 318", undefined, (r) => r.zenith_angle !== null || r.id === 318],
        [
          "visit.timespan.begin >= T'2014-03-28 06:30:00'",
          undefined,
          (r) => timespanOf(r).beginNs >= taiCalendarNs("2014-03-28T06:30:00") + HSC_LEAP_NS,
        ],
        [
          "visit.timespan OVERLAPS T'2014-03-25T09:36:00/tai'",
          undefined,
          (r) => timespanOf(r).overlaps(taiCalendarNs("2014-03-25T09:36:00")),
        ],
        [
          "visit.timespan OVERLAPS (T'2014-03-25T10:00:00', T'2014-03-25T10:40:00')",
          undefined,
          (r) =>
            timespanOf(r).endNs > taiCalendarNs("2014-03-25T10:00:00") + HSC_LEAP_NS &&
            timespanOf(r).beginNs < taiCalendarNs("2014-03-25T10:40:00") + HSC_LEAP_NS,
        ],
        [
          "visit.timespan OVERLAPS (NULL, T'2014-03-25T09:40:00/tai')",
          undefined,
          (r) => timespanOf(r).beginNs < taiCalendarNs("2014-03-25T09:40:00"),
        ],
        [
          "(T'2014-03-28T08:00:00/tai', NULL) OVERLAPS visit.timespan",
          undefined,
          (r) => timespanOf(r).endNs > taiCalendarNs("2014-03-28T08:00:00"),
        ],
        ["visit.timespan.end < T'56741.5'", undefined, (r) => timespanOf(r).endNs < mjdNs(56_741.5)],
        [
          "visit.timespan.begin > T'mjd/56744.25/tai'",
          undefined,
          (r) => timespanOf(r).beginNs > mjdNs(56_744.25),
        ],
        [
          "visit.timespan OVERLAPS :span",
          {
            span: Timespan.between(
              taiCalendarNs("2014-03-25T10:05:00"),
              taiCalendarNs("2014-03-25T10:10:00"),
            ),
          },
          (r) =>
            timespanOf(r).overlaps(
              Timespan.between(taiCalendarNs("2014-03-25T10:05:00"), taiCalendarNs("2014-03-25T10:10:00")),
            ),
        ],
        [
          "visit.timespan.begin < :t",
          { t: new Date("2014-03-25T10:00:00Z") },
          (r) => timespanOf(r).beginNs < taiCalendarNs("2014-03-25T10:00:00") + HSC_LEAP_NS,
        ],
      ];

      it.each(visitCases)(
        "where %s finds the visits a brute-force filter finds",
        async (where, bind, predicate) => {
          const found = await hsc().dataIds(["visit"]).where(where, bind).toArray();
          const expected = visits.filter(predicate).map((r) => r.id);
          expect(found.map((d) => d.get("visit")).sort()).toEqual(expected.sort());
          expect(await hsc().dataIds(["visit"]).where(where, bind).count()).toBe(expected.length);
        },
      );

      it("reads one instant in any time literal format daf_butler accepts", async () => {
        // 2014-03-25 10:00:00 UTC = 10:00:35 TAI: every spelling must select the same visits.
        const boundary = taiCalendarNs("2014-03-25T10:00:00") + HSC_LEAP_NS;
        const expected = visits
          .filter((r) => timespanOf(r).beginNs < boundary)
          .map((r) => r.id)
          .sort();
        expect(expected.length).toBeGreaterThan(0);
        expect(expected.length).toBeLessThan(visits.length);
        for (const literal of [
          "2014-03-25 10:00:00",
          "2014-03-25T10:00:00",
          "2014-03-25 10:00",
          "2014-03-25T10:00:00.000",
          "2014-03-25T10:00:00+00:00",
          "isot/2014-03-25T10:00:00",
          "iso/2014-03-25 10:00:00/utc",
          "2014-03-25T10:00:35/tai",
          "2014:084:10:00:00",
          "+2014-03-25T10:00:00",
          "56741.416666666664/utc",
        ]) {
          const found = await hsc()
            .dataIds(["visit"])
            .where(`visit.timespan.begin < T'${literal}'`)
            .toArray();
          expect(found.map((d) => d.get("visit")).sort(), literal).toEqual(expected);
        }
      });

      it("GLOB treats SQL wildcards and brackets as literal characters", async () => {
        const hscDetectors = (where: string, bind?: Record<string, unknown>) =>
          hsc()
            .dataIds(["detector"])
            .where(where, bind)
            .toArray()
            .then((rows) => rows.map((d) => d.get("detector")).sort((a, b) => Number(a) - Number(b)));
        const expect_ = (pattern: string) =>
          detectors
            .filter((r) => globMatches(pattern, r.full_name as string))
            .map((r) => r.id)
            .sort((a, b) => Number(a) - Number(b));
        for (const pattern of ["1_%", "[01]_53", "%", "1__3", "?_53", "0_1*", "*4", "1\\_53"]) {
          expect(await hscDetectors(`GLOB(full_name, '${pattern}')`), pattern).toEqual(expect_(pattern));
        }
        expect(await hscDetectors("GLOB(detector.full_name, :p)", { p: "1_%" })).toEqual([]);
        expect(await hscDetectors("GLOB(detector.full_name, :p)", { p: "0_1*" })).toEqual(expect_("0_1*"));
        expect(expect_("0_1*").length).toBeGreaterThan(0);
      });

      it("ranges include their stop, as daf_butler's `a..b:s`", async () => {
        const found = await hsc().dataIds(["detector"]).where("detector IN (0..10:5, 100..104:2)").toArray();
        expect(found.map((d) => d.get("detector")).sort((a, b) => Number(a) - Number(b))).toEqual(
          detectors
            .map((r) => r.id as number)
            .filter((id) => [0, 5, 10, 100, 102, 104].includes(id))
            .sort((a, b) => a - b),
        );
      });

      it("joins visit and detector as a cross product, as daf_butler's sample shows", async () => {
        const rows = await hsc()
          .dataIds(["visit", "detector"])
          .orderBy("visit", "detector")
          .limit(37)
          .toArray();
        // cli-samples.md: visit 318 with detectors 0..36, band y, day_obs 20140324, HSC-Y.
        expect(rows.map((d) => d.mapping)).toEqual(
          sortBy(detectors, [(r) => r.id, false])
            .slice(0, 37)
            .map((r) => ({
              instrument: "HSC",
              detector: r.id,
              visit: 318,
              band: "y",
              day_obs: 20140324,
              physical_filter: "HSC-Y",
            })),
        );
        expect(await hsc().dataIds(["visit", "detector"]).count()).toBe(visits.length * detectors.length);
      });

      it("uses boolean fields as conditions and alternate keys as data ID values", async () => {
        const exposures = oracle.records("exposure");
        const cases: [string, Record<string, unknown> | undefined, (r: PlainRecord) => boolean][] = [
          ["exposure.has_simulated", undefined, (r) => r.has_simulated === true],
          ["NOT exposure.has_simulated", undefined, (r) => r.has_simulated === false],
          ["exposure.has_simulated = :b", { b: false }, (r) => r.has_simulated === false],
          ["exposure.can_see_sky = NULL", undefined, (r) => (r.can_see_sky ?? null) === null],
          [
            "exposure.timespan OVERLAPS T'2013-06-17T13:35:00/tai'",
            undefined,
            (r) => timespanOf(r).overlaps(taiCalendarNs("2013-06-17T13:35:00")),
          ],
          [
            "exposure.timespan OVERLAPS T'2013-06-17T13:35:00'",
            undefined,
            (r) => timespanOf(r).overlaps(taiCalendarNs("2013-06-17T13:35:00") + HSC_LEAP_NS),
          ],
          [
            "exposure.tracking_ra > 320.2 AND tracking_dec < 0.3",
            undefined,
            (r) => (r.tracking_ra as number) > 320.2 && (r.tracking_dec as number) < 0.3,
          ],
        ];
        for (const [where, bind, predicate] of cases) {
          const found = await hsc().dataIds(["exposure"]).where(where, bind).toArray();
          expect(
            found.map((d) => d.get("exposure")),
            where,
          ).toEqual(exposures.filter(predicate).map((r) => r.id));
        }
        expect(exposures.some((r) => r.has_simulated === false)).toBe(true);
        expect(exposures.some((r) => timespanOf(r).overlaps(taiCalendarNs("2013-06-17T13:35:00")))).toBe(
          true,
        );
        const [exposure] = exposures;
        const byObsId = await hsc()
          .where({ "exposure.obs_id": exposure?.obs_id })
          .dataIds(["exposure"])
          .toArray();
        expect(byObsId.map((d) => d.get("exposure"))).toEqual([exposure?.id]);
        const [visit] = sortBy(visits, [(r) => r.name, true]);
        const byName = await hsc().where({ "visit.name": visit?.name }).dataIds(["visit"]).toArray();
        expect(byName.map((d) => d.get("visit"))).toEqual([visit?.id]);
      });

      it("joins always-join elements: exposure and visit are related only through visit_definition", async () => {
        const results = hsc().dataIds(["exposure", "visit"]);
        expect(oracle.records("visit_definition")).toEqual([]);
        expect(await results.toArray()).toEqual([]);
        expect(await results.any()).toBe(false);
        expect(await results.explainNoResults()).toEqual([
          "No {exposure, visit} data ID exists, whatever the 'where' expression says: the dimension tables (and dataset searches) have no rows in common.",
        ]);
        expect(await hsc().dataIds(["visit", "visit_system"]).count()).toBe(
          oracle.records("visit_system_membership").length,
        );
      });
    });
  },
  { fixtures: true },
);
