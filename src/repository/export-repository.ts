import type { DatasetRef } from "../datasets/dataset-ref.ts";
import type { DataIdValue } from "../dimensions/data-coordinate.ts";
import type { DimensionRecord, RecordValue } from "../dimensions/dimension-record.ts";
import type { Registry } from "../registry/registry.ts";
import type { Timespan } from "../time/timespan.ts";
import type {
  ExportDocument,
  ExportedAssociations,
  ExportedCollection,
  ExportedDatasets,
  ExportedDimensionRecords,
  ExportItem,
} from "../transfers/export-document.ts";
import { EXPORT_FORMAT_VERSION } from "../transfers/format-version.ts";
import { groupBy } from "../util/group-by.ts";

/** Options of {@link exportRegistry}. */
export interface ExportOptions {
  /** Collections (names or globs) whose datasets and definitions are exported; all when absent. */
  readonly collections?: readonly string[];
  /** Dataset types (names or globs) to export; all when absent. */
  readonly datasetTypes?: readonly string[];
  /**
   * Which dimension records to include: those the exported data IDs need (with the records that travel
   * with them, such as a visit's visit_detector_region rows), or every record of the repository.
   */
  readonly dimensionRecords?: "reachable" | "all";
  /** The file path to record for a dataset (registry-only exports have none). */
  readonly pathOf?: (ref: DatasetRef) => string;
}

/**
 * The contents of a registry (or a selection of it) as an export document that daf_butler's importer
 * (and {@link importDocument}) reads: records, collections, dataset types, datasets and associations.
 */
export async function exportRegistry(
  registry: Registry,
  options: ExportOptions = {},
): Promise<ExportDocument> {
  const collections = await registry.collections.query(options.collections ?? []);
  const infos = new Map(
    (await Promise.all(collections.map((c) => registry.collections.getInfo(c)))).map((i) => [i.name, i]),
  );
  const types = await registry.datasetTypes.query(options.datasetTypes ?? []);
  const refs = new Map<string, DatasetRef>();
  const certifications: { collection: string; ref: DatasetRef; validity: Timespan }[] = [];
  for (const type of types) {
    for (const ref of await registry.datasets.query(type.name, { collections })) refs.set(ref.id, ref);
  }
  const typeNames = new Set(types.map((t) => t.name));
  for (const info of infos.values()) {
    if (info.type !== "CALIBRATION") continue;
    for (const entry of await registry.calibrations.list(info.name)) {
      if (!typeNames.has(entry.ref.datasetType.name)) continue;
      refs.set(entry.ref.id, entry.ref);
      certifications.push({ collection: info.name, ...entry });
    }
  }
  // Every collection the exported collections need: the runs of their datasets and the children of chains.
  const pending = [...infos.values()].flatMap((i) => i.children);
  for (const ref of refs.values()) pending.push(ref.run);
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (infos.has(name)) continue;
    const info = await registry.collections.getInfo(name);
    infos.set(name, info);
    pending.push(...info.children);
  }
  const items: ExportItem[] = [
    ...(await recordItems(registry, [...refs.values()], options.dimensionRecords ?? "reachable")),
    ...collectionItems([...infos.values()]),
  ];
  for (const type of types) {
    const ofType = [...refs.values()].filter((r) => r.datasetType.name === type.name);
    if (ofType.length === 0 && options.datasetTypes === undefined) continue;
    items.push({
      type: "dataset_type",
      name: type.name,
      dimensions: type.dimensions.names,
      storageClass: type.storageClass,
      isCalibration: type.isCalibration,
    });
    for (const [run, inRun] of [...groupBy(ofType, (r) => r.run)].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const item: ExportedDatasets = {
        type: "dataset",
        datasetType: type.name,
        run,
        files: inRun.map((ref) => ({
          datasetIds: [ref.id],
          dataIds: [ref.dataId.required as Readonly<Record<string, DataIdValue>>],
          path: options.pathOf?.(ref) ?? "",
          formatter: null,
        })),
      };
      items.push(item);
    }
  }
  items.push(
    ...(await associationItems(
      registry,
      [...infos.values()].filter((i) => i.type === "TAGGED").map((i) => i.name),
      types.map((t) => t.name),
    )),
  );
  items.push(...calibrationItems(certifications));
  return {
    version: EXPORT_FORMAT_VERSION,
    universeVersion: registry.universe.version,
    universeNamespace: registry.universe.namespace,
    items,
  };
}

