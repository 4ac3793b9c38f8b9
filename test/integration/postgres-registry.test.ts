import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import { defaultUniverse } from "../../src/dimensions/default-universe.ts";
import type { Registry } from "../../src/registry/registry.ts";
import { openPostgresDatabase } from "../../src/registry/sql/dialects/postgres/postgres-database.ts";
import { postgresDialect } from "../../src/registry/sql/dialects/postgres/postgres-dialect.ts";
import { createSqlRegistry, openSqlRegistry } from "../../src/registry/sql/sql-registry.ts";
import { parseTime } from "../../src/time/parse-time.ts";
import { Timespan } from "../../src/time/timespan.ts";
import {
  type PostgresCluster,
  postgresUnavailableReason,
  startPostgresCluster,
} from "../support/postgres-cluster.ts";
import { fixturePath, fixturesAvailable } from "../support/shared-fixtures.ts";

const unavailable = postgresUnavailableReason();
const describePostgres = unavailable === undefined ? describe : describe.skip;
const title = (name: string) => (unavailable === undefined ? name : `${name} [skipped: ${unavailable}]`);
const tai = (text: string) => parseTime(`${text}/tai`);

describePostgres(title("the SQL registry on PostgreSQL"), () => {
  let cluster: PostgresCluster;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    await cluster.psql("-c", "CREATE EXTENSION btree_gist");
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  describe.skipIf(!fixturesAvailable)("daf_butler's small_pg.sql registry", () => {
    let registry: Registry;

    beforeAll(async () => {
      await cluster.psql("-f", fixturePath("repos", "small_pg.sql"));
      registry = await openSqlRegistry(
        await openPostgresDatabase(cluster.url, postgresDialect, { namespace: "small_pg" }),
      );
    }, 120_000);

    afterAll(async () => {
      await registry?.close();
    });

    it("lists daf_butler's collections and dataset types", async () => {
      const infos = await Promise.all(
        (await registry.collections.query()).map((name) => registry.collections.getInfo(name)),
      );
      expect(infos.map(({ name, type, children }) => ({ name, type, children }))).toEqual([
        { name: "Cam1/calib", type: "CALIBRATION", children: [] },
        { name: "Cam1/defaults", type: "CHAINED", children: ["imported_r", "imported_g"] },
        { name: "imported_g", type: "RUN", children: [] },
        { name: "imported_r", type: "RUN", children: [] },
      ]);
      const types = await registry.datasetTypes.query();
      expect(types.map((t) => [t.name, [...t.dimensions.required], t.isCalibration])).toEqual([
        ["bias", ["instrument", "detector"], true],
        ["flat", ["instrument", "detector", "physical_filter"], true],
      ]);
    });

    it("finds daf_butler's 4 biases first through Cam1/defaults", async () => {
      const refs = await registry.queryDatasets("bias", { collections: ["Cam1/defaults"] });
      expect(
        refs.map((ref) => [ref.dataId.get("detector"), ref.run]).sort((a, b) => Number(a[0]) - Number(b[0])),
      ).toEqual([
        [1, "imported_g"],
        [2, "imported_r"],
        [3, "imported_r"],
        [4, "imported_r"],
      ]);
      expect(refs.find((ref) => ref.dataId.get("detector") === 1)?.id).toBe(
        "e15ab039-bc8b-4135-87c5-90902a7c0b22",
      );
    });

    it("finds the bias certified in Cam1/calib for detector 2 at 2021-06-01", async () => {
      const ref = await registry.datasets.find(
        "bias",
        { instrument: "Cam1", detector: 2 },
        { collections: ["Cam1/calib"], timespan: Timespan.fromInstant(tai("2021-06-01")) },
      );
      expect(ref?.id).toBe("51352db4-a47a-447c-b12d-a50b206b17cd");
    });

    it("queries the visit records", async () => {
      const visits = await registry.queryDimensionRecords("visit");
      expect(visits.map((v) => [v.get("id"), v.get("physical_filter")])).toEqual([
        [1, "Cam1-G"],
        [2, "Cam1-R1"],
      ]);
      expect(String(visits[0]?.get("timespan"))).toBe(
        String(Timespan.fromNs(1_631_156_400_000_000_000n, 1_631_156_460_000_000_000n)),
      );
    });

    it("filters records by timespan overlap, glob, order, limit and offset", async () => {
      const late = await registry.queryDimensionRecords("visit", {
        where: "instrument = 'Cam1' AND visit.timespan OVERLAPS T'2021-09-09T03:02:30/tai'",
      });
      expect(late.map((v) => v.get("id"))).toEqual([2]);
      const detectors = await registry.queryDimensionRecords("detector", {
        where: "instrument = 'Cam1' AND GLOB(full_name, 'A*')",
        orderBy: "-detector",
        limit: 1,
      });
      expect(detectors.map((d) => d.get("id"))).toEqual([2]);
      expect(detectors.truncated).toBe(true);
      const page = await registry
        .query()
        .dimensionRecords("detector")
        .orderBy("detector")
        .limit(2, 1)
        .toArray();
      expect(page.map((d) => d.get("id"))).toEqual([2, 3]);
      const rest = await registry
        .query()
        .dimensionRecords("detector")
        .orderBy("detector")
        .limit(undefined, 3)
        .toArray();
      expect(rest.map((d) => d.get("id"))).toEqual([4]);
    });

    it("joins a calibration search to a visit's timespan", async () => {
      const refs = await registry.queryDatasets("bias", {
        collections: ["Cam1/calib"],
        where: "instrument = 'Cam1' AND visit = 1 AND detector = 2",
      });
      expect(refs.map((ref) => ref.id)).toEqual(["51352db4-a47a-447c-b12d-a50b206b17cd"]);
    });

    it("writes with daf_butler's sequences (its key columns have no defaults)", async () => {
      expect(await registry.collections.register("u/ts/run", "RUN")).toBe(true);
      const dark = DatasetType.make(registry.universe, {
        name: "dark",
        dimensions: ["instrument", "detector"],
        storageClass: "Exposure",
        isCalibration: true,
      });
      const exposures = DatasetType.make(registry.universe, {
        name: "raw_ts",
        dimensions: ["instrument", "exposure", "detector"],
        storageClass: "Exposure",
      });
      expect(await registry.datasetTypes.register(dark)).toBe(true);
      expect(await registry.datasetTypes.register(exposures)).toBe(true);
      const refs = await registry.datasets.insert(
        "dark",
        [1, 2].map((detector) => ({ instrument: "Cam1", detector })),
        "u/ts/run",
      );
      const year = Timespan.between(tai("2022-01-01"), tai("2023-01-01"));
      await registry.calibrations.certify("Cam1/calib", refs, year);
      const found = await registry.datasets.find(
        "dark",
        { instrument: "Cam1", detector: 2 },
        { collections: ["Cam1/calib"], timespan: Timespan.fromInstant(tai("2022-06-01")) },
      );
      expect(found?.id).toBe(refs[1]?.id);
      const ids = await cluster.psql(
        "-Atc",
        "SELECT string_agg(name || '=' || collection_id, ',' ORDER BY collection_id) FROM small_pg.collection WHERE collection_id > 4;" +
          "SELECT string_agg(name || '=' || id, ',' ORDER BY id) FROM small_pg.dataset_type WHERE id > 2;" +
          "SELECT max(id) FROM small_pg.dataset_calibs_00000002",
      );
      expect(ids.trim().split("\n")).toEqual(["u/ts/run=5", "dark=3,raw_ts=4", "5"]);
    });
  });

  describe("a registry created on PostgreSQL", () => {
    let registry: Registry;

    beforeAll(async () => {
      const db = await openPostgresDatabase(cluster.url, postgresDialect, {
        namespace: "fresh",
        create: true,
      });
      registry = await createSqlRegistry(db, defaultUniverse());
      await registry.dimensions.insert("instrument", [
        {
          name: "Cam1",
          visit_max: 1024,
          visit_system: 1,
          exposure_max: 512,
          detector_max: 4,
          class_name: "lsst.pipe.base.Instrument",
        },
      ]);
      await registry.dimensions.insert(
        "detector",
        ["Aa", "Ab"].map((full_name, i) => ({
          instrument: "Cam1",
          id: i + 1,
          full_name,
          purpose: "SCIENCE",
        })),
      );
    }, 120_000);

    afterAll(async () => {
      await registry?.close();
    });

    it("registers a RUN and a dataset type, inserts datasets and finds them", async () => {
      expect(await registry.collections.register("run", "RUN")).toBe(true);
      expect(await registry.collections.register("run", "RUN")).toBe(false);
      const bias = DatasetType.make(registry.universe, {
        name: "bias",
        dimensions: ["instrument", "detector"],
        storageClass: "Exposure",
        isCalibration: true,
      });
      expect(await registry.datasetTypes.register(bias)).toBe(true);
      expect((await registry.datasetTypes.get("bias")).equals(bias)).toBe(true);
      const refs = await registry.datasets.insert(
        "bias",
        [1, 2].map((detector) => ({ instrument: "Cam1", detector })),
        "run",
      );
      const found = await registry.datasets.find(
        "bias",
        { instrument: "Cam1", detector: 2 },
        { collections: ["run"] },
      );
      expect(found?.id).toBe(refs[1]?.id);
      const all = await registry.queryDatasets("bias", { collections: ["run"] });
      expect(all.map((ref) => ref.id).sort()).toEqual(refs.map((ref) => ref.id).sort());
    });

    it("certifies into a CALIBRATION collection and finds by time", async () => {
      await registry.collections.register("calib", "CALIBRATION");
      const [b1] = await registry.datasets.query("bias", { collections: ["run"] });
      const detector = b1?.dataId.get("detector");
      await registry.calibrations.certify(
        "calib",
        [b1 as never],
        Timespan.between(tai("2020-01-01"), tai("2022-01-01")),
      );
      const at = (text: string) =>
        registry.datasets.find(
          "bias",
          { instrument: "Cam1", detector: detector as number },
          { collections: ["calib"], timespan: Timespan.fromInstant(tai(text)) },
        );
      expect((await at("2021-06-01"))?.id).toBe(b1?.id);
      expect(await at("2023-01-01")).toBeNull();
      const listed = await registry.calibrations.list("calib");
      expect(listed.map((c) => String(c.validity))).toEqual(["[2020-01-01T00:00:00, 2022-01-01T00:00:00)"]);
    });
  });
});
