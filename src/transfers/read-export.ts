import type { DataIdValue } from "../dimensions/data-coordinate.ts";
import type { RecordValue } from "../dimensions/dimension-record.ts";
import type {
  CollectionTypeName,
  ExportDocument,
  ExportedAssociations,
  ExportedCollection,
  ExportedDatasets,
  ExportedDatasetType,
  ExportedDimensionRecords,
  ExportedFile,
  ExportItem,
} from "./export-document.ts";
import { readFormatVersion } from "./format-version.ts";
import { loadYaml } from "./load-yaml.ts";
import { show, ValueReader } from "./value-reader.ts";
import type { YamlMap, YamlValue } from "./yaml-value.ts";

const ITEM_TYPES = ["dimension", "collection", "run", "dataset_type", "dataset", "associations"];
const COLLECTION_TYPES: readonly CollectionTypeName[] = ["RUN", "TAGGED", "CHAINED", "CALIBRATION"];

/**
 * Read a daf_butler repository export file (`butler export`, format versions 0 and 1.0.x) into an
 * {@link ExportDocument}. Accepts what daf_butler's importer accepts: legacy `type: run` items, chain
 * children given as `[name, restriction]` pairs (the restriction is dropped, as daf_butler does), validity
 * ranges with `begin`/`end` keys, plain YAML timestamps (UTC) for record times, and integer dataset IDs,
 * which become the UUIDs daf_butler gives them: version 3 UUIDs of the decimal ID in daf_butler's namespace
 * `4d4851f4-2890-4d41-8779-5f38a3f5062b`, so both butlers import such a file with the same IDs.
 * Record fields `datetime_begin`/`datetime_end` become one `timespan` field.
 *
 * @example parseExportDocument(await readFile("export.yaml", "utf8"), "export.yaml")
 * @throws {ExportFormatError} for malformed YAML (with line and column), an unsupported version, or an
 *   item that does not follow the format (naming its path, e.g. `data[3].records[0].id`, and the value).
 */
export function parseExportDocument(text: string, source: string): ExportDocument {
  const reader = new ValueReader(source);
  const root = reader.mapping(loadYaml(text, source), "top level");
  reader.keys(
    root,
    "top level",
    "the export header",
    ["version", "data"],
    ["description", "universe_version", "universe_namespace"],
  );
  const version = readFormatVersion(root.get("version") ?? null, reader);
  const items = reader
    .list(root.get("data") ?? null, "data")
    .map((item, i) => readItem(reader, reader.mapping(item, `data[${i}]`), `data[${i}]`));
  return Object.freeze({
    version,
    universeVersion: readUniverseVersion(root.get("universe_version"), reader),
    universeNamespace:
      reader.optionalString(root.get("universe_namespace"), "universe_namespace") ?? "daf_butler",
    items: Object.freeze(items),
  });
}

function readUniverseVersion(value: YamlValue | undefined, reader: ValueReader): number | undefined {
  if (value === undefined || (typeof value === "number" && Number.isSafeInteger(value) && value >= 0))
    return value;
  return reader.fail("universe_version", `expected a universe version number, got ${show(value)}`);
}

function readItem(reader: ValueReader, item: YamlMap, path: string): ExportItem {
  const type = item.get("type");
  switch (type) {
    case "dimension":
      return readDimensionRecords(reader, item, path);
    case "collection":
      return readCollection(reader, item, path);
    case "run":
      reader.keys(item, path, "a run item", ["type", "name"]);
      return collection(reader.string(item.get("name") ?? null, `${path}.name`), "RUN", null);
    case "dataset_type":
      return readDatasetType(reader, item, path);
    case "dataset":
      return readDatasets(reader, item, path);
    case "associations":
      return readAssociations(reader, item, path);
    default:
      return reader.fail(
        type === undefined ? path : `${path}.type`,
        type === undefined ? `missing key "type" in an item` : `unknown item type ${show(type)}`,
        `Item types: ${ITEM_TYPES.join(", ")}.`,
      );
  }
}

function readDimensionRecords(reader: ValueReader, item: YamlMap, path: string): ExportedDimensionRecords {
  reader.keys(item, path, "a dimension item", ["type", "element", "records"]);
  const element = reader.string(item.get("element") ?? null, `${path}.element`);
  const records = reader.list(item.get("records") ?? null, `${path}.records`).map((record, i) => {
    const recordPath = `${path}.records[${i}]`;
    return readRecord(reader, reader.mapping(record, recordPath), recordPath);
  });
  return Object.freeze({ type: "dimension", element, records: Object.freeze(records) });
}

