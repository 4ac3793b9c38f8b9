import type { Registry } from "../registry/registry.ts";
import type { Database } from "../registry/sql/database.ts";
import { openSqliteDatabase } from "../registry/sql/dialects/sqlite/sqlite-database.ts";
import { sqliteDialect } from "../registry/sql/dialects/sqlite/sqlite-dialect.ts";
import { openSqlRegistry, type SqlRegistryOptions } from "../registry/sql/sql-registry.ts";
import {
  type ButlerConfig,
  type RegistryLocation,
  readButlerConfig,
  registryLocation,
} from "./butler-config.ts";

/** Options of {@link openRegistry}. */
export interface OpenRegistryOptions extends SqlRegistryOptions {
  /** Allow writes (default false: a reader never takes write locks or changes the journal mode). */
  readonly writeable?: boolean;
}

/**
 * Connect to the database a location names: a SQLite file, or a schema (`registry.namespace`) of a
 * PostgreSQL database.
 * @throws {DatabaseError} when the database cannot be opened: a PostgreSQL server that cannot be reached, a
 *   database or schema that does not exist, a database without the `btree_gist` extension.
 * @throws {MissingDependencyError} for PostgreSQL when the `pg` package is not installed.
 */
export async function connectRegistryDatabase(
  location: RegistryLocation,
  options: { writeable: boolean; create?: boolean },
): Promise<Database> {
  if (location.kind === "postgresql") {
    const { openPostgresRegistryDatabase } = await import(
      "../registry/sql/dialects/postgres/postgres-registry-database.ts"
    );
    return openPostgresRegistryDatabase(location.url, {
      namespace: location.namespace,
      writeable: options.writeable,
      create: options.create ?? false,
    });
  }
  return openSqliteDatabase(location.path, sqliteDialect, {
    readOnly: !options.writeable,
    create: options.create ?? false,
  });
}

/**
 * Open the registry of a repository (its directory or its `butler.yaml`).
 * @example const registry = await openRegistry("./repo");
 * @throws {ConfigError} when there is no repository there.
 * @throws {DatabaseError} when its database cannot be opened (see {@link connectRegistryDatabase}).
 * @throws {IncompatibleRepositoryError} when its schema is one butler-ts does not support, or the database
 *   (or PostgreSQL schema) holds no registry.
 */
export async function openRegistry(
  repo: string | ButlerConfig,
  options: OpenRegistryOptions = {},
): Promise<Registry> {
  const config = typeof repo === "string" ? await readButlerConfig(repo) : repo;
  const db = await connectRegistryDatabase(registryLocation(config), {
    writeable: options.writeable === true,
  });
  try {
    return await openSqlRegistry(db, options);
  } catch (error) {
    await db.close();
    throw error;
  }
}
