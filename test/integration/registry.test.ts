import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { deterministicDatasetId } from "../../src/datasets/dataset-id.ts";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import { standardizeDataId } from "../../src/dimensions/standardize-data-id.ts";
import {
  CollectionCycleError,
  CollectionTypeError,
  ConflictingDefinitionError,
  DataIdValueError,
  DatasetTypeError,
  DimensionValueError,
  InvalidCollectionNameError,
  MissingCollectionError,
  MissingDatasetTypeError,
  OrphanedRecordError,
} from "../../src/errors.ts";
import type { Registry } from "../../src/registry/registry.ts";
import { createRepository } from "../../src/repository/create-repository.ts";
import { openRegistry } from "../../src/repository/open-registry.ts";
import { parseTime } from "../../src/time/parse-time.ts";
import { Timespan } from "../../src/time/timespan.ts";
import { describeEachBackend, type RegistryBackend } from "../support/registry-backends.ts";
import { tempDir } from "../support/temp-repo.ts";

const tai = (text: string) => parseTime(`${text}/tai`);

/** A registry with base.yaml's records (Cam1, three filters, four detectors), written through the API. */
async function baseRepository(root: string, backend: RegistryBackend): Promise<Registry> {
  const registry = await createRepository(root, await backend.repositoryOptions());
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
  await registry.dimensions.insert("physical_filter", [
    { instrument: "Cam1", name: "Cam1-G", band: "g" },
    { instrument: "Cam1", name: "Cam1-R1", band: "r" },
    { instrument: "Cam1", name: "Cam1-R2", band: "r" },
  ]);
  await registry.dimensions.insert(
    "detector",
    ["Aa", "Ab", "Ba", "Bb"].map((full_name, i) => ({
      instrument: "Cam1",
      id: i + 1,
      full_name,
      raft: full_name[0],
      name_in_raft: full_name[1]?.toLowerCase(),
      purpose: "SCIENCE",
    })),
  );
  for (const [name, dimensions] of [
    ["bias", ["instrument", "detector"]],
    ["flat", ["instrument", "detector", "physical_filter"]],
  ] as const) {
    await registry.datasetTypes.register(
      DatasetType.make(registry.universe, {
        name,
        dimensions,
        storageClass: "Exposure",
        isCalibration: true,
      }),
    );
  }
  return registry;
}

function failure(promise: Promise<unknown>): Promise<Error & { code: string; hint?: string }> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: Error & { code: string }) => error,
  );
}

