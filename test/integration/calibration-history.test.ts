import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatasetRef } from "../../src/datasets/dataset-ref.ts";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import type { Registry } from "../../src/registry/registry.ts";
import { createRepository } from "../../src/repository/create-repository.ts";
import { openRegistry } from "../../src/repository/open-registry.ts";
import { parseTime } from "../../src/time/parse-time.ts";
import { Timespan } from "../../src/time/timespan.ts";
import { describeEachBackend } from "../support/registry-backends.ts";
import { tempDir } from "../support/temp-repo.ts";

const tai = (text: string) => parseTime(`${text}/tai`);
const span = (begin: string | null, end: string | null) =>
  Timespan.between(begin === null ? null : tai(begin), end === null ? null : tai(end));

/**
 * A replayed history of one flat's certifications at known record times:
 *  R1 2026-01-10: certify flat A over [2025-01-01, ∞)
 *  R2 2026-02-10: decertify [2025-06-01, ∞); certify flat B over [2025-06-01, ∞)
 *  R3 2026-03-10: decertify [2025-09-01, 2025-10-01) (splits B)
 *  R4 2026-04-10: certify flat C over [2025-09-01, 2025-10-01)
 */
describeEachBackend("bitemporal calibrations", (backend) => {
  let dir: { path: string; cleanup: () => void };
  let registry: Registry;
  let now = 0n;
  const flats: Record<string, DatasetRef> = {};

  const lookup = (when: string, asOf?: string) =>
    registry.datasets.find(
      "flat",
      { instrument: "Cam1", detector: 1, physical_filter: "Cam1-G" },
      {
        collections: ["calib"],
        timespan: Timespan.fromInstant(tai(when)),
        ...(asOf === undefined ? {} : { asOf: tai(asOf) }),
      },
    );

  beforeAll(async () => {
    dir = tempDir();
    const root = join(dir.path, "repo");
    registry = await createRepository(root, { clock: () => now, ...(await backend.repositoryOptions()) });
    await registry.dimensions.insert("instrument", [{ name: "Cam1" }]);
    await registry.dimensions.insert("physical_filter", [{ instrument: "Cam1", name: "Cam1-G", band: "g" }]);
    await registry.dimensions.insert("detector", [{ instrument: "Cam1", id: 1, full_name: "Aa" }]);
    await registry.datasetTypes.register(
      DatasetType.make(registry.universe, {
        name: "flat",
        dimensions: ["detector", "physical_filter"],
        storageClass: "Exposure",
        isCalibration: true,
      }),
    );
    await registry.collections.register("calib", "CALIBRATION");
    for (const name of ["A", "B", "C"]) {
      await registry.collections.register(`run/${name}`, "RUN");
      const [ref] = await registry.datasets.insert(
        "flat",
        [{ instrument: "Cam1", detector: 1, physical_filter: "Cam1-G" }],
        `run/${name}`,
      );
      flats[name] = ref as DatasetRef;
    }
    now = tai("2026-01-10");
    await registry.calibrations.certify("calib", [flats.A as DatasetRef], span("2025-01-01", null));
    now = tai("2026-02-10");
    await registry.transaction(async () => {
      await registry.calibrations.decertify("calib", "flat", span("2025-06-01", null));
      await registry.calibrations.certify("calib", [flats.B as DatasetRef], span("2025-06-01", null));
    });
    now = tai("2026-03-10");
    await registry.calibrations.decertify("calib", "flat", span("2025-09-01", "2025-10-01"));
    now = tai("2026-04-10");
    await registry.calibrations.certify("calib", [flats.C as DatasetRef], span("2025-09-01", "2025-10-01"));
    await registry.close();
    registry = await openRegistry(root, { writeable: true, clock: () => now });
  });

  afterAll(async () => {
    await registry.close();
    dir.cleanup();
  });

  const cases: Array<[string, string | undefined, string | null]> = [
    ["2025-03-01", undefined, "A"],
    ["2025-07-01", undefined, "B"],
    ["2025-09-15", undefined, "C"],
    ["2025-11-01", undefined, "B"],
    ["2024-12-31", undefined, null],
    ["2025-07-01", "2026-01-05", null],
    ["2025-07-01", "2026-01-10", "A"],
    ["2025-07-01", "2026-02-01", "A"],
    ["2025-07-01", "2026-02-10", "B"],
    ["2025-09-15", "2026-03-01", "B"],
    ["2025-09-15", "2026-03-10", null],
    ["2025-09-15", "2026-04-01", null],
    ["2025-09-15", "2026-04-10", "C"],
    ["2025-03-01", "2026-03-10", "A"],
    ["2025-11-01", "2026-03-20", "B"],
  ];

  it.each(cases)("valid at %s, as recorded at %s: flat %s", async (when, asOf, flat) => {
    const found = await lookup(when, asOf);
    expect(found?.id ?? null).toBe(flat === null ? null : flats[flat]?.id);
  });

  it("lists every range with when it was certified and superseded", async () => {
    const rows = (await registry.calibrations.history("calib", "flat")).map((h) => [
      Object.entries(flats).find(([, ref]) => ref.id === h.ref.id)?.[0],
      String(h.validity),
      h.certified,
      h.superseded,
    ]);
    expect(rows).toEqual([
      ["A", "[2025-01-01T00:00:00, ∞)", tai("2026-01-10"), tai("2026-02-10")],
      ["A", "[2025-01-01T00:00:00, 2025-06-01T00:00:00)", tai("2026-02-10"), null],
      ["B", "[2025-06-01T00:00:00, ∞)", tai("2026-02-10"), tai("2026-03-10")],
      ["B", "[2025-06-01T00:00:00, 2025-09-01T00:00:00)", tai("2026-03-10"), null],
      ["B", "[2025-10-01T00:00:00, ∞)", tai("2026-03-10"), null],
      ["C", "[2025-09-01T00:00:00, 2025-10-01T00:00:00)", tai("2026-04-10"), null],
    ]);
  });

  it("keeps current lookups on daf_butler's live table", async () => {
    const live = (await registry.calibrations.list("calib", "flat")).map((c) => String(c.validity)).sort();
    expect(live).toEqual([
      "[2025-01-01T00:00:00, 2025-06-01T00:00:00)",
      "[2025-06-01T00:00:00, 2025-09-01T00:00:00)",
      "[2025-09-01T00:00:00, 2025-10-01T00:00:00)",
      "[2025-10-01T00:00:00, ∞)",
    ]);
  });
});
