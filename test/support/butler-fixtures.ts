import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import type { Butler } from "../../src/butler/butler.ts";
import { type OpenButlerOptions, openButler } from "../../src/butler/open-butler.ts";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import { createLocalBackend } from "../../src/datastore/storage/local-backend.ts";
import { createMemoryBackend } from "../../src/datastore/storage/memory-backend.ts";
import { createStorageBackends, type StorageBackends } from "../../src/datastore/storage/storage-backends.ts";
import { createRepository } from "../../src/repository/create-repository.ts";
import { importExportFile } from "../../src/repository/import-repository.ts";
import type { RegistryBackend } from "./registry-backends.ts";
import { fixturePath } from "./shared-fixtures.ts";
import { tempDir } from "./temp-repo.ts";

/** daf_butler's class names of the formatters suite repositories configure. */
export const JSON_FORMATTER = "lsst.daf.butler.formatters.json.JsonFormatter";
export const YAML_FORMATTER = "lsst.daf.butler.formatters.yaml.YamlFormatter";

/**
 * The storage classes a suite repository defines in its `butler.yaml` (daf_butler's default ones have no
 * composite butler-ts can write): a mapping with two read/write components and one read parameter.
 */
export const SUITE_STORAGE_CLASSES = Object.freeze({
  SuiteComposite: {
    pytype: "dict",
    components: { summary: "StructuredDataDict", values: "StructuredDataList" },
    parameters: ["slice"],
  },
});

/**
 * The `formatters:` a file datastore of a suite repository needs: for {@link SUITE_STORAGE_CLASSES}, and
 * for StructuredDataList, which daf_butler's default formatters do not cover either.
 */
export const SUITE_FORMATTERS = Object.freeze({
  SuiteComposite: JSON_FORMATTER,
  StructuredDataList: YAML_FORMATTER,
});

/** The dataset types of a suite repository. */
export const SUITE_DATASET_TYPES = Object.freeze([
  { name: "notes", dimensions: ["instrument", "detector"], storageClass: "StructuredDataDict" },
  { name: "lists", dimensions: ["instrument", "detector"], storageClass: "StructuredDataList" },
  { name: "texts", dimensions: ["instrument", "detector"], storageClass: "Text" },
  { name: "composite", dimensions: ["instrument", "detector"], storageClass: "SuiteComposite" },
  { name: "metadata", dimensions: ["instrument", "detector"], storageClass: "TaskMetadata" },
  { name: "filterNotes", dimensions: ["instrument", "physical_filter"], storageClass: "StructuredDataDict" },
  {
    name: "exposureNotes",
    dimensions: ["instrument", "exposure", "detector"],
    storageClass: "StructuredDataDict",
  },
]);

/** The exposure a suite repository holds, found by its `obs_id` in alternate-key tests. */
export const SUITE_EXPOSURE = Object.freeze({ id: 42, obs_id: "CAM1-20210909-0042" });

/** A repository made for tests, and how to open butlers on it. */
export interface ButlerRepo {
  readonly root: string;
  /** Backends every butler opened by `open` shares, so `mem://` artifacts outlive one butler. */
  readonly storage: StorageBackends;
  /** Open a butler; every butler opened is closed by `cleanup`. */
  open(options?: OpenButlerOptions): Promise<Butler>;
  cleanup(): Promise<void>;
}

/** Options of {@link createButlerRepo}. */
export interface ButlerRepoOptions {
  /** The `datastore:` section of its `butler.yaml` (default: daf_butler's file datastore at the root). */
  readonly datastore?: Readonly<Record<string, unknown>>;
  /** Dimension records of base.yaml and spatial.yaml, an exposure and the suite's dataset types (default true). */
  readonly populate?: boolean;
  /** Where the registry lives (default: SQLite in the repository); the datastore stays in the repository. */
  readonly backend?: RegistryBackend;
}

/**
 * A new repository in a temporary directory with the suite's storage classes in its `butler.yaml`, by
 * default holding daf_butler's base.yaml and spatial.yaml records, {@link SUITE_EXPOSURE} and
 * {@link SUITE_DATASET_TYPES}. Needs the shared daf_butler fixtures.
 */
export async function createButlerRepo(options: ButlerRepoOptions = {}): Promise<ButlerRepo> {
  const dir = tempDir("butler-suite-");
  const root = join(dir.path, "repo");
  const seed = join(dir.path, "seed.yaml");
  const document: Record<string, unknown> = { storageClasses: SUITE_STORAGE_CLASSES };
  if (options.datastore !== undefined) document.datastore = options.datastore;
  await writeFile(seed, stringify(document));
  const registry = await createRepository(root, {
    seedConfig: seed,
    override: true,
    ...(await options.backend?.repositoryOptions()),
  });
  try {
    if (options.populate !== false) await populate(registry);
  } finally {
    await registry.close();
  }
  const local = createLocalBackend();
  const storage = createStorageBackends([local, createMemoryBackend({ sources: [local] })]);
  const opened: Butler[] = [];
  return {
    root,
    storage,
    async open(openOptions = {}) {
      const butler = await openButler(root, { storage, ...openOptions });
      opened.push(butler);
      return butler;
    },
    async cleanup() {
      await Promise.all(opened.map((b) => b.close()));
      dir.cleanup();
    },
  };
}

async function populate(registry: Awaited<ReturnType<typeof createRepository>>): Promise<void> {
  const data = (name: string) => fixturePath("registry_data", name);
  await importExportFile(registry, data("base.yaml"), {});
  await importExportFile(registry, data("spatial.yaml"), {});
  await registry.dimensions.insert("group", [{ instrument: "Cam1", name: "g42" }]);
  await registry.dimensions.insert("exposure", [
    {
      instrument: "Cam1",
      ...SUITE_EXPOSURE,
      physical_filter: "Cam1-G",
      group: "g42",
      day_obs: 20210909,
    },
  ]);
  for (const definition of SUITE_DATASET_TYPES) {
    await registry.datasetTypes.register(DatasetType.make(registry.universe, definition));
  }
}
