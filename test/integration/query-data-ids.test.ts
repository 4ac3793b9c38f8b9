import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataCoordinate } from "../../src/dimensions/data-coordinate.ts";
import { InvalidQueryError } from "../../src/errors.ts";
import type { Registry } from "../../src/registry/registry.ts";
import { importExportFile } from "../../src/repository/import-repository.ts";
import {
  ExportOracle,
  fixtureRepository,
  type PlainRecord,
  registryDataPath,
} from "../support/query-fixtures.ts";
import { describeEachBackend } from "../support/registry-backends.ts";

/** daf_butler's governor message (its test asserts this text, up to the dimension named in ours). */
const GOVERNOR_MESSAGE =
  /^Query 'where' expression references a dimension dependent on instrument\b.* without constraining (it|instrument) directly/;

function numbers(values: readonly unknown[]): number[] {
  return values.map(Number).sort((a, b) => a - b);
}

describeEachBackend(
  "data ID queries on daf_butler's fixtures",
  (backend) => {
    describe("base.yaml + spatial.yaml", () => {
      const oracle = new ExportOracle(["base.yaml", "spatial.yaml"]);
      let repo: Awaited<ReturnType<typeof fixtureRepository>>;
      let registry: Registry;

      beforeAll(async () => {
        repo = await fixtureRepository(["base.yaml", "spatial.yaml"], { backend });
        registry = repo.registry;
      });
      afterAll(async () => {
        await repo?.cleanup();
      });

      it("answers daf_butler's `query-data-ids SP visit detector --where instrument='Cam1'` sample", async () => {
        const rows = await registry
          .query()
          .dataIds(["visit", "detector"])
          .where("instrument='Cam1'")
          .orderBy("visit", "detector")
          .toArray();
        const filterOf = new Map(oracle.records("physical_filter").map((r) => [r.name, r.band]));
        const expected = oracle.records("visit").flatMap((visit) =>
          oracle.records("detector").map((detector) => ({
            instrument: "Cam1",
            detector: detector.id,
            visit: visit.id,
            band: filterOf.get(visit.physical_filter),
            day_obs: visit.day_obs,
            physical_filter: visit.physical_filter,
          })),
        );
        expect(rows.map((d) => d.mapping)).toEqual(expected);
        // The sample itself: 8 rows, visit 1 in g on Cam1-G, visit 2 in r on Cam1-R1, day_obs 20210909.
        expect(rows.map((d) => [d.get("visit"), d.get("band"), d.get("physical_filter")])).toEqual([
          ...[1, 2, 3, 4].map(() => [1, "g", "Cam1-G"]),
          ...[1, 2, 3, 4].map(() => [2, "r", "Cam1-R1"]),
        ]);
      });

      it("still answers non-spatial questions about spatial elements", async () => {
        const regions = await registry
          .query()
          .dimensionRecords("visit_detector_region")
          .where("instrument = 'Cam1' AND visit = 2")
          .orderBy("-detector")
          .toArray();
        expect(regions.map((r) => r.get("detector"))).toEqual(
          numbers(
            oracle
              .records("visit_detector_region")
              .filter((r) => r.visit === 2)
              .map((r) => r.detector),
          ).reverse(),
        );
        const patches = await registry
          .query()
          .dimensionRecords("patch")
          .where("skymap = 'SkyMap1' AND patch.cell_x = 1 AND tract IN (0, 1)")
          .orderBy("-tract", "patch")
          .toArray();
        expect(patches.map((r) => [r.get("tract"), r.get("id")])).toEqual(
          oracle
            .records("patch")
            .filter((r) => r.cell_x === 1)
            .sort((a, b) => (b.tract as number) - (a.tract as number) || (a.id as number) - (b.id as number))
            .map((r) => [r.tract, r.id]),
        );
      });
    });

    describe("base.yaml + datasets.yaml", () => {
      const oracle = new ExportOracle(["base.yaml", "datasets.yaml"]);
      let detectors: PlainRecord[];
      let repo: Awaited<ReturnType<typeof fixtureRepository>>;
      let registry: Registry;

      beforeAll(async () => {
        detectors = oracle.records("detector");
        repo = await fixtureRepository(["base.yaml", "datasets.yaml"], { backend });
        registry = repo.registry;
      });
      afterAll(async () => {
        await repo?.cleanup();
      });

      it("requires a governor value when the where expression uses a dimension that depends on it", async () => {
        for (const [dimensions, where] of [
          [["detector"], "detector = 2"],
          [["band"], "physical_filter = 'Cam1-G'"],
          [["detector"], "GLOB(physical_filter, 'Cam1-R*')"],
          [["detector"], "instrument = 'Cam1' OR detector = 2"],
        ] as const) {
          const error = await registry
            .query()
            .dataIds(dimensions)
            .where(where)
            .toArray()
            .catch((e: unknown) => e);
          expect(error, where).toBeInstanceOf(InvalidQueryError);
          expect((error as InvalidQueryError).code).toBe("InvalidQueryError");
          expect((error as InvalidQueryError).reason, where).toMatch(GOVERNOR_MESSAGE);
          expect((error as InvalidQueryError).expression).toBe(where);
        }
        // The helper reports the same error rather than an empty result.
        await expect(
          registry.queryDataIds(["band"], { where: "physical_filter = 'Cam1-G'" }),
        ).rejects.toThrow(GOVERNOR_MESSAGE);
      });

      it("accepts the governor from the expression, an OR of instruments, or a data ID", async () => {
        const expectedG = detectors.filter((r) => r.raft === "A").map((r) => r.id);
        const cases: [string, Record<string, unknown> | undefined, number[]][] = [
          ["instrument = 'Cam1' AND detector.raft = 'A'", undefined, numbers(expectedG)],
          [
            "(instrument = 'Cam1' AND detector = 1) OR (instrument = 'Cam2' AND detector = 2)",
            undefined,
            [1],
          ],
          ["instrument IN ('Cam1', 'Cam2') AND detector > 2", undefined, [3, 4]],
          ["detector.raft = 'A'", { instrument: "Cam1" }, numbers(expectedG)],
          ["detector = 3", { instrument: "Cam2" }, []],
        ];
        for (const [where, dataId, expected] of cases) {
          let query = registry.query();
          if (dataId !== undefined) query = query.where(dataId);
          const rows = await query.dataIds(["detector"]).where(where).toArray();
          expect(numbers(rows.map((d) => d.get("detector"))), where).toEqual(expected);
        }
        const bands = await registry
          .query()
          .where(DataCoordinate.fromRequiredValues(registry.universe.conform(["instrument"]), ["Cam1"]))
          .dataIds(["band"])
          .where("physical_filter = 'Cam1-R2'")
          .toArray();
        expect(bands.map((d) => d.mapping)).toEqual([{ band: "r" }]);
      });

      it("turns data ID values into equality constraints, later values overriding earlier ones", async () => {
        const rows = await registry
          .query()
          .where({ instrument: "NotCam1", detector: 4 })
          .where({ instrument: "Cam1" })
          .dimensionRecords("detector")
          .toArray();
        expect(rows.map((r) => r.toObject())).toEqual(detectors.filter((r) => r.id === 4));
        const filtered = await registry
          .query()
          .where({ instrument: "Cam1", physical_filter: "Cam1-G" })
          .dataIds(["detector"])
          .toArray();
        expect(filtered.length).toBe(detectors.length);
        const records = await registry.queryDimensionRecords("detector", {
          dataId: { instrument: "Cam1" },
          where: "detector.purpose = :purpose",
          bind: { purpose: "SCIENCE" },
          orderBy: "-detector",
        });
        expect(records.map((r) => r.get("id"))).toEqual(
          numbers(detectors.filter((r) => r.purpose === "SCIENCE").map((r) => r.id)).reverse(),
        );
      });

      it("returns exactly one empty data ID for a query without dimensions, unless constrained away", async () => {
        const empty = registry.query().dataIds([]);
        const rows = await empty.toArray();
        expect(rows.length).toBe(1);
        expect(rows[0]?.mapping).toEqual({});
        expect(await empty.count()).toBe(1);
        expect(await empty.any()).toBe(true);
        expect(await registry.query().any()).toBe(true);
        const none = registry.query().where("instrument = 'Cam1' AND detector = 99").dataIds([]);
        expect(await none.toArray()).toEqual([]);
        expect(await none.count()).toBe(0);
        expect(await registry.query().where("instrument = 'Cam1' AND detector = 99").any()).toBe(false);
        expect(await registry.query().where("instrument = 'Cam1' AND detector = 2").any()).toBe(true);
        const withDataset = registry.query().joinDatasetSearch("bias", ["imported_r"]).dataIds([]);
        expect(await withDataset.toArray()).toHaveLength(1);
      });

      it("count() matches the rows and any() says whether there are some", async () => {
        const cases: [string[], string][] = [
          [["detector"], "instrument = 'Cam1'"],
          [["detector", "physical_filter"], "instrument = 'Cam1' AND band = 'r'"],
          [["band"], "instrument = 'Cam1'"],
          [["detector"], "instrument = 'Cam1' AND detector > 10"],
          [["instrument"], ""],
        ];
        for (const [dimensions, where] of cases) {
          const results = registry.query().dataIds(dimensions).where(where);
          const rows = await results.toArray();
          expect(await results.count(), where).toBe(rows.length);
          expect(await results.any(), where).toBe(rows.length > 0);
          expect(new Set(rows.map((d) => d.key)).size, `${where}: rows are distinct`).toBe(rows.length);
        }
        const filters = oracle.records("physical_filter");
        expect(await registry.query().dataIds(["band"]).where("instrument = 'Cam1'").count()).toBe(
          new Set(filters.map((r: PlainRecord) => r.band)).size,
        );
      });

      it("explains an empty result by the dimension table that has no records", async () => {
        expect(oracle.records("exposure")).toEqual([]);
        const results = registry.query().dataIds(["exposure", "detector"]).where("instrument = 'Cam1'");
        expect(await results.any()).toBe(false);
        expect(await results.explainNoResults()).toEqual([
          "There are no exposure records in the repository.",
        ]);
      });

      it("binds scalars and lists, and names unknown bind names", async () => {
        const detectorsOf = (where: string, bind: Record<string, unknown>) =>
          registry
            .query()
            .dataIds(["detector"])
            .where(where, bind)
            .toArray()
            .then((rows) => numbers(rows.map((d) => d.get("detector"))));
        expect(
          await detectorsOf("instrument = :i AND detector IN (:ids)", { i: "Cam1", ids: [1, 3, 5] }),
        ).toEqual([1, 3]);
        expect(
          await detectorsOf("instrument = :i AND detector IN (:ids, 4)", { i: "Cam1", ids: new Set([2]) }),
        ).toEqual([2, 4]);
        expect(
          await detectorsOf("instrument = :i AND full_name IN (:names)", { i: "Cam1", names: ["Ab", "Bb"] }),
        ).toEqual([2, 4]);
        expect(await detectorsOf("instrument = i AND detector = d", { i: "Cam1", d: 3 })).toEqual([3]);
        await expect(detectorsOf("instrument = :inst", { i: "Cam1" })).rejects.toThrow(
          'Name "inst" is not in the bind map',
        );
        await expect(detectorsOf("instrument = 'Cam1' AND detector = :d", { d: [1, 2] })).rejects.toThrow(
          "A list is only allowed in an IN list",
        );
        await expect(detectorsOf("instrument = 'Cam1' AND detector IN (:d)", { d: ["a"] })).rejects.toThrow(
          "Cannot compare detector (int) with :d (string)",
        );
      });

      it("answers large queries, and turns away those too big for the database with InvalidQueryError", async () => {
        const cam1 = () => registry.query().dataIds(["detector"]).where({ instrument: "Cam1" });
        const detectorsOf = async (results: ReturnType<typeof cam1>) =>
          numbers((await results.toArray()).map((d) => d.get("detector")));
        const ids = detectors.map((r) => r.id as number);
        const manyIds = Array.from({ length: 20_000 }, (_, i) => i + 3);
        expect(await detectorsOf(cam1().where("detector IN (:ids)", { ids: manyIds }))).toEqual(
          numbers(ids.filter((id) => id >= 3)),
        );
        const ors = Array.from({ length: 450 }, (_, i) => `detector = ${i * 2}`).join(" OR ");
        expect(await detectorsOf(cam1().where(ors))).toEqual(numbers(ids.filter((id) => id % 2 === 0)));
        const sum = `detector${" + 0".repeat(480)} > 2`;
        expect(await detectorsOf(cam1().where(sum))).toEqual(numbers(ids.filter((id) => id > 2)));
        let constrained = cam1();
        for (let i = 0; i < 1500; i++) constrained = constrained.where(`detector != ${i + 4}`);
        expect(await detectorsOf(constrained)).toEqual(numbers(ids.filter((id) => id < 4)));

        for (const [results, reason] of [
          [
            cam1().where("detector IN (:ids)", { ids: Array.from({ length: 40_000 }, (_, i) => i) }),
            "This query needs 40001 bound values; a database statement takes at most 32000",
          ],
          [
            cam1().where(Array.from({ length: 2000 }, (_, i) => `detector = ${i}`).join(" OR ")),
            "Expression is nested more than 500 levels deep",
          ],
          [
            cam1().where(`detector${" + 1".repeat(3000)} > 2`),
            "Expression is nested more than 500 levels deep",
          ],
        ] as const) {
          const error = await results.count().catch((e: unknown) => e);
          expect(error).toBeInstanceOf(InvalidQueryError);
          expect((error as InvalidQueryError).reason).toBe(reason);
        }
      });

      it("rejects type errors in the expression with InvalidQueryError pointing at the term", async () => {
        for (const [where, reason] of [
          ["instrument = 'Cam1' AND detector = 'x'", "Cannot compare detector (int) with 'x' (string)"],
          ["instrument = 'Cam1' AND detector.raft > 3", "Cannot compare detector.raft (string) with 3 (int)"],
          ["instrument = 'Cam1' AND full_name IN (1..3)", "A range only matches integers, not string"],
          ["instrument = 'Cam1' AND detector.nonesuch = 1", 'Unrecognized field "nonesuch" for detector'],
          ["instrument = 'Cam1' AND FOO(detector)", "Unknown function FOO()"],
          ["instrument = 'Cam1' AND detector", 'Expression "detector" is not a condition'],
        ] as const) {
          const error = await registry
            .query()
            .dataIds(["detector"])
            .where(where)
            .toArray()
            .catch((e: unknown) => e);
          expect(error, where).toBeInstanceOf(InvalidQueryError);
          expect((error as InvalidQueryError).reason, where).toContain(reason);
          expect((error as InvalidQueryError).span?.start, where).toBeGreaterThanOrEqual(
            "instrument = 'Cam1' AND ".length,
          );
        }
      });
    });

    describe("ci_hsc-subset.yaml and ci_hsc-subset-skymap.yaml", () => {
      const oracle = new ExportOracle(["ci_hsc-subset.yaml", "ci_hsc-subset-skymap.yaml"]);
      let repo: Awaited<ReturnType<typeof fixtureRepository>>;
      let registry: Registry;

      beforeAll(async () => {
        // The subset does not refer to the skymap: it imports on its own, and the skymap after it.
        repo = await fixtureRepository(["ci_hsc-subset.yaml"], { backend });
        registry = repo.registry;
        expect(await registry.query().dataIds(["skymap"]).count()).toBe(0);
        await importExportFile(registry, registryDataPath("ci_hsc-subset-skymap.yaml"), {
          withoutDatastore: true,
        });
      });
      afterAll(async () => {
        await repo?.cleanup();
      });

      it("finds calexps by visit fields and orders them", async () => {
        const visits = new Map(oracle.records("visit").map((r) => [r.id, r]));
        const refs = await registry
          .query()
          .datasets("calexp", ["HSC/runs/ci_hsc/20240806T180642Z"])
          .where("instrument = 'HSC' AND visit.physical_filter = 'HSC-R' AND detector < 50")
          .orderBy("-visit", "detector")
          .toArray();
        const expected = oracle
          .datasets("calexp")
          .filter(
            (d) =>
              visits.get(d.dataId.visit)?.physical_filter === "HSC-R" && (d.dataId.detector as number) < 50,
          )
          .sort(
            (a, b) =>
              (b.dataId.visit as number) - (a.dataId.visit as number) ||
              (a.dataId.detector as number) - (b.dataId.detector as number),
          );
        expect(expected.length).toBeGreaterThan(0);
        expect(refs.map((r) => r.id)).toEqual(expected.map((d) => d.id));
      });

      it("finds the skymap's tract and its dataset", async () => {
        const tracts = await registry
          .query()
          .dataIds(["tract"])
          .where("skymap = 'discrete/ci_hsc'")
          .toArray();
        expect(tracts.map((d) => d.mapping)).toEqual(
          oracle.records("tract").map((r) => ({ skymap: r.skymap, tract: r.id })),
        );
        const skyMaps = await registry.queryDatasets("skyMap", { collections: ["skymaps"] });
        expect(skyMaps.map((r) => r.id)).toEqual(oracle.datasets("skyMap").map((d) => d.id));
      });
    });
  },
  { fixtures: true },
);
