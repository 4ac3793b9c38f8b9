import { IncompatibleRepositoryError } from "../../../errors.ts";

/** A registry manager daf_butler names in `butler.yaml` and `butler_attributes`, and its schema version. */
export interface ManagerVersion {
  /** Key under `registry.managers`. */
  readonly key: string;
  /** Class name written to butler.yaml. */
  readonly configName: string;
  /** Fully qualified class name written to `butler_attributes` (may differ from the config name). */
  readonly attributeName: string;
  /** Schema version `major.minor.patch`. */
  readonly version: string;
}

/**
 * The managers and versions butler-ts reads and writes, in the order daf_butler records them: the schema
 * of daf_butler w.2026.34's default configuration.
 */
export const SUPPORTED_MANAGERS: readonly ManagerVersion[] = Object.freeze([
  manager("attributes", "lsst.daf.butler.registry.attributes.DefaultButlerAttributeManager", "1.0.1"),
  manager(
    "dimensions",
    "lsst.daf.butler.registry.dimensions.static.StaticDimensionRecordStorageManager",
    "6.0.2",
  ),
  manager(
    "collections",
    "lsst.daf.butler.registry.collections.synthIntKey.SynthIntKeyCollectionManager",
    "2.0.0",
  ),
  manager(
    "datasets",
    "lsst.daf.butler.registry.datasets.byDimensions.ByDimensionsDatasetRecordStorageManagerUUID",
    "2.0.0",
    "lsst.daf.butler.registry.datasets.byDimensions._manager.ByDimensionsDatasetRecordStorageManagerUUID",
  ),
  manager("opaque", "lsst.daf.butler.registry.opaque.ByNameOpaqueTableStorageManager", "0.2.0"),
  manager(
    "datastores",
    "lsst.daf.butler.registry.bridge.monolithic.MonolithicDatastoreRegistryBridgeManager",
    "0.2.1",
  ),
]);

function manager(
  key: string,
  configName: string,
  version: string,
  attributeName = configName,
): ManagerVersion {
  return Object.freeze({ key, configName, attributeName, version });
}

/** The `butler_attributes` rows that record the managers of a new repository. */
export function managerAttributes(): [string, string][] {
  return SUPPORTED_MANAGERS.flatMap((m) => [
    [`config:registry.managers.${m.key}`, m.attributeName] as [string, string],
    [`version:${m.attributeName}`, m.version] as [string, string],
  ]);
}

/**
 * Check that a repository's recorded managers and versions are ones butler-ts supports: same class, same
 * major and minor version (a patch difference is harmless, as in daf_butler).
 * @throws {IncompatibleRepositoryError} naming every unsupported manager or version.
 */
export function checkManagers(attributes: ReadonlyMap<string, string>, location: string): void {
  const problems: string[] = [];
  for (const expected of SUPPORTED_MANAGERS) {
    const recorded = attributes.get(`config:registry.managers.${expected.key}`);
    if (recorded === undefined) {
      problems.push(`no ${expected.key} manager recorded`);
      continue;
    }
    if (recorded !== expected.attributeName && recorded !== expected.configName) {
      problems.push(`${expected.key} manager ${recorded} (supported: ${expected.attributeName})`);
      continue;
    }
    const version = attributes.get(`version:${recorded}`);
    if (version === undefined) {
      problems.push(`no schema version recorded for ${recorded}`);
    } else if (majorMinor(version) !== majorMinor(expected.version)) {
      problems.push(`${expected.key} schema version ${version} (supported: ${expected.version})`);
    }
  }
  if (problems.length > 0) {
    throw new IncompatibleRepositoryError(
      `Repository ${location} uses a registry schema butler-ts does not support: ${problems.join("; ")}`,
      {
        hint: "Migrate it with daf_butler_migrate to daf_butler's current default schema, or open it with daf_butler.",
      },
    );
  }
}

function majorMinor(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}
