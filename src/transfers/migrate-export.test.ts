import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeWithFixtures, fixturePath } from "../../test/support/shared-fixtures.ts";
import { defaultUniverse } from "../dimensions/default-universe.ts";
import { DimensionRecord } from "../dimensions/dimension-record.ts";
import { DimensionNameError, ExportFormatError } from "../errors.ts";
import { Timespan } from "../time/timespan.ts";
import type { ExportDocument, ExportItem } from "./export-document.ts";
import { migrateExportDocument } from "./migrate-export.ts";
import { parseExportDocument } from "./read-export.ts";

const universe = defaultUniverse();

function fixture(name: string): ExportDocument {
  return parseExportDocument(readFileSync(fixturePath("registry_data", name), "utf8"), name);
}

function recordsOf(document: ExportDocument, element: string) {
  return document.items.flatMap((item) =>
    item.type === "dimension" && item.element === element ? item.records : [],
  );
}

/** Every dimension record of the document, made into a DimensionRecord of `universe` (which checks it). */
function makeRecords(document: ExportDocument): DimensionRecord[] {
  return document.items.flatMap((item) =>
    item.type === "dimension"
      ? item.records.map((fields) => DimensionRecord.make(universe.element(item.element), fields))
      : [],
  );
}

function document(items: ExportItem[], universeVersion: number | undefined = 0): ExportDocument {
  return { version: "1.0.0", universeVersion, universeNamespace: "daf_butler", items };
}

const TAI_DAY = 86_400_000_000_000n;

describeWithFixtures("migrateExportDocument() on daf_butler's test files", () => {
  it("migrates hsc-rc2-subset-v0.yaml to universe 8 as daf_butler's import does", () => {
    const { document: migrated, warnings } = migrateExportDocument(
      fixture("hsc-rc2-subset-v0.yaml"),
      universe,
    );
    expect(migrated.universeVersion).toBe(8);
    const counts = Object.fromEntries(
      ["day_obs", "group", "exposure", "visit", "detector", "visit_system_membership"].map((element) => [
        element,
        recordsOf(migrated, element).length,
      ]),
    );
    expect(counts).toEqual({
      day_obs: 3,
      group: 1,
      exposure: 1,
      visit: 2,
      detector: 3,
      visit_system_membership: 2,
    });
    expect(recordsOf(migrated, "day_obs")).toEqual([
      { instrument: "HSC", id: 20130617 },
      { instrument: "HSC", id: 20141118 },
      { instrument: "HSC", id: 20150318 },
    ]);
    expect(recordsOf(migrated, "group")).toEqual([{ instrument: "HSC", name: "903342" }]);
    expect(recordsOf(migrated, "visit_system_membership")).toEqual([
      { instrument: "HSC", visit_system: 0, visit: 11690 },
      { instrument: "HSC", visit_system: 0, visit: 23868 },
    ]);
    const visit = recordsOf(migrated, "visit")[0] ?? {};
    expect(Object.keys(visit)).toEqual([
      "instrument",
      "id",
      "day_obs",
      "physical_filter",
      "name",
      "exposure_time",
      "region",
      "timespan",
    ]);
    const exposure = recordsOf(migrated, "exposure")[0] ?? {};
    expect([exposure.group, "group_name" in exposure, "group_id" in exposure]).toEqual([
      "903342",
      false,
      false,
    ]);
    expect(warnings).toEqual([
      "Constructing day_obs records with no timespans for visit/exposure records that were exported before day_obs was a dimension (instrument: HSC).",
    ]);
    expect(makeRecords(migrated)).toHaveLength(21);
    // New items sit in universe order among the others.
    const elements = migrated.items.flatMap((item) => (item.type === "dimension" ? [item.element] : []));
    expect(elements.indexOf("day_obs")).toBeLessThan(elements.indexOf("exposure"));
    expect(elements.indexOf("group")).toBeLessThan(elements.indexOf("exposure"));
    expect(elements.at(-1)).toBe("visit_system_membership");
  });

  it("gives day_obs records timespans when the instrument's day offset is known", () => {
    const { document: migrated, warnings } = migrateExportDocument(
      fixture("hsc-rc2-subset-v0.yaml"),
      universe,
      {
        dayObsOffsets: { HSC: 12 * 3600 },
      },
    );
    expect(warnings).toEqual([]);
    // Visit 11690 started 2014-11-18 12:57:22 TAI, 12 h into its observing day.
    expect(recordsOf(migrated, "visit").map((visit) => visit.day_obs)).toEqual([20141118, 20150318]);
    const timespan = recordsOf(migrated, "day_obs")[0]?.timespan as Timespan;
    expect(timespan).toEqual(Timespan.fromDayObs(20130617, 12 * 3600));
    expect(timespan.beginNs % TAI_DAY).toBe(TAI_DAY / 2n);
    makeRecords(migrated);
  });

  it.each([
    "base.yaml",
    "datasets.yaml",
    "spatial.yaml",
    "ci_hsc-subset.yaml",
    "ci_hsc-subset-skymap.yaml",
    "hsc-rc2-subset.yaml",
    "lsstcam-subset.yaml",
  ])("makes every record of %s valid for universe 8", (name) => {
    const { document: migrated, warnings } = migrateExportDocument(fixture(name), universe);
    expect(warnings).toEqual([]);
    expect(migrated.universeVersion).toBe(8);
    makeRecords(migrated);
  });

  it("returns a document already at the target version unchanged", () => {
    const original = { ...fixture("lsstcam-subset.yaml"), universeVersion: 8 };
    const result = migrateExportDocument(original, universe);
    expect(result.document).toBe(original);
    expect(result.warnings).toEqual([]);
  });
});

