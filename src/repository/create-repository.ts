import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { readYamlFile } from "../config/read-yaml.ts";
import { defaultUniverse } from "../dimensions/default-universe.ts";
import { DimensionUniverse } from "../dimensions/universe.ts";
import { ConfigError } from "../errors.ts";
import type { Registry } from "../registry/registry.ts";
import {
  checkPostgresNamespace,
  derivePostgresNamespace,
} from "../registry/sql/dialects/postgres/postgres-namespace.ts";
import { type CreateSqlRegistryOptions, createSqlRegistry } from "../registry/sql/sql-registry.ts";
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
export interface CreateRepositoryOptions extends CreateSqlRegistryOptions {
  /** A `dimensions.yaml` to use instead of the default universe. */
  readonly dimensionConfig?: string;
  /** A YAML config whose values are merged over the defaults. */
  readonly seedConfig?: string;
  /** Keep roots and database locations from the seed config instead of forcing them into the repository. */
  readonly override?: boolean;
  /**
   * The registry database instead of the repository's own SQLite file: a `postgresql://USER@HOST/DB` URL (a
   * Unix socket directory goes in `?host=/path`), or a `sqlite:///PATH` one. The datastore stays as configured.
   */
  readonly db?: string;
  /**
   * The PostgreSQL schema holding this repository's tables (`registry.namespace`), created when absent;
   * default: derived from the repository's directory name (see {@link derivePostgresNamespace}).
   */
  readonly namespace?: string;
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

/** The `registry:` section with `db` and `namespace` from the options, first, as daf_butler writes them. */
function registrySection(
  document: Record<string, unknown>,
  root: string,
  options: CreateRepositoryOptions,
): Record<string, unknown> {
  const current = (document.registry ?? {}) as Record<string, unknown>;
  if (options.db === undefined && options.namespace === undefined) return current;
  const { db: currentDb, namespace: currentNamespace, ...rest } = current;
  const db = options.db ?? currentDb;
  if (typeof db !== "string" || !/^postgres(ql)?(\+\w+)?:\/\//.test(db)) {
    if (options.namespace !== undefined) {
      throw new ConfigError(`A namespace ("${options.namespace}") needs a PostgreSQL registry database`, {
        hint: "Give --db postgresql://USER@HOST/DB too, or leave out --namespace.",
      });
    }
    return { db, ...rest };
  }
  const given = options.namespace ?? (options.db === undefined ? currentNamespace : undefined);
  const namespace = checkPostgresNamespace(typeof given === "string" ? given : derivePostgresNamespace(root));
  return { db, namespace, ...rest };
}

/**
 * Create an empty repository at `root`: `butler.yaml` and a registry in daf_butler's format, by default
 * a SQLite file (`gen3.sqlite3`) in the repository; with `db`, a schema of its own on a PostgreSQL server.
 * Nothing is left behind when it fails (a PostgreSQL schema it created is dropped).
 * @example const registry = await createRepository("./repo");
 * @example
 * const registry = await createRepository("./repo", {
 *   db: "postgresql://butler@/archive?host=/run/postgresql",
 *   namespace: "main",
 * });
 * @throws {ConfigError} when a repository already exists there (or in that PostgreSQL schema), or a config
 *   or namespace is invalid.
 * @throws {DatabaseError} when the registry database cannot be reached or created.
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
  document = { ...document, registry: registrySection(document, directory, options) };
  const createdDirectory = !existsSync(directory);
  await mkdir(directory, { recursive: true });
  const config = { root: directory, path: configPath, document };
  const location = registryLocation(config);
  const createdFiles: string[] = [];
  let dropNamespace: (() => Promise<void>) | undefined;
  try {
    if (location.kind === "sqlite" && location.path !== ":memory:" && existsSync(location.path)) {
      throw new ConfigError(`A registry database already exists at ${location.path}`, {
        hint: "Remove it, or create the repository elsewhere.",
      });
    }
    if (location.kind === "postgresql" && location.namespace !== undefined) {
      dropNamespace = await claimPostgresNamespace(location.url, location.namespace);
    }
    const db = await connectRegistryDatabase(location, { writeable: true, create: true });
    if (location.kind === "sqlite")
      createdFiles.push(location.path, `${location.path}-wal`, `${location.path}-shm`);
    // One transaction, so that a datastore config that cannot work (a malformed template, an unknown
    // formatter or storage class) is refused now, rather than at the first write, with no tables left.
    const registry = await db
      .transaction(async () => {
        const created = await createSqlRegistry(db, universe, options);
        datastoreOf(config, created);
        return created;
      })
      .catch(async (error: unknown) => {
        await db.close();
        throw error;
      });
    const temporary = join(directory, `.butler.yaml.${process.pid}.tmp`);
    await writeFile(temporary, formatButlerConfig(document), { flag: "wx" });
    await rename(temporary, configPath);
    return registry;
  } catch (error) {
    await Promise.all(createdFiles.map((file) => rm(file, { force: true })));
    if (createdDirectory) await rm(directory, { recursive: true, force: true });
    // The error that stopped the creation matters more than one from cleaning up after it.
    await dropNamespace?.().catch(() => undefined);
    throw error;
  }
}

/**
 * Check that PostgreSQL schema `namespace` holds no registry yet; returns how to drop it again when it
 * did not exist (it is created when the registry database is opened).
 * @throws {ConfigError} when the schema already holds a butler registry.
 */
async function claimPostgresNamespace(
  url: string,
  namespace: string,
): Promise<(() => Promise<void>) | undefined> {
  const { dropPostgresNamespace, inspectPostgresNamespace } = await import(
    "../registry/sql/dialects/postgres/postgres-registry-database.ts"
  );
  const { redactPostgresUrl } = await import("../registry/sql/dialects/postgres/postgres-errors.ts");
  const state = await inspectPostgresNamespace(url, namespace);
  if (state.hasRegistry) {
    throw new ConfigError(
      `PostgreSQL schema "${namespace}" of ${redactPostgresUrl(url)} already holds a butler registry`,
      {
        hint: "Choose another schema with --namespace, or open the existing repository.",
      },
    );
  }
  return state.exists ? undefined : () => dropPostgresNamespace(url, namespace);
}
