import { DatasetType } from "../../src/datasets/dataset-type.ts";
import { createRepository } from "../../src/repository/create-repository.ts";
import { importExportFile } from "../../src/repository/import-repository.ts";
import { fixturePath } from "./shared-fixtures.ts";

/**
 * A new repository at `path` with daf_butler's `base.yaml` records (instrument Cam1, detectors 1-4, ...)
 * and dataset types of dimensions instrument+detector, by name and storage class
 * (default: `notes`, a StructuredDataDict).
 */
export async function createCam1Repository(
  path: string,
  types: Readonly<Record<string, string>> = { notes: "StructuredDataDict" },
): Promise<void> {
  const registry = await createRepository(path);
  try {
    await importExportFile(registry, fixturePath("registry_data", "base.yaml"));
    for (const [name, storageClass] of Object.entries(types)) {
      await registry.datasetTypes.register(
        DatasetType.make(registry.universe, { name, dimensions: ["instrument", "detector"], storageClass }),
      );
    }
  } finally {
    await registry.close();
  }
}