function readRecord(
  reader: ValueReader,
  record: YamlMap,
  path: string,
): Readonly<Record<string, RecordValue>> {
  const entries: [string, RecordValue][] = [];
  let timespanAt = -1;
  for (const [key, value] of record) {
    if (key === "datetime_begin" || key === "datetime_end") {
      if (timespanAt < 0) {
        timespanAt = entries.length;
        entries.push(["timespan", null]);
      }
    } else {
      entries.push([key, reader.recordValue(value, `${path}.${key}`)]);
    }
  }
  if (timespanAt >= 0) {
    if (!record.has("datetime_begin") || !record.has("datetime_end") || record.has("timespan")) {
      reader.fail(path, `a record with "datetime_begin" or "datetime_end" needs both, and no "timespan"`);
    }
    entries[timespanAt] = [
      "timespan",
      reader.timespanBetween(record, path, "datetime_begin", "datetime_end"),
    ];
  }
  return Object.freeze(Object.fromEntries(entries));
}

function readCollection(reader: ValueReader, item: YamlMap, path: string): ExportedCollection {
  const typeValue = item.get("collection_type") ?? null;
  const collectionType = (typeof typeValue === "string" ? typeValue.toUpperCase() : "") as CollectionTypeName;
  if (!COLLECTION_TYPES.includes(collectionType)) {
    reader.fail(
      `${path}.collection_type`,
      `unknown collection type ${show(typeValue)}`,
      `Collection types: ${COLLECTION_TYPES.join(", ")}.`,
    );
  }
  const base = ["type", "collection_type", "name"];
  const extra =
    collectionType === "RUN"
      ? ["host", "timespan_begin", "timespan_end"]
      : collectionType === "CHAINED"
        ? ["children"]
        : [];
  reader.keys(item, path, `a ${collectionType} collection item`, [...base, ...extra], ["doc"]);
  const name = reader.string(item.get("name") ?? null, `${path}.name`);
  const doc = reader.optionalString(item.get("doc"), `${path}.doc`);
  if (collectionType === "RUN") {
    const timespan = reader.timespanBetween(item, path, "timespan_begin", "timespan_end");
    return collection(name, "RUN", doc, {
      host: reader.optionalString(item.get("host"), `${path}.host`),
      timespan: timespan.begin === null && timespan.end === null ? null : timespan,
    });
  }
  if (collectionType === "CHAINED") {
    const children = reader.list(item.get("children") ?? null, `${path}.children`).map((child, i) => {
      // Old files give [name, dataset type restriction] pairs; daf_butler ignores the restriction.
      const name = Array.isArray(child) && child.length === 2 ? (child[0] ?? null) : child;
      return reader.string(name, `${path}.children[${i}]`);
    });
    return collection(name, "CHAINED", doc, { children: Object.freeze(children) });
  }
  return collection(name, collectionType, doc);
}

function collection(
  name: string,
  collectionType: CollectionTypeName,
  doc: string | null,
  extra: Partial<Pick<ExportedCollection, "host" | "timespan" | "children">> = {},
): ExportedCollection {
  return Object.freeze({
    type: "collection",
    name,
    collectionType,
    doc,
    host: extra.host ?? null,
    timespan: extra.timespan ?? null,
    children: extra.children ?? Object.freeze([]),
  });
}

function readDatasetType(reader: ValueReader, item: YamlMap, path: string): ExportedDatasetType {
  reader.keys(
    item,
    path,
    "a dataset_type item",
    ["type", "name", "dimensions", "storage_class"],
    ["is_calibration"],
  );
  const isCalibration = item.get("is_calibration") ?? false;
  if (typeof isCalibration !== "boolean") {
    reader.fail(`${path}.is_calibration`, `expected true or false, got ${show(isCalibration)}`);
  }
  return Object.freeze({
    type: "dataset_type",
    name: reader.string(item.get("name") ?? null, `${path}.name`),
    dimensions: Object.freeze(reader.stringList(item.get("dimensions") ?? null, `${path}.dimensions`)),
    storageClass: reader.string(item.get("storage_class") ?? null, `${path}.storage_class`),
    isCalibration,
  });
}

