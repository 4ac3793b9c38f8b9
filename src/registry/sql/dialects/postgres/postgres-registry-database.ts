import { DatabaseError } from "../../../../errors.ts";
import type { Database } from "../../database.ts";
import { openPostgresDatabase } from "./postgres-database.ts";
import { postgresDialect } from "./postgres-dialect.ts";

/** Options of {@link openPostgresRegistryDatabase}. */
export interface PostgresRegistryOptions {
  /** The schema holding the repository's tables (`registry.namespace`); default: the server's search path. */
  readonly namespace?: string | undefined;
  /** Allow writes. */
  readonly writeable: boolean;
  /** Create the schema when it does not exist (only `butler create` does). */
  readonly create?: boolean;
}

/** What a schema of a PostgreSQL database holds, before a repository is created in it. */
export interface PostgresNamespaceState {
  /** Whether the schema exists. */
  readonly exists: boolean;
  /** Whether it already holds a butler registry (a `butler_attributes` table). */
  readonly hasRegistry: boolean;
}

/**
 * The URL `pg` understands for a `registry.db` value: SQLAlchemy's driver suffix
 * (`postgresql+psycopg2://`) removed, everything else as written.
 */
export function pgConnectionUrl(url: string): string {
  return url.replace(/^postgres(?:ql)?\+\w+:\/\//, "postgresql://");
}

/**
 * Connect to a repository's registry on PostgreSQL, checking what daf_butler checks on connect: the
 * `btree_gist` extension is installed in the database.
 * @throws {DatabaseError} when the server cannot be reached, the database or schema does not exist, or
 *   `btree_gist` is missing (the message names the URL, without its password).
 * @throws {MissingDependencyError} when the `pg` package is not installed.
 */
export async function openPostgresRegistryDatabase(
  url: string,
  options: PostgresRegistryOptions,
): Promise<Database> {
  const db = await openPostgresDatabase(pgConnectionUrl(url), postgresDialect, {
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    create: options.create === true,
    readOnly: !options.writeable,
  });
  try {
    const rows = await db.query("SELECT 1 AS found FROM pg_extension WHERE extname = 'btree_gist'");
    if (rows.length === 0) {
      const database = (await db.query("SELECT current_database() AS name"))[0]?.name;
      throw new DatabaseError(
        `PostgreSQL registry ${db.location}: database "${String(database)}" lacks the btree_gist ` +
          "extension, which the Butler PostgreSQL backend requires",
        "other",
        { hint: 'Run "CREATE EXTENSION btree_gist;" in that database as a superuser (once per database).' },
      );
    }
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}

/**
 * Whether schema `namespace` of the database at `url` exists and already holds a butler registry.
 * @throws {DatabaseError} when the server cannot be reached or the database does not exist.
 */
export async function inspectPostgresNamespace(
  url: string,
  namespace: string,
): Promise<PostgresNamespaceState> {
  const db = await openPostgresDatabase(pgConnectionUrl(url), postgresDialect, { readOnly: true });
  try {
    const exists = await db.query("SELECT 1 AS found FROM pg_namespace WHERE nspname = $1", [namespace]);
    const registry = await db.query(
      "SELECT 1 AS found FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2",
      [namespace, "butler_attributes"],
    );
    return { exists: exists.length > 0, hasRegistry: registry.length > 0 };
  } finally {
    await db.close();
  }
}

/**
 * Drop schema `namespace` and everything in it (what a failed `butler create` made).
 * @throws {DatabaseError} when the server cannot be reached or refuses.
 */
export async function dropPostgresNamespace(url: string, namespace: string): Promise<void> {
  const db = await openPostgresDatabase(pgConnectionUrl(url), postgresDialect);
  try {
    await db.exec(`DROP SCHEMA IF EXISTS ${postgresDialect.quote(namespace)} CASCADE`);
  } finally {
    await db.close();
  }
}
