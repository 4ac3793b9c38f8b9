import { MissingDependencyError } from "../errors.ts";
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
 * Connect to the database a location names.
 * @throws {MissingDependencyError} for PostgreSQL, which needs the PostgreSQL registry.
 * @throws {DatabaseError} when the database cannot be opened.
 */
export async function connectRegistryDatabase(
  location: RegistryLocation,
  options: { writeable: boolean; create?: boolean },
): Promise<Database> {
  if (location.kind === "postgresql") {
    throw new MissingDependencyError(
      `PostgreSQL registries are not supported yet (${location.url.replace(/:[^:@/]*@/, "@")})`,
      {
        hint: "Use a SQLite repository for now.",
      },
    );
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
 * @throws {IncompatibleRepositoryError} when its schema is one butler-ts does not support.
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