describe("migrateExportDocument()", () => {
  it("drops visit_system from dataset types that have visit (universe < 2)", () => {
    const { document: migrated } = migrateExportDocument(
      document([
        {
          type: "dataset_type",
          name: "a",
          dimensions: ["instrument", "visit", "visit_system"],
          storageClass: "X",
          isCalibration: false,
        },
        {
          type: "dataset_type",
          name: "b",
          dimensions: ["instrument", "visit_system"],
          storageClass: "X",
          isCalibration: false,
        },
      ]),
      universe,
    );
    expect(migrated.items.map((item) => item.type === "dataset_type" && item.dimensions)).toEqual([
      ["instrument", "visit"],
      ["instrument", "visit_system"],
    ]);
  });

  it("keeps group and day_obs records unique", () => {
    const exposure = (id: number, group: string, dayObs: number) => ({
      instrument: "Cam",
      id,
      group_name: group,
      group_id: id,
      day_obs: dayObs,
      physical_filter: "g",
      obs_id: `e${id}`,
    });
    const { document: migrated } = migrateExportDocument(
      document(
        [
          {
            type: "dimension",
            element: "exposure",
            records: [exposure(1, "a", 20200101), exposure(2, "a", 20200101), exposure(3, "b", 20200102)],
          },
        ],
        5,
      ),
      universe,
      { dayObsOffsets: { Cam: 0 } },
    );
    expect(recordsOf(migrated, "group")).toEqual([
      { instrument: "Cam", name: "a" },
      { instrument: "Cam", name: "b" },
    ]);
    expect(recordsOf(migrated, "day_obs").map((record) => record.id)).toEqual([20200101, 20200102]);
    expect(migrated.items.map((item) => item.type === "dimension" && item.element)).toEqual([
      "day_obs",
      "group",
      "exposure",
    ]);
    makeRecords(migrated);
  });

  it("adds new records to an existing item of their element", () => {
    const { document: migrated } = migrateExportDocument(
      document(
        [
          { type: "dimension", element: "day_obs", records: [{ instrument: "Cam", id: 20200101 }] },
          {
            type: "dimension",
            element: "visit",
            records: [{ instrument: "Cam", id: 1, day_obs: 20200102, physical_filter: "g", name: "v1" }],
          },
        ],
        5,
      ),
      universe,
    );
    expect(recordsOf(migrated, "day_obs").map((record) => record.id)).toEqual([20200101, 20200102]);
    expect(migrated.items).toHaveLength(2);
  });

  it("names an element the universe does not have", () => {
    const run = () =>
      migrateExportDocument(document([{ type: "dimension", element: "vist", records: [] }], 7), universe);
    expect(run).toThrow(DimensionNameError);
    expect(run).toThrow('data[0]: records of element "vist", which universe daf_butler@8 does not have');
  });

  it("names a field the target element does not have instead of dropping it", () => {
    const records = [
      { instrument: "Cam", id: 1, name: "v", physical_filter: "g", day_obs: 20200101, seeing: 0.7 },
    ];
    const run = () =>
      migrateExportDocument(document([{ type: "dimension", element: "visit", records }], 3), universe);
    expect(run).toThrow(DimensionNameError);
    expect(run).toThrow(
      'data[0].records[0]: field "seeing" of a visit record, which universe daf_butler@8 does not have',
    );
    // The same record in a universe-0 file loses seeing, as daf_butler drops it.
    const old = migrateExportDocument(
      document([
        {
          type: "dimension",
          element: "visit",
          records: [{ ...records[0], visit_system: 0, timespan: Timespan.fromDayObs(20200101) }],
        },
      ]),
      universe,
    );
    expect(recordsOf(old.document, "visit")[0]).not.toHaveProperty("seeing");
  });

  it("reports a record that lacks what a migration needs", () => {
    const visit = { instrument: "Cam", id: 1, physical_filter: "g", name: "v" };
    const run = () =>
      migrateExportDocument(document([{ type: "dimension", element: "visit", records: [visit] }]), universe);
    expect(run).toThrow(ExportFormatError);
    expect(run).toThrow(
      'data[0].records[0]: the record has no "visit_system", needed to make visit_system_membership records',
    );
    const noStart = () =>
      migrateExportDocument(
        document([{ type: "dimension", element: "visit", records: [{ ...visit, visit_system: 0 }] }]),
        universe,
      );
    expect(noStart).toThrow("data[0].records[0]: a visit record needs a start time to compute its day_obs");
  });

  it("does not migrate documents of another namespace", () => {
    const other: ExportDocument = {
      ...document([{ type: "dimension", element: "instrument", records: [{ name: "Cam" }] }]),
      universeNamespace: "mine",
    };
    const { document: migrated } = migrateExportDocument(other, universe);
    expect(migrated.items).toEqual(other.items);
    expect(migrated.universeVersion).toBe(0);
  });
});
