import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { readYamlFile } from "../config/read-yaml.ts";
import { defaultUniverse } from "../dimensions/default-universe.ts";
import { DimensionUniverse } from "../dimensions/universe.ts";
import { ConfigError } from "../errors.ts";
import type { Registry } from "../registry/registry.ts";
import { createSqlRegistry, type SqlRegistryOptions } from "../registry/sql/sql-registry.ts";
import {
  BUTLER_ROOT,
  configPathOf,
  defaultButlerDocument,
  formatButlerConfig,
  registryLocation,
} from "./butler-config.ts";
import { datastoreOf } from "./open-datastore.ts";
import { connectRegistryDatabase } from "./open-registry.ts";

/** Options of {@link createRepository}. */
export interface CreateRepositoryOptions extends SqlRegistryOptions {
  /** A `dimensions.yaml` to use instead of the default universe. */
  readonly dimensionConfig?: string;
  /** A YAML config whose values are merged over the defaults. */
  readonly seedConfig?: string;
  /** Keep roots and database locations from the seed config instead of forcing them into the repository. */
  readonly override?: boolean;
}

function merge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = result[key];
    result[key] =
      value &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      current &&
      typeof current === "object" &&
      !Array.isArray(current)
        ? merge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return result;
}

/**
 * Create an empty repository at `root`: `butler.yaml` and a SQLite registry (`gen3.sqlite3`) in
 * daf_butler's format. Nothing is left behind when it fails.
 * @example const registry = await createRepository("./repo");
 * @throws {ConfigError} when a repository already exists there or a config is invalid.
 */
export async function createRepository(
  root: string,
  options: CreateRepositoryOptions = {},
): Promise<Registry> {
  const configPath = configPathOf(root);
  if (existsSync(configPath)) {
    throw new ConfigError(`A repository already exists at ${root} (${configPath})`, {
      hint: "Choose another directory, or use the existing repository.",
    });
  }
  const universe =
    options.dimensionConfig === undefined
      ? defaultUniverse()
      : DimensionUniverse.fromDocument(await readYamlFile(options.dimensionConfig));
  let document = defaultButlerDocument();
  if (options.seedConfig !== undefined) {
    const seed = await readYamlFile(options.seedConfig);
    if (seed === null || typeof seed !== "object" || Array.isArray(seed)) {
      throw new ConfigError(`Seed config ${options.seedConfig} is not a mapping`);
    }
    document = merge(document, seed as Record<string, unknown>);
    if (!options.override) {
      document = merge(document, {
        datastore: { root: BUTLER_ROOT },
        registry: { db: `sqlite:///${BUTLER_ROOT}/gen3.sqlite3` },
      });
    }
  }
  const directory = dirname(configPath);
  const createdDirectory = !existsSync(directory);
  await mkdir(directory, { recursive: true });
  const config = { root: directory, path: configPath, document };
  const location = registryLocation(config);
  const createdFiles: string[] = [];
  try {
    if (location.kind === "sqlite" && location.path !== ":memory:" && existsSync(location.path)) {
      throw new ConfigError(`A registry database already exists at ${location.path}`, {
        hint: "Remove it, or create the repository elsewhere.",
      });
    }
    const db = await connectRegistryDatabase(location, { writeable: true, create: true });
    if (location.kind === "sqlite")
      createdFiles.push(location.path, `${location.path}-wal`, `${location.path}-shm`);
    const registry = await createSqlRegistry(db, universe, options).catch(async (error: unknown) => {
      await db.close();
      throw error;
    });
    try {
      // A datastore config that cannot work (a malformed template, an unknown formatter or storage class)
      // is refused now rather than at the first write.
      datastoreOf(config, registry);
    } catch (error) {
      await registry.close();
      throw error;
    }
    const temporary = join(directory, `.butler.yaml.${process.pid}.tmp`);
    await writeFile(temporary, formatButlerConfig(document), { flag: "wx" });
    await rename(temporary, configPath);
    return registry;
  } catch (error) {
    await Promise.all(createdFiles.map((file) => rm(file, { force: true })));
    if (createdDirectory) await rm(directory, { recursive: true, force: true });
    throw error;
  }
}