function readDatasets(reader: ValueReader, item: YamlMap, path: string): ExportedDatasets {
  reader.keys(item, path, "a dataset item", ["type", "dataset_type", "run", "records"]);
  const files = reader.list(item.get("records") ?? null, `${path}.records`).map((record, i) => {
    const filePath = `${path}.records[${i}]`;
    return readFile(reader, reader.mapping(record, filePath), filePath);
  });
  return Object.freeze({
    type: "dataset",
    datasetType: reader.string(item.get("dataset_type") ?? null, `${path}.dataset_type`),
    run: reader.string(item.get("run") ?? null, `${path}.run`),
    files: Object.freeze(files),
  });
}

function readFile(reader: ValueReader, record: YamlMap, path: string): ExportedFile {
  reader.keys(record, path, "a dataset record", ["dataset_id", "data_id", "path"], ["formatter"]);
  const ids = asList(record.get("dataset_id") ?? null);
  const dataIds = asList(record.get("data_id") ?? null);
  if (ids.length !== dataIds.length) {
    reader.fail(path, `${ids.length} dataset IDs but ${dataIds.length} data IDs; they must pair up`);
  }
  return Object.freeze({
    datasetIds: Object.freeze(ids.map((id, i) => reader.datasetId(id, `${path}.dataset_id[${i}]`))),
    dataIds: Object.freeze(dataIds.map((dataId, i) => readDataId(reader, dataId, `${path}.data_id[${i}]`))),
    path: reader.string(record.get("path") ?? null, `${path}.path`),
    formatter: reader.optionalString(record.get("formatter"), `${path}.formatter`),
  });
}

function asList(value: YamlValue): YamlValue[] {
  return Array.isArray(value) ? value : [value];
}

function readDataId(
  reader: ValueReader,
  value: YamlValue,
  path: string,
): Readonly<Record<string, DataIdValue>> {
  const entries = [...reader.mapping(value, path)].map(([key, v]): [string, DataIdValue] =>
    typeof v === "string" || typeof v === "number"
      ? [key, v]
      : reader.fail(`${path}.${key}`, `expected a data ID value, got ${show(v)}`),
  );
  return Object.freeze(Object.fromEntries(entries));
}

function readAssociations(reader: ValueReader, item: YamlMap, path: string): ExportedAssociations {
  const typeValue = item.get("collection_type") ?? null;
  const collectionType = typeof typeValue === "string" ? typeValue.toUpperCase() : typeValue;
  if (collectionType !== "TAGGED" && collectionType !== "CALIBRATION") {
    return reader.fail(`${path}.collection_type`, `expected TAGGED or CALIBRATION, got ${show(typeValue)}`);
  }
  const key = collectionType === "TAGGED" ? "dataset_ids" : "validity_ranges";
  reader.keys(item, path, `a ${collectionType} associations item`, [
    "type",
    "collection",
    "collection_type",
    key,
  ]);
  const ids = (value: YamlValue | undefined, at: string) =>
    Object.freeze(reader.list(value ?? null, at).map((id, i) => reader.datasetId(id, `${at}[${i}]`)));
  const ranges =
    collectionType === "TAGGED"
      ? []
      : reader.list(item.get(key) ?? null, `${path}.${key}`).map((value, i) => {
          const at = `${path}.${key}[${i}]`;
          const range = reader.mapping(value, at);
          // Old files give the validity range as `begin` and `end` keys instead of a timespan.
          const legacy = !range.has("timespan");
          reader.keys(
            range,
            at,
            "a validity range",
            legacy ? ["begin", "end", "dataset_ids"] : ["timespan", "dataset_ids"],
          );
          const timespan = legacy
            ? reader.timespanBetween(range, at, "begin", "end")
            : reader.timespan(range.get("timespan") ?? null, `${at}.timespan`);
          return Object.freeze({ timespan, datasetIds: ids(range.get("dataset_ids"), `${at}.dataset_ids`) });
        });
  return Object.freeze({
    type: "associations",
    collection: reader.string(item.get("collection") ?? null, `${path}.collection`),
    collectionType,
    datasetIds: collectionType === "TAGGED" ? ids(item.get(key), `${path}.${key}`) : Object.freeze([]),
    validityRanges: Object.freeze(ranges),
  });
}
