import type { DataIdValue } from "../dimensions/data-coordinate.ts";
import type { RecordValue } from "../dimensions/dimension-record.ts";
import type { DimensionUniverse } from "../dimensions/universe.ts";
import { ExportFormatError } from "../errors.ts";
import { formatTime } from "../time/format-time.ts";
import { Timespan } from "../time/timespan.ts";
import { emitYaml, type YamlNode as OutNode } from "../util/pyyaml/emit-yaml.ts";
import { bytesToBase64Lines, bytesToHex } from "./byte-text.ts";
import type { ExportDocument, ExportedCollection, ExportItem } from "./export-document.ts";
import { EXPORT_FORMAT_VERSION } from "./format-version.ts";
import { regionTag } from "./region-tag.ts";
import { TIME_TAG, TIMESPAN_TAG } from "./value-reader.ts";
import { BINARY_TAG } from "./yaml-value.ts";

/** Options of {@link formatExportDocument}. */
export interface FormatExportOptions {
  /**
   * The universe the document's records belong to. With it, values of float-typed record fields are
   * written as floats even when whole (`exposure_time: 30.0`), exactly as daf_butler writes them; without
   * it they are written as integers (`30`), which read back as the same number.
   */
  readonly universe?: DimensionUniverse;
}

/**
 * Write an export document as daf_butler's exporter writes export files (format version 1.0.2, PyYAML's
 * layout and quoting): UUIDs as `!uuid`, regions as `!<lsst.sphgeom.ConvexPolygon>` (or the class their
 * encoding names) with hex `encoded`, bytes as `!!binary`, record timespans split into `datetime_begin`
 * and `datetime_end` (`!butler_time/tai/iso`; a null timespan is left out, as daf_butler does), and
 * validity ranges as `!lsst.daf.butler.Timespan`. Items and record fields are written in document order.
 *
 * @example await writeFile("export.yaml", formatExportDocument(document));
 * @throws {ExportFormatError} when a `region` field holds bytes that are not a sphgeom region encoding.
 */
export function formatExportDocument(document: ExportDocument, options: FormatExportOptions = {}): string {
  const header: [string, OutNode][] = [
    ["description", str("Butler Data Repository Export")],
    ["version", str(EXPORT_FORMAT_VERSION)],
  ];
  if (document.universeVersion !== undefined)
    header.push(["universe_version", int(document.universeVersion)]);
  header.push(["universe_namespace", str(document.universeNamespace)]);
  const items = document.items.map((item, i) => itemNode(item, `data[${i}]`, options.universe));
  return emitYaml(map([...header, ["data", seq(items)]]));
}

function itemNode(item: ExportItem, path: string, universe: DimensionUniverse | undefined): OutNode {
  switch (item.type) {
    case "dimension": {
      const element = universe?.has(item.element) ? universe.element(item.element) : undefined;
      const floats = new Set(element?.metadata.filter((c) => c.type === "float").map((c) => c.name));
      const records = item.records.map((record, i) => recordNode(record, floats, `${path}.records[${i}]`));
      return map([
        ["type", str("dimension")],
        ["element", str(item.element)],
        ["records", seq(records)],
      ]);
    }
    case "collection":
      return collectionNode(item);
    case "dataset_type":
      return map([
        ["type", str("dataset_type")],
        ["name", str(item.name)],
        ["dimensions", seq(item.dimensions.map(str))],
        ["storage_class", str(item.storageClass)],
        ["is_calibration", bool(item.isCalibration)],
      ]);
    case "dataset": {
      const files = item.files.map((file) => {
        const entries: [string, OutNode][] = [
          ["dataset_id", seq(file.datasetIds.map(uuid))],
          ["data_id", seq(file.dataIds.map(dataIdNode))],
          ["path", str(file.path)],
        ];
        if (file.formatter !== null) entries.push(["formatter", str(file.formatter)]);
        return map(entries);
      });
      return map([
        ["type", str("dataset")],
        ["dataset_type", str(item.datasetType)],
        ["run", str(item.run)],
        ["records", seq(files)],
      ]);
    }
    case "associations": {
      const entries: [string, OutNode][] = [
        ["type", str("associations")],
        ["collection", str(item.collection)],
        ["collection_type", str(item.collectionType)],
      ];
      if (item.collectionType === "TAGGED") {
        entries.push(["dataset_ids", seq(item.datasetIds.map(uuid))]);
      } else {
        const ranges = item.validityRanges.map((range) =>
          map([
            ["timespan", timespanNode(range.timespan)],
            ["dataset_ids", seq(range.datasetIds.map(uuid))],
          ]),
        );
        entries.push(["validity_ranges", seq(ranges)]);
      }
      return map(entries);
    }
  }
}

