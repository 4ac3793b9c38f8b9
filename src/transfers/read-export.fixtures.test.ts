import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { describeWithFixtures, fixturePath } from "../../test/support/shared-fixtures.ts";
import { Timespan } from "../time/timespan.ts";
import type { ExportDocument, ExportItem } from "./export-document.ts";
import { parseExportDocument } from "./read-export.ts";

function readFixture(name: string): { text: string; document: ExportDocument } {
  const text = readFileSync(fixturePath("registry_data", name), "utf8");
  return { text, document: parseExportDocument(text, name) };
}

/** Number of records per element, summed over items. */
function recordCounts(document: ExportDocument): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of document.items) {
    if (item.type === "dimension") counts[item.element] = (counts[item.element] ?? 0) + item.records.length;
  }
  return counts;
}

function ofType<T extends ExportItem["type"]>(
  document: ExportDocument,
  type: T,
): (ExportItem & { type: T })[] {
  return document.items.filter((item): item is ExportItem & { type: T } => item.type === type);
}

function recordsOf(document: ExportDocument, element: string) {
  return ofType(document, "dimension").flatMap((item) => (item.element === element ? item.records : []));
}

/** TAI nanoseconds of a TAI calendar time (TAI has no leap seconds, so calendar arithmetic is exact). */
function tai(year: number, month: number, day: number, h = 0, m = 0, s = 0, ms = 0): bigint {
  return BigInt(Date.UTC(year, month - 1, day, h, m, s, ms)) * 1_000_000n;
}