describeEachBackend("the SQL registry", (backend) => {
  let dir: { path: string; cleanup: () => void };
  let registry: Registry;

  beforeEach(async () => {
    dir = tempDir();
    registry = await baseRepository(join(dir.path, "repo"), backend);
  });

  afterEach(async () => {
    await registry.close();
    dir.cleanup();
  });

  it("inserts datasets into a RUN and finds them first-match through a chain", async () => {
    await registry.collections.register("run/a", "RUN");
    await registry.collections.register("run/b", "RUN");
    const a = await registry.datasets.insert(
      "bias",
      [1, 2].map((detector) => ({ instrument: "Cam1", detector })),
      "run/a",
    );
    const b = await registry.datasets.insert(
      "bias",
      [2, 3].map((detector) => ({ instrument: "Cam1", detector })),
      "run/b",
    );
    await registry.collections.register("chain", "CHAINED");
    await registry.collections.setChain("chain", ["run/b", "run/a"]);
    const found = await registry.datasets.query("bias", { collections: ["chain"], findFirst: true });
    const byDetector = found
      .map((r) => [r.dataId.get("detector"), r.run])
      .sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(byDetector).toEqual([
      [1, "run/a"],
      [2, "run/b"],
      [3, "run/b"],
    ]);
    expect(
      (await registry.datasets.find("bias", { instrument: "Cam1", detector: 2 }, { collections: ["chain"] }))
        ?.id,
    ).toBe(b[0]?.id);
    await registry.collections.setChain("chain", ["run/a", "run/b"]);
    expect(
      (
        await registry.datasets.find(
          "bias",
          { instrument: "Cam1", detector: "2" },
          { collections: ["chain"] },
        )
      )?.id,
    ).toBe(a[1]?.id);
    expect(await registry.datasets.get(a[0]?.id as string)).toMatchObject({ run: "run/a" });
    expect(a[0]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("finds first through a chain of 12 RUNs, ranking the collections as numbers", async () => {
    const runs = Array.from({ length: 12 }, (_, i) => `run/${i}`);
    for (const run of runs) await registry.collections.register(run, "RUN");
    const [first] = await registry.datasets.insert("bias", [{ instrument: "Cam1", detector: 1 }], "run/2");
    await registry.datasets.insert("bias", [{ instrument: "Cam1", detector: 1 }], "run/10");
    await registry.collections.register("long", "CHAINED");
    await registry.collections.setChain("long", runs);
    const found = await registry.datasets.query("bias", { collections: ["long"], findFirst: true });
    expect(found.map((ref) => [ref.run, ref.id])).toEqual([["run/2", first?.id]]);
  });

  it("compares numbers as numbers: floats with integer columns, literals with literals", async () => {
    const detectors = async (where: string, bind = {}) =>
      (await registry.query().where(`instrument = 'Cam1' AND ${where}`, bind).dataIds(["detector"]).toArray())
        .map((dataId) => dataId.get("detector"))
        .sort();
    expect(await detectors("detector = 1.5")).toEqual([]);
    expect(await detectors("detector IN (:ids)", { ids: [2, 2.5, 3.0] })).toEqual([2, 3]);
    expect(await detectors("detector < 2.5")).toEqual([1, 2]);
    expect(await detectors("2 < 10 AND detector > 3")).toEqual([4]);
    expect(await detectors("detector / 2 = 1.5")).toEqual([3]);
    expect(await detectors("detector != :big", { big: 1e20 })).toEqual([1, 2, 3, 4]);
  });

  it("makes daf_butler's deterministic IDs", async () => {
    await registry.collections.register("raw", "RUN");
    const [ref] = await registry.datasets.insert("bias", [{ instrument: "Cam1", detector: 1 }], "raw", {
      idGenerationMode: "DATAID_TYPE",
    });
    expect(ref?.id).toBe("4fa35c72-f4a9-5106-8947-b65ef4096e96");
    const decam = standardizeDataId(registry.universe, {
      instrument: "DECam",
      exposure: 411371,
      detector: 56,
    });
    expect(deterministicDatasetId("raw", decam, "DATAID_TYPE_RUN", "DECam/raw/all")).toBe(
      "3f452f1d-b8a5-5202-8190-4e723004a6ba",
    );
  });

  it("tags and untags datasets", async () => {
    await registry.collections.register("run", "RUN");
    const refs = await registry.datasets.insert(
      "bias",
      [1, 2].map((detector) => ({ instrument: "Cam1", detector })),
      "run",
    );
    await registry.collections.register("tag", "TAGGED");
    await registry.datasets.associate("tag", refs);
    await registry.datasets.associate("tag", refs);
    expect(await registry.datasets.query("bias", { collections: ["tag"] })).toHaveLength(2);
    await registry.datasets.disassociate("tag", [refs[0] as never]);
    expect((await registry.datasets.query("bias", { collections: ["tag"] })).map((r) => r.id)).toEqual([
      refs[1]?.id,
    ]);
    await registry.collections.register("run2", "RUN");
    const [other] = await registry.datasets.insert("bias", [{ instrument: "Cam1", detector: 2 }], "run2");
    const clash = await failure(registry.datasets.associate("tag", [other as never]));
    expect(clash).toBeInstanceOf(ConflictingDefinitionError);
    expect(clash.message).toContain(`TAGGED "tag" already holds bias dataset ${refs[1]?.id}`);
    expect(await failure(registry.datasets.associate("run", refs))).toBeInstanceOf(CollectionTypeError);
  });

  it("resolves alternate keys and fills implied values when expanding data IDs", async () => {
    const expanded = await registry.dimensions.expandDataId({
      instrument: "Cam1",
      detector: "Ab",
      physical_filter: "Cam1-R1",
    });
    expect(expanded.mapping).toEqual({
      instrument: "Cam1",
      detector: 2,
      physical_filter: "Cam1-R1",
      band: "r",
    });
    expect(expanded.record("detector")?.get("full_name")).toBe("Ab");
    expect(
      await failure(registry.dimensions.expandDataId({ instrument: "Cam1", detector: "Zz" })),
    ).toBeInstanceOf(DataIdValueError);
  });

  it("syncs dimension records: insert, identical, or a conflict showing both values", async () => {
    const record = { instrument: "Cam1", name: "Cam1-I", band: "i" };
    expect(await registry.dimensions.sync("physical_filter", record)).toBe(true);
    expect(await registry.dimensions.sync("physical_filter", record)).toBe(false);
    const conflict = await failure(registry.dimensions.sync("physical_filter", { ...record, band: "z" }));
    expect(conflict).toBeInstanceOf(ConflictingDefinitionError);
    expect(conflict.message).toBe(
      "A different physical_filter record exists for {instrument: 'Cam1', physical_filter: 'Cam1-I'} (existing != new: band: 'i' != 'z')",
    );
    expect(
      await registry.dimensions.sync("physical_filter", { ...record, band: "z" }, { update: true }),
    ).toEqual({ band: "i" });
  });

  it("certifies and decertifies with daf_butler's splitting rules", async () => {
    await registry.collections.register("run", "RUN");
    await registry.collections.register("calib", "CALIBRATION");
    const [b1, b2] = await registry.datasets.insert(
      "bias",
      [
        { instrument: "Cam1", detector: 1 },
        { instrument: "Cam1", detector: 1 },
      ].slice(0, 1),
      "run",
    );
    expect(b2).toBeUndefined();
    await registry.calibrations.certify(
      "calib",
      [b1 as never],
      Timespan.between(tai("2020-01-01"), tai("2022-01-01")),
    );
    const overlap = await failure(
      registry.calibrations.certify("calib", [b1 as never], Timespan.between(tai("2021-01-01"), null)),
    );
    expect(overlap).toBeInstanceOf(ConflictingDefinitionError);
    expect(overlap.message).toContain("is already certified over [2020-01-01T00:00:00, 2022-01-01T00:00:00)");
    expect(
      await registry.calibrations.decertify(
        "calib",
        "bias",
        Timespan.between(tai("2020-06-01"), tai("2020-07-01")),
      ),
    ).toBe(1);
    const ranges = (await registry.calibrations.list("calib")).map((c) => String(c.validity)).sort();
    expect(ranges).toEqual([
      "[2020-01-01T00:00:00, 2020-06-01T00:00:00)",
      "[2020-07-01T00:00:00, 2022-01-01T00:00:00)",
    ]);
    const at = (text: string) =>
      registry.datasets.find(
        "bias",
        { instrument: "Cam1", detector: 1 },
        { collections: ["calib"], timespan: Timespan.fromInstant(tai(text)) },
      );
    expect((await at("2020-03-01"))?.id).toBe(b1?.id);
    expect(await at("2020-06-15")).toBeNull();
    const notCalibration = await failure(
      registry.calibrations.certify("run", [b1 as never], Timespan.unbounded()),
    );
    expect(notCalibration).toBeInstanceOf(CollectionTypeError);
  });

  it("rejects bad input with typed errors and leaves the repository unchanged", async () => {
    await registry.collections.register("run", "RUN");
    await registry.collections.register("calib", "CALIBRATION");
    const [bias] = await registry.datasets.insert("bias", [{ instrument: "Cam1", detector: 1 }], "run");
    await registry.calibrations.certify(
      "calib",
      [bias as never],
      Timespan.between(tai("2020-01-01"), tai("2021-01-01")),
    );
    await registry.collections.register("chain", "CHAINED");
    await registry.collections.setChain("chain", ["run"]);
    const before = await backend.dump(join(dir.path, "repo"));
    const cases: Array<[() => Promise<unknown>, unknown, string]> = [
      [() => registry.dimensions.insert("detectorr", [{}]), Error, 'Unknown dimension element "detectorr"'],
      [
        () => registry.dimensions.insert("detector", [{ instrument: "Cam1", full_name: "x" }]),
        DimensionValueError,
        'Missing value for field "id" of a detector record',
      ],
      [
        () => registry.dimensions.insert("detector", [{ instrument: "Cam9", id: 9, full_name: "x" }]),
        DataIdValueError,
        "no instrument record for {instrument: 'Cam9'}",
      ],
      [
        () => registry.dimensions.insert("detector", [{ instrument: "Cam1", id: 1, full_name: "Zz" }]),
        ConflictingDefinitionError,
        "A detector record already exists for {instrument: 'Cam1', detector: 1}",
      ],
      [
        () => registry.datasets.insert("bias", [{ instrument: "Cam1", detector: 9 }], "run"),
        DataIdValueError,
        "No detector record for {instrument: 'Cam1', detector: 9}, which data ID {instrument: 'Cam1', detector: 9} needs",
      ],
      [
        () => registry.datasets.insert("bias", [{ instrument: "Cam1", detector: 1 }], "run"),
        ConflictingDefinitionError,
        'RUN "run" already has a bias dataset with data ID',
      ],
      [
        () => registry.datasets.insert("biass", [{ instrument: "Cam1", detector: 1 }], "run"),
        MissingDatasetTypeError,
        'Dataset type "biass" is not registered',
      ],
      [
        () => registry.datasets.insert("bias", [{ instrument: "Cam1", detector: 2 }], "nope"),
        MissingCollectionError,
        'Collection "nope" not found',
      ],
      [
        () => registry.collections.setChain("chain", ["chain"]),
        CollectionCycleError,
        'Chain "chain" cannot contain "chain"',
      ],
      [
        () =>
          registry.calibrations.certify("calib", [bias as never], Timespan.between(tai("2020-06-01"), null)),
        ConflictingDefinitionError,
        "is already certified over",
      ],
      [
        () => registry.collections.register("bad*name", "RUN"),
        InvalidCollectionNameError,
        'Invalid collection name "bad*name"',
      ],
      [
        () => registry.collections.register("run", "TAGGED"),
        ConflictingDefinitionError,
        'Collection "run" already exists as RUN, not TAGGED',
      ],
      [() => registry.collections.remove("run"), OrphanedRecordError, 'chain "chain" still lists it'],
      [
        () => registry.datasetTypes.remove("bias"),
        OrphanedRecordError,
        'Dataset type "bias" still has 1 dataset',
      ],
      [
        () =>
          registry.datasetTypes.register(
            DatasetType.make(registry.universe, {
              name: "bias",
              dimensions: ["instrument"],
              storageClass: "Exposure",
            }),
          ),
        ConflictingDefinitionError,
        'Dataset type "bias" is already registered as',
      ],
      [
        () => registry.datasetTypes.get("bias.wcs"),
        DatasetTypeError,
        'is component "wcs" of dataset type "bias"',
      ],
    ];
    for (const [attempt, kind, message] of cases) {
      const error = await failure(attempt());
      expect(error, message).toBeInstanceOf(kind as never);
      expect(error.message).toContain(message);
    }
    expect(await backend.dump(join(dir.path, "repo"))).toBe(before);
  });

  it("refuses a repository whose schema it does not support, naming the manager", async () => {
    await registry.close();
    await backend.execute(
      join(dir.path, "repo"),
      "UPDATE butler_attributes SET value = '3.0.0' WHERE name LIKE 'version:%SynthIntKeyCollectionManager'",
    );
    const error = await failure(openRegistry(join(dir.path, "repo")));
    expect(error.code).toBe("IncompatibleRepositoryError");
    expect(error.message).toContain("collections schema version 3.0.0 (supported: 2.0.0)");
    registry = await baseRepository(join(dir.path, "other"), backend);
  });
});
