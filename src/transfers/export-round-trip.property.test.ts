import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../test/support/property.ts";
import { describeWithFixtures, fixturePath } from "../../test/support/shared-fixtures.ts";
import { defaultUniverse } from "../dimensions/default-universe.ts";
import type { RecordValue } from "../dimensions/dimension-record.ts";
import { TAI_MAX_NS } from "../time/tai-range.ts";
import { Timespan } from "../time/timespan.ts";
import type { ExportDocument, ExportedCollection, ExportItem } from "./export-document.ts";
import { EXPORT_FORMAT_VERSION } from "./format-version.ts";
import { migrateExportDocument } from "./migrate-export.ts";
import { parseExportDocument } from "./read-export.ts";
import { formatExportDocument } from "./write-export.ts";

const FIXTURES = [
  "base.yaml",
  "datasets.yaml",
  "spatial.yaml",
  "ci_hsc-subset.yaml",
  "ci_hsc-subset-skymap.yaml",
  "hsc-rc2-subset.yaml",
  "hsc-rc2-subset-v0.yaml",
  "lsstcam-subset.yaml",
];

/** What reading a written document must give back: the same document, in the format version written. */
function roundTrip(document: ExportDocument, universe = defaultUniverse()): ExportDocument {
  return parseExportDocument(formatExportDocument(document, { universe }), "round-trip.yaml");
}

describeWithFixtures("export files round-trip through formatExportDocument()", () => {
  it.each(FIXTURES)("parse(format(parse(%s))) equals parse(...), before and after migration", (name) => {
    const parsed = parseExportDocument(readFileSync(fixturePath("registry_data", name), "utf8"), name);
    expect(roundTrip(parsed)).toEqual({ ...parsed, version: EXPORT_FORMAT_VERSION });
    const { document: migrated } = migrateExportDocument(parsed, defaultUniverse());
    expect(roundTrip(migrated)).toEqual({ ...migrated, version: EXPORT_FORMAT_VERSION });
  });
});

const TRICKY_STRINGS = [
  "",
  " ",
  "yes",
  "null",
  "~",
  "1_000",
  "017",
  "1.0",
  "1e5",
  "2020-01-01",
  "a: b",
  "#x",
  "- x",
  "'q'",
  '"d"',
  "a\nb",
  "é",
  "\t",
  "long ".repeat(30),
];
const text = fc.oneof(
  fc.constantFrom(...TRICKY_STRINGS),
  fc.string(),
  fc.string({ unit: "binary", maxLength: 40 }),
);
const fieldName = fc
  .stringMatching(/^[a-z_][a-z0-9_]{0,12}$/)
  .filter((name) => !["timespan", "region", "datetime_begin", "datetime_end", "__proto__"].includes(name));
const time = fc.bigInt({ min: 1n, max: TAI_MAX_NS - 2n });
const timespan = fc.oneof(
  fc.tuple(fc.option(time), fc.option(time)).map(([begin, end]) => Timespan.between(begin, end)),
  fc.constant(Timespan.empty()),
);
const bytes = fc.uint8Array({ maxLength: 80 });
const region = fc
  .tuple(fc.constantFrom(0x70, 0x63, 0x62, 0x65, 0x75, 0x69), fc.uint8Array({ maxLength: 60 }))
  .map(([code, rest]) => Uint8Array.of(code, ...rest));
const recordValue: fc.Arbitrary<RecordValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.maxSafeInteger(),
  text,
  bytes,
  timespan,
);
const record = fc
  .record({
    fields: fc.dictionary(fieldName, recordValue, { maxKeys: 6 }),
    timespan: fc.option(timespan),
    region: fc.option(region),
  })
  .map(({ fields, timespan, region }) => ({
    ...fields,
    ...(timespan === null ? {} : { timespan }),
    ...(region === null ? {} : { region }),
  }));
const uuid = fc.uuid();
const dataId = fc.dictionary(fieldName, fc.oneof(text, fc.maxSafeInteger()), { maxKeys: 4 });

const collection: fc.Arbitrary<ExportedCollection> = fc
  .record({
    name: text,
    collectionType: fc.constantFrom("RUN", "TAGGED", "CHAINED", "CALIBRATION"),
    doc: fc.option(text),
    host: fc.option(text),
    timespan: fc.option(timespan.filter((t) => t.begin !== null || t.end !== null)),
    children: fc.array(text, { maxLength: 3 }),
  })
  .map(({ collectionType, host, timespan, children, ...rest }) => ({
    type: "collection",
    collectionType,
    ...rest,
    host: collectionType === "RUN" ? host : null,
    timespan: collectionType === "RUN" ? timespan : null,
    children: collectionType === "CHAINED" ? children : [],
  }));

const item: fc.Arbitrary<ExportItem> = fc.oneof(
  fc.record({ type: fc.constant("dimension"), element: text, records: fc.array(record, { maxLength: 3 }) }),
  collection,
  fc.record({
    type: fc.constant("dataset_type"),
    name: text,
    dimensions: fc.array(text, { maxLength: 4 }),
    storageClass: text,
    isCalibration: fc.boolean(),
  }),
  fc.record({
    type: fc.constant("dataset"),
    datasetType: text,
    run: text,
    files: fc.array(
      fc.array(fc.tuple(uuid, dataId), { maxLength: 3 }).chain((pairs) =>
        fc.record({
          datasetIds: fc.constant(pairs.map(([id]) => id)),
          dataIds: fc.constant(pairs.map(([, dataId]) => dataId)),
          path: text,
          formatter: fc.option(text),
        }),
      ),
      { maxLength: 3 },
    ),
  }),
  fc.record({
    type: fc.constant("associations"),
    collection: text,
    collectionType: fc.constant("TAGGED"),
    datasetIds: fc.array(uuid, { maxLength: 3 }),
    validityRanges: fc.constant([]),
  }),
  fc.record({
    type: fc.constant("associations"),
    collection: text,
    collectionType: fc.constant("CALIBRATION"),
    datasetIds: fc.constant([]),
    validityRanges: fc.array(fc.record({ timespan, datasetIds: fc.array(uuid, { maxLength: 2 }) }), {
      maxLength: 3,
    }),
  }),
);

const exportDocument: fc.Arbitrary<ExportDocument> = fc.record({
  version: fc.constant(EXPORT_FORMAT_VERSION),
  universeVersion: fc.option(fc.nat({ max: 20 }), { nil: undefined }),
  universeNamespace: text,
  items: fc.array(item, { maxLength: 5 }),
});

describe("formatExportDocument() and parseExportDocument()", () => {
  it("read back every document they write", () => {
    fc.assert(
      fc.property(exportDocument, (document) => {
        expect(parseExportDocument(formatExportDocument(document), "property.yaml")).toEqual(document);
      }),
      PROPERTY_OPTIONS,
    );
  });
});