describeWithFixtures("parseExportDocument() on daf_butler's test files", () => {
  it("reads base.yaml (version 0): instrument, filters, detectors, calibration dataset types", () => {
    const { document } = readFixture("base.yaml");
    expect(document).toMatchObject({ version: "1.0.0", universeVersion: 6, universeNamespace: "daf_butler" });
    expect(recordCounts(document)).toEqual({ instrument: 1, physical_filter: 3, detector: 4 });
    expect(recordsOf(document, "instrument")[0]).toEqual({
      name: "Cam1",
      visit_max: 1024,
      visit_system: 1,
      exposure_max: 512,
      detector_max: 4,
      class_name: "lsst.pipe.base.Instrument",
    });
    expect(recordsOf(document, "detector")[3]).toEqual({
      instrument: "Cam1",
      id: 4,
      raft: "B",
      name_in_raft: "b",
      full_name: "Bb",
      purpose: "WAVEFRONT",
    });
    expect(ofType(document, "dataset_type")).toEqual([
      {
        type: "dataset_type",
        name: "flat",
        dimensions: ["instrument", "detector", "physical_filter", "band"],
        storageClass: "Exposure",
        isCalibration: true,
      },
      {
        type: "dataset_type",
        name: "bias",
        dimensions: ["instrument", "detector"],
        storageClass: "Exposure",
        isCalibration: true,
      },
    ]);
  });

  it("reads datasets.yaml: legacy runs become RUN collections, 13 datasets with their UUIDs", () => {
    const { document } = readFixture("datasets.yaml");
    expect(document.universeVersion).toBeUndefined();
    expect(ofType(document, "collection")).toEqual([
      {
        type: "collection",
        name: "imported_g",
        collectionType: "RUN",
        doc: null,
        host: null,
        timespan: null,
        children: [],
      },
      {
        type: "collection",
        name: "imported_r",
        collectionType: "RUN",
        doc: null,
        host: null,
        timespan: null,
        children: [],
      },
    ]);
    const datasets = ofType(document, "dataset");
    expect(datasets.map((item) => [item.datasetType, item.run, item.files.length])).toEqual([
      ["bias", "imported_g", 3],
      ["flat", "imported_g", 3],
      ["bias", "imported_r", 3],
      ["flat", "imported_r", 4],
    ]);
    expect(datasets[0]?.files[0]).toEqual({
      datasetIds: ["e15ab039-bc8b-4135-87c5-90902a7c0b22"],
      dataIds: [{ instrument: "Cam1", detector: 1 }],
      path: "placeholder",
      formatter: null,
    });
  });

  it("reads spatial.yaml: visits with TAI timespans, regions, skymap hash", () => {
    const { text, document } = readFixture("spatial.yaml");
    expect(document).toMatchObject({ version: "1.0.2", universeVersion: 7 });
    expect(recordCounts(document)).toEqual({
      day_obs: 1,
      visit: 2,
      visit_detector_region: 8,
      skymap: 1,
      tract: 2,
      patch: 12,
    });
    const visit = recordsOf(document, "visit")[0] ?? {};
    expect(visit.timespan).toEqual(Timespan.between(tai(2021, 9, 9, 3, 0), tai(2021, 9, 9, 3, 1)));
    // The timespan takes the place of datetime_begin in the record's field order.
    expect(Object.keys(visit)).toEqual([
      "physical_filter",
      "day_obs",
      "exposure_time",
      "target_name",
      "observation_reason",
      "science_program",
      "zenith_angle",
      "timespan",
      "instrument",
      "id",
      "name",
      "region",
    ]);
    const firstHex = /encoded: ([0-9a-f]+)/.exec(text)?.[1] as string;
    expect(visit.region).toEqual(Uint8Array.from(Buffer.from(firstHex, "hex")));
    expect(Buffer.from(recordsOf(document, "skymap")[0]?.hash as Uint8Array).toString()).toBe(
      "notreallyahashofanything!",
    );
  });

  it("reads ci_hsc-subset.yaml and its skymap file", () => {
    const { document } = readFixture("ci_hsc-subset.yaml");
    expect(recordCounts(document)).toEqual({
      instrument: 1,
      day_obs: 2,
      detector: 16,
      physical_filter: 2,
      visit: 11,
      visit_detector_region: 33,
    });
    expect(ofType(document, "collection").map((c) => [c.collectionType, c.name])).toEqual([
      ["RUN", "HSC/runs/ci_hsc/20240806T180642Z"],
    ]);
    const [calexp] = ofType(document, "dataset");
    expect(calexp?.datasetType).toBe("calexp");
    expect(calexp?.files.flatMap((file) => file.datasetIds)).toHaveLength(33);
    expect(calexp?.files[0]?.datasetIds).toEqual(["1b3a4c19-dffa-4942-af1d-b123a1497a00"]);
    // PyYAML leaves "0_29" unquoted: not an integer under YAML 1.1, unlike "1_53".
    expect(recordsOf(document, "detector").map((d) => d.full_name)).toContain("0_29");
    expect(recordsOf(document, "detector").map((d) => d.full_name)).toContain("1_53");

    const skymap = readFixture("ci_hsc-subset-skymap.yaml").document;
    expect(recordCounts(skymap)).toEqual({ skymap: 1, tract: 1 });
    expect(ofType(skymap, "dataset")[0]?.files[0]?.formatter).toBe(
      "lsst.daf.butler.formatters.pickle.PickleFormatter",
    );
  });

  it("reads hsc-rc2-subset-v0.yaml: no universe version, plain UTC timestamps", () => {
    const { document } = readFixture("hsc-rc2-subset-v0.yaml");
    expect(document).toMatchObject({ version: "1.0.0", universeVersion: undefined });
    expect(recordCounts(document)).toEqual({
      instrument: 1,
      skymap: 1,
      detector: 3,
      physical_filter: 2,
      tract: 2,
      visit_system: 1,
      patch: 2,
      exposure: 1,
      visit: 2,
    });
    // 2014-11-18 12:56:47.112 UTC is 35 s later in TAI.
    const visit = recordsOf(document, "visit")[0] ?? {};
    expect((visit.timespan as Timespan).begin).toBe(tai(2014, 11, 18, 12, 57, 22, 112));
  });

  it("reads hsc-rc2-subset.yaml (784 KB)", () => {
    const { document } = readFixture("hsc-rc2-subset.yaml");
    expect(recordCounts(document)).toEqual({
      instrument: 1,
      skymap: 1,
      group: 1,
      day_obs: 15,
      detector: 111,
      physical_filter: 5,
      tract: 2,
      visit_system: 1,
      patch: 2,
      exposure: 1,
      visit: 160,
      visit_detector_region: 1132,
      visit_system_membership: 160,
    });
    const visits = recordsOf(document, "visit");
    expect(visits.some((visit) => visit.id === 1232)).toBe(true);
    expect(visits.find((visit) => visit.id === 27136)?.name).toBe("HSCA02713600");
    expect(recordsOf(document, "exposure")[0]?.id).toBe(903342);
  });

  it("reads lsstcam-subset.yaml", () => {
    const { document } = readFixture("lsstcam-subset.yaml");
    expect(recordCounts(document)).toEqual({
      instrument: 1,
      day_obs: 1,
      detector: 2,
      group: 2,
      physical_filter: 1,
      visit_system: 2,
      exposure: 2,
      visit: 2,
      visit_definition: 2,
      visit_detector_region: 4,
      visit_system_membership: 4,
    });
    const exposure = recordsOf(document, "exposure")[0] ?? {};
    expect(exposure.can_see_sky).toBe(true);
    expect((exposure.timespan as Timespan).begin).toBe(tai(2025, 12, 3, 7, 59, 7) + 425_363_958n);
  });

  it("checks every region tag against the class its encoding names", () => {
    for (const name of ["spatial.yaml", "ci_hsc-subset.yaml", "hsc-rc2-subset.yaml", "lsstcam-subset.yaml"]) {
      const { text } = readFixture(name);
      for (const match of text.matchAll(/!<lsst\.sphgeom\.(\w+)>\n\s+encoded: ([0-9a-f]{2})/g)) {
        expect([match[1], match[2]]).toEqual(["ConvexPolygon", "70"]);
      }
    }
  });
});
