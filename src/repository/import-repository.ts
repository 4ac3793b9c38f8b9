import { readFile } from "node:fs/promises";
import { DatasetRef } from "../datasets/dataset-ref.ts";
import { DatasetType } from "../datasets/dataset-type.ts";
import { standardizeDataId } from "../dimensions/standardize-data-id.ts";
import { ConfigError, MissingDependencyError } from "../errors.ts";
import type { Registry } from "../registry/registry.ts";
import type {
  ExportDocument,
  ExportedAssociations,
  ExportedCollection,
  ExportedDatasets,
  ExportedDatasetType,
  ExportedDimensionRecords,
} from "../transfers/export-document.ts";
import { migrateExportDocument } from "../transfers/migrate-export.ts";
import { parseExportDocument } from "../transfers/read-export.ts";

/** Options of {@link importDocument}. */
export interface ImportOptions {
  /** Elements whose records are not imported. */
  readonly skipDimensions?: readonly string[];
  /** Import only the registry: dataset files are not ingested (their paths may be placeholders). */
  readonly withoutDatastore?: boolean;
  /** Called with progress (items done, items in all) for long imports. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What an import did. */
export interface ImportSummary {
  readonly dimensionRecords: number;
  readonly datasetTypes: number;
  readonly collections: number;
  readonly datasets: number;
  /** Messages from migrating an older universe's records (e.g. day_obs records without timespans). */
  readonly warnings: readonly string[];
}

/**
 * Read and parse an export file (daf_butler's YAML, any version).
 * @throws {ConfigError} when the file cannot be read. @throws {ExportFormatError} when it is malformed.
 */
export async function readExportFile(path: string): Promise<ExportDocument> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(
      `Cannot read export file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        cause: error,
        hint: "Check the path (a relative --export-file is looked up in DIRECTORY).",
      },
    );
  }
  return parseExportDocument(text, path);
}

/**
 * Read an export file (daf_butler's YAML, any version) and import it.
 * @throws {ConfigError} / {ExportFormatError} when the file is unreadable or malformed.
 */
export async function importExportFile(
  registry: Registry,
  path: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  return importDocument(registry, await readExportFile(path), options);
}

/**
 * Import an export document into a registry, in one transaction and in daf_butler's order: dataset
 * types, collections and chains, dimension records (universe order; existing identical keys are kept),
 * datasets with their own IDs, TAGGED associations and certifications. Records of an older universe are
 * migrated first. On any failure nothing is changed.
 * @throws {MissingDependencyError} when datasets have files and `withoutDatastore` is not set.
 * @throws {ConflictingDefinitionError} / {DataIdValueError} / other registry errors, nothing changed.
 */
export async function importDocument(
  registry: Registry,
  document: ExportDocument,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const { document: migrated, warnings } = migrateExportDocument(document, registry.universe);
  const items = migrated.items;
  const datasetItems = items.filter((i): i is ExportedDatasets => i.type === "dataset");
  if (!options.withoutDatastore && datasetItems.some((i) => i.files.length > 0)) {
    throw new MissingDependencyError(
      "This export file has dataset files, and a registry alone cannot ingest files",
      {
        hint: "Import it with a butler (`butler import`, or importWithFiles), or pass --without-datastore to import the registry entries only.",
      },
    );
  }
  const skip = new Set(options.skipDimensions ?? []);
  const records = items
    .filter((i): i is ExportedDimensionRecords => i.type === "dimension" && !skip.has(i.element))
    .sort(
      (a, b) => registry.universe.getElementIndex(a.element) - registry.universe.getElementIndex(b.element),
    );
  const types = items.filter((i): i is ExportedDatasetType => i.type === "dataset_type");
  const collections = items.filter((i): i is ExportedCollection => i.type === "collection");
  const associations = items.filter((i): i is ExportedAssociations => i.type === "associations");
  const total = records.length + datasetItems.length + associations.length;
  let done = 0;
  const step = () => options.onProgress?.(++done, total);
  let recordCount = 0;
  let datasetCount = 0;
  await registry.transaction(async () => {
    for (const item of types) {
      await registry.datasetTypes.register(
        DatasetType.make(registry.universe, {
          name: item.name,
          dimensions: item.dimensions,
          storageClass: item.storageClass,
          isCalibration: item.isCalibration,
        }),
      );
    }
    for (const item of collections) {
      await registry.collections.register(item.name, item.collectionType, item.doc);
      if (item.doc !== null) await registry.collections.setDoc(item.name, item.doc);
    }
    for (const item of collections.filter((c) => c.collectionType === "CHAINED")) {
      await registry.collections.setChain(item.name, item.children);
    }
    for (const item of records) {
      recordCount += await registry.dimensions.insert(item.element, item.records, { skipExisting: true });
      step();
    }
    for (const item of datasetItems) {
      await registry.collections.register(item.run, "RUN");
      const type = await registry.datasetTypes.get(item.datasetType);
      const refs = item.files.flatMap((file) =>
        file.datasetIds.map(
          (id, i) =>
            new DatasetRef(
              id,
              type,
              standardizeDataId(registry.universe, file.dataIds[i] ?? {}, { dimensions: type.dimensions }),
              item.run,
            ),
        ),
      );
      await registry.datasets.import(refs);
      datasetCount += refs.length;
      step();
    }
    for (const item of associations) {
      if (item.collectionType === "TAGGED") {
        await registry.datasets.associate(item.collection, await refsById(registry, item.datasetIds));
      } else {
        for (const range of item.validityRanges) {
          await registry.calibrations.certify(
            item.collection,
            await refsById(registry, range.datasetIds),
            range.timespan,
          );
        }
      }
      step();
    }
  });
  return {
    dimensionRecords: recordCount,
    datasetTypes: types.length,
    collections: collections.length,
    datasets: datasetCount,
    warnings,
  };
}

async function refsById(registry: Registry, ids: readonly string[]): Promise<DatasetRef[]> {
  const refs: DatasetRef[] = [];
  for (const id of ids) {
    const ref = await registry.datasets.get(id);
    if (ref === null)
      throw new ConfigError(
        `The export file associates dataset ${id}, which it does not define and the repository does not have`,
      );
    refs.push(ref);
  }
  return refs;
}
