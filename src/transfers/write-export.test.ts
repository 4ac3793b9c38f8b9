import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeWithFixtures, fixturePath } from "../../test/support/shared-fixtures.ts";
import { defaultUniverse } from "../dimensions/default-universe.ts";
import type { RecordValue } from "../dimensions/dimension-record.ts";
import { ExportFormatError } from "../errors.ts";
import { Timespan } from "../time/timespan.ts";
import type { ExportDocument, ExportItem } from "./export-document.ts";
import { parseExportDocument } from "./read-export.ts";
import { formatExportDocument } from "./write-export.ts";

const HEADER =
  "description: Butler Data Repository Export\nversion: 1.0.2\nuniverse_version: 8\nuniverse_namespace: daf_butler\n";

function format(items: ExportItem[]): string {
  const document: ExportDocument = {
    version: "1.0.2",
    universeVersion: 8,
    universeNamespace: "daf_butler",
    items,
  };
  return formatExportDocument(document, { universe: defaultUniverse() });
}

/** TAI nanoseconds of a TAI calendar time. */
function tai(year: number, month: number, day: number, h = 0): bigint {
  return BigInt(Date.UTC(year, month - 1, day, h)) * 1_000_000n;
}

describeWithFixtures("formatExportDocument() on daf_butler's test files", () => {
  // Files daf_butler wrote itself (all but the hand-written base, datasets and v0 files).
  it.each([
    "spatial.yaml",
    "ci_hsc-subset.yaml",
    "ci_hsc-subset-skymap.yaml",
    "hsc-rc2-subset.yaml",
    "lsstcam-subset.yaml",
  ])("writes %s byte for byte as daf_butler did", (name) => {
    const text = readFileSync(fixturePath("registry_data", name), "utf8");
    const withoutComments = text.replace(/^(#.*\n)+/, "");
    expect(formatExportDocument(parseExportDocument(text, name), { universe: defaultUniverse() })).toBe(
      withoutComments,
    );
  });
});

describe("formatExportDocument()", () => {
  it("writes the header and an empty data list", () => {
    expect(format([])).toBe(`${HEADER}data: []\n`);
    const oldest: ExportDocument = {
      version: "1.0.0",
      universeVersion: undefined,
      universeNamespace: "daf_butler",
      items: [],
    };
    expect(formatExportDocument(oldest)).toBe(
      "description: Butler Data Repository Export\nversion: 1.0.2\nuniverse_namespace: daf_butler\ndata: []\n",
    );
  });

  it("writes collections of every type", () => {
    const base = { type: "collection", doc: null, host: null, timespan: null, children: [] } as const;
    expect(
      format([
        {
          ...base,
          name: "run",
          collectionType: "RUN",
          host: "node1",
          timespan: Timespan.between(tai(2020, 1, 1), null),
        },
        { ...base, name: "chain", collectionType: "CHAINED", doc: "Two runs.", children: ["run", "run2"] },
        { ...base, name: "tagged", collectionType: "TAGGED" },
        { ...base, name: "empty-chain", collectionType: "CHAINED" },
      ]),
    ).toBe(`${HEADER}data:
- type: collection
  collection_type: RUN
  name: run
  host: node1
  timespan_begin: !butler_time/tai/iso '2020-01-01 00:00:00.000000000'
  timespan_end: null
- type: collection
  collection_type: CHAINED
  name: chain
  doc: Two runs.
  children:
  - run
  - run2
- type: collection
  collection_type: TAGGED
  name: tagged
- type: collection
  collection_type: CHAINED
  name: empty-chain
  children: []
`);
  });

  it("writes dataset types, datasets and associations", () => {
    const id = "e15ab039-bc8b-4135-87c5-90902a7c0b22";
    expect(
      format([
        {
          type: "dataset_type",
          name: "bias",
          dimensions: ["instrument", "detector"],
          storageClass: "Exposure",
          isCalibration: true,
        },
        {
          type: "dataset",
          datasetType: "bias",
          run: "run",
          files: [
            {
              datasetIds: [id],
              dataIds: [{ instrument: "Cam1", detector: 1 }],
              path: "bias/1.fits",
              formatter: "x.Formatter",
            },
          ],
        },
        {
          type: "associations",
          collection: "tagged",
          collectionType: "TAGGED",
          datasetIds: [id],
          validityRanges: [],
        },
        {
          type: "associations",
          collection: "calib",
          collectionType: "CALIBRATION",
          datasetIds: [],
          validityRanges: [
            { timespan: Timespan.between(tai(2020, 1, 1), tai(2020, 6, 1, 12)), datasetIds: [id] },
            { timespan: Timespan.empty(), datasetIds: [] },
          ],
        },
      ]),
    ).toBe(`${HEADER}data:
- type: dataset_type
  name: bias
  dimensions:
  - instrument
  - detector
  storage_class: Exposure
  is_calibration: true
- type: dataset
  dataset_type: bias
  run: run
  records:
  - dataset_id:
    - !uuid '${id}'
    data_id:
    - instrument: Cam1
      detector: 1
    path: bias/1.fits
    formatter: x.Formatter
- type: associations
  collection: tagged
  collection_type: TAGGED
  dataset_ids:
  - !uuid '${id}'
- type: associations
  collection: calib
  collection_type: CALIBRATION
  validity_ranges:
  - timespan: !lsst.daf.butler.Timespan
      begin: !butler_time/tai/iso '2020-01-01 00:00:00.000000000'
      end: !butler_time/tai/iso '2020-06-01 12:00:00.000000000'
    dataset_ids:
    - !uuid '${id}'
  - timespan: !lsst.daf.butler.Timespan 'EMPTY'
    dataset_ids: []
`);
  });

  it("writes record values: floats by column type, quoting as PyYAML, bytes, regions, timespans", () => {
    const records: Record<string, RecordValue>[] = [
      {
        instrument: "Cam",
        id: 1,
        name: "1_53",
        exposure_time: 30,
        azimuth: 1e-7,
        zenith_angle: null,
        target_name: "yes",
        science_program: "a: b",
        region: Uint8Array.of(0x63, 0xab),
        timespan: Timespan.between(null, tai(2020, 1, 1)),
      },
      { instrument: "Cam", id: 2, timespan: null, observation_reason: "long ".repeat(20).trim() },
    ];
    expect(format([{ type: "dimension", element: "visit", records }])).toBe(`${HEADER}data:
- type: dimension
  element: visit
  records:
  - instrument: Cam
    id: 1
    name: '1_53'
    exposure_time: 30.0
    azimuth: 1.0e-07
    zenith_angle: null
    target_name: 'yes'
    science_program: 'a: b'
    region: !<lsst.sphgeom.Circle>
      encoded: 63ab
    datetime_begin: null
    datetime_end: !butler_time/tai/iso '2020-01-01 00:00:00.000000000'
  - instrument: Cam
    id: 2
    observation_reason: long long long long long long long long long long long long
      long long long long long long long long
`);
    expect(
      format([
        { type: "dimension", element: "skymap", records: [{ name: "s", hash: Uint8Array.of(0, 1, 2, 255) }] },
      ]),
    ).toContain("  - name: s\n    hash: !!binary |\n      AAEC/w==\n");
  });

  it("writes an empty record timespan as a begin after its end, which reads back as empty", () => {
    const text = format([
      {
        type: "dimension",
        element: "day_obs",
        records: [{ instrument: "Cam", id: 20200101, timespan: Timespan.empty() }],
      },
    ]);
    expect(text).toContain(
      "datetime_begin: !butler_time/tai/iso '2100-01-01 00:00:00.000000000'\n    datetime_end: !butler_time/tai/iso '1970-01-01 00:00:00.000000000'\n",
    );
    const [item] = parseExportDocument(text, "empty.yaml").items;
    expect(item).toEqual({
      type: "dimension",
      element: "day_obs",
      records: [{ instrument: "Cam", id: 20200101, timespan: Timespan.empty() }],
    });
  });

  it("writes whole floats as integers without a universe", () => {
    const document: ExportDocument = {
      version: "1.0.2",
      universeVersion: 8,
      universeNamespace: "daf_butler",
      items: [
        {
          type: "dimension",
          element: "visit",
          records: [{ exposure_time: 30, azimuth: 30.5, seq_num: 2 ** 60 }],
        },
      ],
    };
    expect(formatExportDocument(document)).toContain(
      "  - exposure_time: 30\n    azimuth: 30.5\n    seq_num: 1.152921504606847e+18\n",
    );
  });

  it("refuses region bytes that are no sphgeom encoding", () => {
    const run = () =>
      format([
        {
          type: "dimension",
          element: "tract",
          records: [{ skymap: "s", id: 0, region: Uint8Array.of(0x71) }],
        },
      ]);
    expect(run).toThrow(ExportFormatError);
    expect(run).toThrow(
      "Cannot write data[0].records[0].region: the bytes are not a sphgeom region encoding",
    );
  });
});
