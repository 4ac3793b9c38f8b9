import { dirname, isAbsolute, join, resolve } from "node:path";
import { stringify } from "yaml";
import { ConfigNode } from "../config/config-node.ts";
import { readYamlFile } from "../config/read-yaml.ts";
import { ConfigError } from "../errors.ts";
import { SUPPORTED_MANAGERS } from "../registry/sql/managers/manager-versions.ts";

/** The placeholder daf_butler writes for the repository's own directory. */
export const BUTLER_ROOT = "<butlerRoot>";

/** A repository's `butler.yaml`, with `<butlerRoot>` kept as written and its location known. */
export interface ButlerConfig {
  /** The directory the config lives in (the repository root unless `root` says otherwise). */
  readonly root: string;
  /** Path of the config file. */
  readonly path: string;
  /** The document as read (or to be written). */
  readonly document: Readonly<Record<string, unknown>>;
}

/** Where a registry database lives. */
export type RegistryLocation =
  | { readonly kind: "sqlite"; readonly path: string }
  | { readonly kind: "postgresql"; readonly url: string; readonly namespace: string | undefined };

/** The default `butler.yaml` of a new repository, as daf_butler's `makeRepo` writes it. */
export function defaultButlerDocument(): Record<string, unknown> {
  return {
    datastore: {
      cls: "lsst.daf.butler.datastores.fileDatastore.FileDatastore",
      records: { table: "file_datastore_records" },
      root: BUTLER_ROOT,
    },
    registry: {
      db: `sqlite:///${BUTLER_ROOT}/gen3.sqlite3`,
      managers: Object.fromEntries(
        [...SUPPORTED_MANAGERS].sort((a, b) => (a.key < b.key ? -1 : 1)).map((m) => [m.key, m.configName]),
      ),
    },
  };
}

/** The path of a repository's config: `repo/butler.yaml`, or the given file when it is a YAML file. */
export function configPathOf(repo: string): string {
  return /\.ya?ml$/.test(repo) ? resolve(repo) : join(resolve(repo), "butler.yaml");
}

/**
 * Read a repository's `butler.yaml`.
 * @throws {ConfigError} when it is missing, unreadable or not a mapping.
 */
export async function readButlerConfig(repo: string): Promise<ButlerConfig> {
  const path = configPathOf(repo);
  let document: unknown;
  try {
    document = await readYamlFile(path);
  } catch (error) {
    if (error instanceof ConfigError && error.message.includes("ENOENT")) {
      throw new ConfigError(`No butler repository at ${repo}: ${path} does not exist`, {
        hint: "Check the path, or create a repository with `butler create REPO`.",
        cause: error,
      });
    }
    throw error;
  }
  ConfigNode.of(document, "");
  const explicitRoot = (document as Record<string, unknown>).root;
  const root = typeof explicitRoot === "string" ? resolve(dirname(path), explicitRoot) : dirname(path);
  return { root, path, document: document as Record<string, unknown> };
}

/** Replace `<butlerRoot>` by the repository root in a config string. */
export function expandRoot(value: string, root: string): string {
  return value.replaceAll(BUTLER_ROOT, root);
}

/**
 * Where the registry database is, from `registry.db` (and `registry.namespace`).
 * @throws {ConfigError} for a missing or unsupported database URL.
 */
export function registryLocation(config: ButlerConfig): RegistryLocation {
  const registry = ConfigNode.of(config.document.registry ?? {}, "registry");
  const db = expandRoot(registry.string("db"), config.root);
  if (db.startsWith("sqlite:///")) {
    const path = db.slice("sqlite:///".length);
    return {
      kind: "sqlite",
      path: path === ":memory:" || isAbsolute(path) ? path : resolve(config.root, path),
    };
  }
  if (/^postgres(ql)?(\+\w+)?:\/\//.test(db)) {
    return { kind: "postgresql", url: db, namespace: registry.optionalString("namespace") };
  }
  throw new ConfigError(`unsupported database URL "${db}"`, {
    path: "registry.db",
    hint: "Use sqlite:///PATH or postgresql://USER@HOST/DB.",
  });
}

/** A config document as YAML, in daf_butler's layout (block style, keys as given). */
export function formatButlerConfig(document: Readonly<Record<string, unknown>>): string {
  return stringify(document, { indent: 2, lineWidth: 0 });
}
