import { describe, expect, it } from "vitest";
import { ExportFormatError } from "../errors.ts";
import { Timespan } from "../time/timespan.ts";
import type { ExportDocument, ExportedCollection, ExportItem } from "./export-document.ts";
import { parseExportDocument } from "./read-export.ts";

function ofType<T extends ExportItem["type"]>(
  document: ExportDocument,
  type: T,
): (ExportItem & { type: T })[] {
  return document.items.filter((item): item is ExportItem & { type: T } => item.type === type);
}

/** TAI nanoseconds of a TAI calendar time (TAI has no leap seconds, so calendar arithmetic is exact). */
function tai(year: number, month: number, day: number, h = 0, m = 0, s = 0, ms = 0): bigint {
  return BigInt(Date.UTC(year, month - 1, day, h, m, s, ms)) * 1_000_000n;
}

/** A one-item export file in the current format. */
function exportText(data: string, header = "version: 1.0.2\nuniverse_version: 7\n"): string {
  const list = data.startsWith("-") ? `\n${data}` : ` ${data}`;
  return `description: Butler Data Repository Export\n${header}universe_namespace: daf_butler\ndata:${list}`;
}

function parseFails(text: string): ExportFormatError {
  try {
    parseExportDocument(text, "bad.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(ExportFormatError);
    expect((error as ExportFormatError).code).toBe("ExportFormatError");
    return error as ExportFormatError;
  }
  throw new Error("expected parseExportDocument() to fail");
}

describe("parseExportDocument() tags and legacy forms", () => {
  it("normalizes !uuid values to lowercase hyphenated form", () => {
    const { items } = parseExportDocument(
      exportText(`- type: associations
  collection: tagged
  collection_type: TAGGED
  dataset_ids:
  - !uuid E15AB039BC8B413587C590902A7C0B22
  - !uuid '{51352db4-a47a-447c-b12d-a50b206b17cd}'
  - !uuid urn:uuid:E06B6F3C-5B3E-46D0-BDDE-4EF972301116
`),
      "t.yaml",
    );
    expect(items[0]).toMatchObject({
      datasetIds: [
        "e15ab039-bc8b-4135-87c5-90902a7c0b22",
        "51352db4-a47a-447c-b12d-a50b206b17cd",
        "e06b6f3c-5b3e-46d0-bdde-4ef972301116",
      ],
    });
  });

  it("gives integer dataset IDs the UUIDs daf_butler gives them", () => {
    const document = parseExportDocument(
      exportText(`- type: dataset
  dataset_type: bias
  run: old
  records:
  - dataset_id: 1
    data_id: {instrument: Cam1, detector: 1}
    path: a.fits
  - dataset_id: [42]
    data_id: [{instrument: Cam1, detector: 2}]
    path: b.fits
`),
      "t.yaml",
    );
    // Python: uuid.uuid3(uuid.UUID("4d4851f4-2890-4d41-8779-5f38a3f5062b"), "1") and "42".
    expect(ofType(document, "dataset")[0]?.files.map((file) => file.datasetIds)).toEqual([
      ["ea5885c8-83d3-3690-a393-564db6597adf"],
      ["45ee6266-703a-302c-831c-39c1f9d70786"],
    ]);
  });

  it("reads times as TAI (!butler_time) or UTC (plain timestamps, with offsets, microseconds as PyYAML keeps them)", () => {
    const { items } = parseExportDocument(
      exportText(`- type: dimension
  element: visit
  records:
  - id: 1
    datetime_begin: !butler_time/tai/iso '2021-09-09 03:00:00.123456789'
    datetime_end: null
  - id: 2
    datetime_begin: 2014-11-18 12:56:47.1234567
    datetime_end: 2014-11-18T13:56:47.5+01:00
  - id: 3
    datetime_begin: null
    datetime_end: null
`),
      "t.yaml",
    );
    const records = (items[0] as ExportItem & { type: "dimension" }).records;
    expect(records[0]?.timespan).toEqual(Timespan.between(tai(2021, 9, 9, 3) + 123_456_789n, null));
    expect(records[1]?.timespan).toEqual(
      Timespan.between(tai(2014, 11, 18, 12, 57, 22, 123) + 456_000n, tai(2014, 11, 18, 12, 57, 22, 500)),
    );
    expect(records[2]?.timespan).toEqual(Timespan.unbounded());
  });

  it("reads validity ranges as timespans, including EMPTY and legacy begin/end keys", () => {
    const { items } = parseExportDocument(
      exportText(`- type: associations
  collection: calib
  collection_type: CALIBRATION
  validity_ranges:
  - timespan: !lsst.daf.butler.Timespan
      begin: !butler_time/tai/iso '2020-01-01 00:00:00.000000000'
      end: null
    dataset_ids: [!uuid e15ab039-bc8b-4135-87c5-90902a7c0b22]
  - timespan: !lsst.daf.butler.Timespan 'EMPTY'
    dataset_ids: []
  - begin: null
    end: !butler_time/tai/iso '2021-01-01 00:00:00.000000000'
    dataset_ids: []
`),
      "t.yaml",
    );
    expect(items[0]).toEqual({
      type: "associations",
      collection: "calib",
      collectionType: "CALIBRATION",
      datasetIds: [],
      validityRanges: [
        {
          timespan: Timespan.between(tai(2020, 1, 1), null),
          datasetIds: ["e15ab039-bc8b-4135-87c5-90902a7c0b22"],
        },
        { timespan: Timespan.empty(), datasetIds: [] },
        { timespan: Timespan.between(null, tai(2021, 1, 1)), datasetIds: [] },
      ],
    });
  });

  it("reads collections: RUN details, CHAINED children (legacy pairs keep the name), docs", () => {
    const { items } = parseExportDocument(
      exportText(`- type: collection
  collection_type: RUN
  name: run1
  doc: A run.
  host: somewhere
  timespan_begin: !butler_time/tai/iso '2020-01-01 00:00:00.000000000'
  timespan_end: null
- type: collection
  collection_type: chained
  name: chain
  children:
  - run1
  - [calib, [bias, flat]]
- type: collection
  collection_type: TAGGED
  name: tagged
`),
      "t.yaml",
    );
    expect(items).toEqual<ExportedCollection[]>([
      {
        type: "collection",
        name: "run1",
        collectionType: "RUN",
        doc: "A run.",
        host: "somewhere",
        timespan: Timespan.between(tai(2020, 1, 1), null),
        children: [],
      },
      {
        type: "collection",
        name: "chain",
        collectionType: "CHAINED",
        doc: null,
        host: null,
        timespan: null,
        children: ["run1", "calib"],
      },
      {
        type: "collection",
        name: "tagged",
        collectionType: "TAGGED",
        doc: null,
        host: null,
        timespan: null,
        children: [],
      },
    ]);
  });

  it("reads any sphgeom region tag, and !!binary bytes", () => {
    const { items } = parseExportDocument(
      exportText(`- type: dimension
  element: tract
  records:
  - id: 0
    region: !<lsst.sphgeom.Circle>
      encoded: '63000102'
    hash: !!binary |
      AAEC/w==
`),
      "t.yaml",
    );
    const [record] = (items[0] as ExportItem & { type: "dimension" }).records;
    expect(record).toEqual({
      id: 0,
      region: Uint8Array.of(0x63, 0, 1, 2),
      hash: Uint8Array.of(0, 1, 2, 255),
    });
  });

  it("resolves unquoted scalars as PyYAML does (YAML 1.1)", () => {
    const { items } = parseExportDocument(
      exportText(`- type: dimension
  element: detector
  records:
  - a: yes
    b: 0o17
    c: 017
    d: 1_000
    e: 1e5
    f: 1.0e+5
    g: 1:30
    h: ~
    i: .inf
    j: 0x1F
    k: 'yes'
`),
      "t.yaml",
    );
    expect((items[0] as ExportItem & { type: "dimension" }).records[0]).toEqual({
      a: true,
      b: "0o17",
      c: 15,
      d: 1000,
      e: "1e5",
      f: 100000,
      g: 90,
      h: null,
      i: Number.POSITIVE_INFINITY,
      j: 31,
      k: "yes",
    });
  });
});

describe("parseExportDocument() errors", () => {
  it("reports malformed YAML with its line and column", () => {
    const error = parseFails(exportText("- type: dimension\n  element: [visit\n"));
    expect(error.message).toMatch(/^Cannot parse bad\.yaml at line \d+, column \d+: /);
  });

  it("reports duplicate keys", () => {
    const error = parseFails(exportText("- type: run\n  name: a\n  name: b\n"));
    expect(error.message).toMatch(/^Cannot parse bad\.yaml at line 8, column 3: Map keys must be unique$/);
  });

  it("rejects unknown item types, naming the item and listing the types", () => {
    const error = parseFails(exportText("- type: run\n  name: a\n- type: runn\n  name: b\n"));
    expect(error.message).toBe('Cannot read export file bad.yaml: data[1].type: unknown item type "runn"');
    expect(error.hint).toBe("Item types: dimension, collection, run, dataset_type, dataset, associations.");
  });

  it.each([
    ["version: 2.0.0\n", '"2.0.0"'],
    ["version: 1.1.0\n", '"1.1.0"'],
    ["version: 1.0\n", "1"],
    ["version: 1\n", "1"],
  ])("rejects export format %s", (header, shown) => {
    const error = parseFails(exportText("[]\n", header));
    expect(error.message).toBe(
      `Cannot read export file bad.yaml: version: unsupported export format version ${shown}`,
    );
    expect(error.hint).toBe("butler-ts reads format versions 1.0.0 to 1.0.x (and the legacy 0).");
  });

  it("names missing and unknown keys", () => {
    expect(parseFails(exportText("[]\n", "")).message).toBe(
      'Cannot read export file bad.yaml: top level: missing key "version" in the export header',
    );
    expect(parseFails(exportText("- type: dimension\n  element: visit\n")).message).toBe(
      'Cannot read export file bad.yaml: data[0]: missing key "records" in a dimension item',
    );
    const extra = parseFails(exportText("- type: dimension\n  element: visit\n  records: []\n  elemnt: x\n"));
    expect(extra.message).toBe(
      'Cannot read export file bad.yaml: data[0]: unknown key "elemnt" in a dimension item',
    );
    expect(extra.hint).toBe('Did you mean "element"?');
    expect(parseFails(exportText("- type: run\n")).message).toBe(
      'Cannot read export file bad.yaml: data[0]: missing key "name" in a run item',
    );
  });

  it("names the path and the value of a bad value", () => {
    const record = (fields: string) =>
      exportText(`- type: dimension\n  element: visit\n  records:\n  - id: 1\n${fields}`);
    expect(
      parseFails(record("    datetime_begin: null\n    datetime_end: !butler_time/tai/iso 'soon'\n")).message,
    ).toBe(
      'Cannot read export file bad.yaml: data[0].records[0].datetime_end: Cannot parse time "soon": "soon" is not an ISO-8601 time (YYYY-MM-DD[THH:MM[:SS[.fff]]])',
    );
    expect(parseFails(record("    datetime_begin: null\n")).message).toBe(
      'Cannot read export file bad.yaml: data[0].records[0]: a record with "datetime_begin" or "datetime_end" needs both, and no "timespan"',
    );
    expect(parseFails(record("    name: [a, b]\n")).message).toBe(
      "Cannot read export file bad.yaml: data[0].records[0].name: expected a number, string, boolean, null, bytes, region or timespan, got a list of 2",
    );
    expect(
      parseFails(record("    region: !<lsst.sphgeom.ConvexPolygon>\n      encoded: 7g00\n")).message,
    ).toBe(
      'Cannot read export file bad.yaml: data[0].records[0].region.encoded: expected hex digits, got "7g00"',
    );
    expect(
      parseFails(record("    region: !<lsst.sphgeom.ConvexPolygon>\n      encoded: '7100'\n")).message,
    ).toBe(
      'Cannot read export file bad.yaml: data[0].records[0].region.encoded: expected a sphgeom region encoding, got "7100"',
    );
    expect(parseFails(record("    seq_num: 123456789012345678901\n")).message).toBe(
      'Cannot read export file bad.yaml: data[0].records[0].seq_num: expected a number, string, boolean, null, bytes, region or timespan, got !!int "123456789012345678901"',
    );
  });

  it("names bad dataset records", () => {
    const dataset = (record: string) =>
      exportText(`- type: dataset\n  dataset_type: bias\n  run: r\n  records:\n  - path: a.fits\n${record}`);
    expect(parseFails(dataset("    dataset_id: [1, 2]\n    data_id: [{detector: 1}]\n")).message).toBe(
      "Cannot read export file bad.yaml: data[0].records[0]: 2 dataset IDs but 1 data IDs; they must pair up",
    );
    expect(
      parseFails(dataset("    dataset_id: !uuid not-a-uuid\n    data_id: {detector: 1}\n")).message,
    ).toBe(
      'Cannot read export file bad.yaml: data[0].records[0].dataset_id[0]: expected a dataset ID (a !uuid or an integer), got !uuid "not-a-uuid"',
    );
    expect(parseFails(dataset("    dataset_id: 1\n    data_id: {detector: null}\n")).message).toBe(
      "Cannot read export file bad.yaml: data[0].records[0].data_id[0].detector: expected a data ID value, got null",
    );
  });

  it("rejects a file that is not an export document", () => {
    expect(parseFails("").message).toBe(
      "Cannot read export file bad.yaml: top level: expected a mapping, got null",
    );
    expect(parseFails(exportText("{}\n")).message).toBe(
      "Cannot read export file bad.yaml: data: expected a list, got a mapping",
    );
    expect(parseFails(exportText("[]\n", "version: 1.0.2\nuniverse_version: -1\n")).message).toBe(
      "Cannot read export file bad.yaml: universe_version: expected a universe version number, got -1",
    );
  });
});
