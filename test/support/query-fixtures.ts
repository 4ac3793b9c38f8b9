import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DatasetRef } from "../../src/datasets/dataset-ref.ts";
import type { DataCoordinate } from "../../src/dimensions/data-coordinate.ts";
import { defaultUniverse } from "../../src/dimensions/default-universe.ts";
import type { RecordValue } from "../../src/dimensions/dimension-record.ts";
import type { Registry } from "../../src/registry/registry.ts";
import { type CreateRepositoryOptions, createRepository } from "../../src/repository/create-repository.ts";
import { importExportFile } from "../../src/repository/import-repository.ts";
import type { ExportDocument } from "../../src/transfers/export-document.ts";
import { parseExportDocument } from "../../src/transfers/read-export.ts";
import type { RegistryBackend } from "./registry-backends.ts";
import { fixturePath } from "./shared-fixtures.ts";
import { tempDir } from "./temp-repo.ts";

/** A record of an export file, as plain field values. */
export type PlainRecord = Readonly<Record<string, RecordValue>>;

/** A dataset of an export file: its type, RUN, ID and required data ID values. */
export interface PlainDataset {
  readonly datasetType: string;
  readonly run: string;
  readonly id: string;
  readonly dataId: Readonly<Record<string, string | number>>;
}

/** Path of a file of daf_butler's `registry_data` fixtures. */
export function registryDataPath(file: string): string {
  return fixturePath("registry_data", file);
}

/**
 * What the query tests compare against: the records and datasets of export files, read as plain data
 * (on first use, so that a suite skipped for want of fixtures never reads them).
 */
export class ExportOracle {
  readonly #files: readonly string[];
  #read: readonly ExportDocument[] | undefined;

  constructor(files: readonly string[]) {
    this.#files = files;
  }

  get #documents(): readonly ExportDocument[] {
    this.#read ??= this.#files.map((file) =>
      parseExportDocument(readFileSync(registryDataPath(file), "utf8"), file),
    );
    return this.#read;
  }

  /** Every record of one element, in file order. */
  records(element: string): PlainRecord[] {
    return this.#documents.flatMap((document) =>
      document.items.flatMap((item) =>
        item.type === "dimension" && item.element === element ? item.records : [],
      ),
    );
  }

  /** Every dataset, in file order, with the values of its type's required dimensions. */
  datasets(datasetType?: string): PlainDataset[] {
    const universe = defaultUniverse();
    const required = new Map(
      this.#documents.flatMap((document) =>
        document.items.flatMap((item) =>
          item.type === "dataset_type"
            ? [[item.name, universe.conform(item.dimensions).required] as const]
            : [],
        ),
      ),
    );
    return this.#documents.flatMap((document) =>
      document.items.flatMap((item) =>
        item.type === "dataset" && (datasetType === undefined || item.datasetType === datasetType)
          ? item.files.flatMap((file) =>
              file.datasetIds.map((id, i) => {
                const values = file.dataIds[i] as Readonly<Record<string, string | number>>;
                const dimensions = required.get(item.datasetType) ?? Object.keys(values);
                return {
                  datasetType: item.datasetType,
                  run: item.run,
                  id,
                  dataId: Object.fromEntries(dimensions.map((d) => [d, values[d] as string | number])),
                };
              }),
            )
          : [],
      ),
    );
  }
}

/**
 * A temporary repository holding the imported export files (registry only), its registry on `backend`
 * (default SQLite).
 */
export async function fixtureRepository(
  files: readonly string[],
  options: CreateRepositoryOptions & { readonly backend?: RegistryBackend } = {},
): Promise<{ registry: Registry; root: string; cleanup: () => Promise<void> }> {
  const { backend, ...createOptions } = options;
  const dir = tempDir("butler-query-");
  const root = join(dir.path, "repo");
  const registry = await createRepository(root, {
    ...createOptions,
    ...(await backend?.repositoryOptions()),
  });
  for (const file of files)
    await importExportFile(registry, registryDataPath(file), { withoutDatastore: true });
  return {
    registry,
    root,
    cleanup: async () => {
      await registry.close();
      dir.cleanup();
    },
  };
}

/** Integer TAI nanoseconds of a TAI calendar time given in UTC-calendar fields (TAI has no leap seconds). */
export function taiCalendarNs(iso: string): bigint {
  return BigInt(Date.parse(`${iso}Z`)) * 1_000_000n;
}

/** Integer TAI nanoseconds of a UTC time after 2017, when TAI - UTC is 37 s. */
export function utcNs(iso: string): bigint {
  return taiCalendarNs(iso) + 37_000_000_000n;
}

/** A data ID as a plain object of its required values. */
export function plainDataId(dataId: DataCoordinate): Record<string, string | number> {
  return { ...dataId.required };
}

/** Required data ID values, sorted, as a string key. */
export function dataIdKey(values: Readonly<Record<string, unknown>>, dimensions: readonly string[]): string {
  return JSON.stringify(dimensions.map((d) => values[d]));
}

/** A dataset ref as a plain object: type, RUN, ID and required data ID values. */
export function plainRef(ref: DatasetRef): PlainDataset {
  return { datasetType: ref.datasetType.name, run: ref.run, id: ref.id, dataId: plainDataId(ref.dataId) };
}

/** Sort plain datasets by ID, to compare sets of datasets. */
export function byId<T extends { readonly id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