function collectionNode(item: ExportedCollection): OutNode {
  const entries: [string, OutNode][] = [
    ["type", str("collection")],
    ["collection_type", str(item.collectionType)],
    ["name", str(item.name)],
  ];
  if (item.doc !== null) entries.push(["doc", str(item.doc)]);
  if (item.collectionType === "RUN") {
    const [begin, end] = item.timespan === null ? [null, null] : bounds(item.timespan);
    entries.push(
      ["host", item.host === null ? NULL : str(item.host)],
      ["timespan_begin", time(begin)],
      ["timespan_end", time(end)],
    );
  } else if (item.collectionType === "CHAINED") {
    entries.push(["children", seq(item.children.map(str))]);
  }
  return map(entries);
}

function recordNode(
  record: Readonly<Record<string, RecordValue>>,
  floats: ReadonlySet<string>,
  path: string,
): OutNode {
  const entries: [string, OutNode][] = [];
  for (const [field, value] of Object.entries(record)) {
    if (field === "timespan" && (value instanceof Timespan || value === null)) {
      if (value === null) continue;
      const [begin, end] = bounds(value);
      entries.push(["datetime_begin", time(begin)], ["datetime_end", time(end)]);
    } else if (field === "region" && value instanceof Uint8Array) {
      const tag = regionTag(value);
      if (tag === undefined) {
        throw new ExportFormatError(
          `Cannot write ${path}.region: the bytes are not a sphgeom region encoding`,
        );
      }
      entries.push([field, { kind: "map", tag, entries: [["encoded", str(bytesToHex(value))]] }]);
    } else {
      entries.push([field, valueNode(value, floats.has(field))]);
    }
  }
  return map(entries);
}

function valueNode(value: RecordValue, float: boolean): OutNode {
  if (value === null) return NULL;
  if (typeof value === "string") return str(value);
  if (typeof value === "boolean") return bool(value);
  if (typeof value === "number") return float || !Number.isSafeInteger(value) ? floatNode(value) : int(value);
  if (value instanceof Uint8Array)
    return { kind: "scalar", text: bytesToBase64Lines(value), tag: BINARY_TAG, literal: true };
  return timespanNode(value);
}

function dataIdNode(dataId: Readonly<Record<string, DataIdValue>>): OutNode {
  return map(Object.entries(dataId).map(([key, value]) => [key, valueNode(value, false)]));
}

function timespanNode(timespan: Timespan): OutNode {
  if (timespan.isEmpty()) return { kind: "scalar", text: "EMPTY", tag: TIMESPAN_TAG };
  const [begin, end] = bounds(timespan);
  return {
    kind: "map",
    tag: TIMESPAN_TAG,
    entries: [
      ["begin", time(begin)],
      ["end", time(end)],
    ],
  };
}

/** Begin and end in TAI ns (null when unbounded); the empty timespan gives its stored begin > end. */
function bounds(timespan: Timespan): [bigint | null, bigint | null] {
  if (timespan.isEmpty()) return [timespan.beginNs, timespan.endNs];
  return [timespan.begin as bigint | null, timespan.end as bigint | null];
}

function time(ns: bigint | null): OutNode {
  return ns === null
    ? NULL
    : { kind: "scalar", text: formatTime(ns, { format: "iso", precision: 9 }), tag: TIME_TAG };
}

function uuid(id: string): OutNode {
  return { kind: "scalar", text: id, tag: "!uuid" };
}

const NULL: OutNode = { kind: "scalar", text: "null", implicit: true };

function str(text: string): OutNode {
  return { kind: "scalar", text };
}

function int(value: number): OutNode {
  return { kind: "scalar", text: String(value), implicit: true };
}

function bool(value: boolean): OutNode {
  return { kind: "scalar", text: value ? "true" : "false", implicit: true };
}

/** A float as PyYAML writes it: Python's `repr`, lower case, `.0` before a bare exponent, `.inf`, `.nan`. */
function floatNode(value: number): OutNode {
  let text: string;
  if (Number.isNaN(value)) text = ".nan";
  else if (!Number.isFinite(value)) text = value > 0 ? ".inf" : "-.inf";
  else if (Object.is(value, -0)) text = "-0.0";
  else {
    // toExponential() gives the shortest digits that read back as the same number, as Python's repr does.
    const [mantissa = "", exponentText = "0"] = value.toExponential().split("e");
    const exponent = Number(exponentText);
    const sign = value < 0 ? "-" : "";
    const digits = mantissa.replace("-", "").replace(".", "");
    if (exponent < -4 || exponent >= 16) {
      const fraction = digits.length > 1 ? `.${digits.slice(1)}` : ".0";
      text = `${sign}${digits[0]}${fraction}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
    } else if (exponent >= 0) {
      const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
      text = `${sign}${whole}.${digits.slice(exponent + 1) || "0"}`;
    } else {
      text = `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
    }
  }
  return { kind: "scalar", text, implicit: true };
}

function map(entries: readonly (readonly [string, OutNode])[]): OutNode {
  return { kind: "map", entries };
}

function seq(items: readonly OutNode[]): OutNode {
  return { kind: "seq", items };
}
