import { readYamlFile } from "../config/read-yaml.ts";
import { DimensionUniverse } from "./universe.ts";

/**
 * Load a dimension universe from a daf_butler `dimensions.yaml` file.
 * @example const universe = await loadDimensionUniverse("./dimensions.yaml");
 * @throws {ConfigError} when the file is unreadable, not YAML, or not a valid dimension configuration.
 */
export async function loadDimensionUniverse(path: string): Promise<DimensionUniverse> {
  return DimensionUniverse.fromDocument(await readYamlFile(path));
}