async function recordItems(
  registry: Registry,
  refs: readonly DatasetRef[],
  mode: "reachable" | "all",
): Promise<ExportedDimensionRecords[]> {
  const universe = registry.universe;
  const byElement = new Map<string, Map<string, DimensionRecord>>();
  const keep = (record: DimensionRecord) => {
    const element = record.element;
    let records = byElement.get(element.name);
    if (records === undefined) {
      records = new Map();
      byElement.set(element.name, records);
    }
    records.set(element.required.map((d) => String(record.valueOf(d.name))).join("\u0000"), record);
  };
  if (mode === "all") {
    for (const element of universe.elements.filter((e) => e.hasOwnTable))
      for (const record of await registry.dimensions.fetchAll(element.name)) keep(record);
  } else {
    const seen = new Set<string>();
    for (const ref of refs) {
      if (seen.has(ref.dataId.key)) continue;
      seen.add(ref.dataId.key);
      const expanded = await registry.dimensions.expandDataId(ref.dataId);
      for (const name of expanded.dimensions.elements) {
        const record = expanded.record(name);
        if (record?.element.hasOwnTable) keep(record);
      }
    }
    // Records that travel with a dimension (visit_definition, visit_detector_region, ... of a visit).
    for (const element of universe.elements.filter((e) => e.populatedBy !== null && e.hasOwnTable)) {
      const by = element.populatedBy?.name as string;
      const exported = byElement.get(by);
      if (exported === undefined) continue;
      for (const record of await registry.dimensions.fetchAll(element.name)) {
        const owner = [...exported.values()].some((r) =>
          r.element.required.every((d) => r.valueOf(d.name) === record.valueOf(d.name)),
        );
        if (owner) keep(record);
      }
    }
  }
  return [...byElement.entries()]
    .sort(([a], [b]) => universe.getElementIndex(a) - universe.getElementIndex(b))
    .map(([element, records]) => ({
      type: "dimension" as const,
      element,
      records: [...records.values()].map((r) => r.toObject() as Readonly<Record<string, RecordValue>>),
    }));
}

function collectionItems(
  infos: readonly {
    name: string;
    type: ExportedCollection["collectionType"];
    doc: string | null;
    children: readonly string[];
  }[],
): ExportedCollection[] {
  const item = (info: (typeof infos)[number]): ExportedCollection => ({
    type: "collection",
    name: info.name,
    collectionType: info.type,
    doc: info.doc,
    host: null,
    timespan: null,
    children: info.children,
  });
  const plain = infos.filter((i) => i.type !== "CHAINED").sort((a, b) => (a.name < b.name ? -1 : 1));
  const chains = infos.filter((i) => i.type === "CHAINED").sort((a, b) => (a.name < b.name ? -1 : 1));
  const ordered: typeof chains = [];
  const placed = new Set<string>();
  while (ordered.length < chains.length) {
    for (const chain of chains) {
      if (placed.has(chain.name)) continue;
      if (chain.children.every((c) => !chains.some((other) => other.name === c) || placed.has(c))) {
        ordered.push(chain);
        placed.add(chain.name);
      }
    }
  }
  return [...plain.map(item), ...ordered.map(item)];
}

async function associationItems(
  registry: Registry,
  tags: readonly string[],
  types: readonly string[],
): Promise<ExportedAssociations[]> {
  const items: ExportedAssociations[] = [];
  for (const tag of [...tags].sort()) {
    const ids: string[] = [];
    for (const type of types)
      for (const ref of await registry.datasets.query(type, { collections: [tag] })) ids.push(ref.id);
    items.push({
      type: "associations",
      collection: tag,
      collectionType: "TAGGED",
      datasetIds: ids.sort(),
      validityRanges: [],
    });
  }
  return items;
}

function calibrationItems(
  certifications: readonly { collection: string; ref: DatasetRef; validity: Timespan }[],
): ExportedAssociations[] {
  return [...groupBy(certifications, (c) => c.collection)]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([collection, entries]) => ({
      type: "associations" as const,
      collection,
      collectionType: "CALIBRATION" as const,
      datasetIds: [],
      validityRanges: [...groupBy(entries, (e) => `${e.validity.beginNs}:${e.validity.endNs}`).values()]
        .map((group) => ({
          timespan: (group[0] as (typeof group)[0]).validity,
          datasetIds: group.map((g) => g.ref.id).sort(),
        }))
        .sort((a, b) =>
          a.timespan.beginNs < b.timespan.beginNs ? -1 : a.timespan.beginNs > b.timespan.beginNs ? 1 : 0,
        ),
    }));
}
