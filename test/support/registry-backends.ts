import { execFile } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { promisify } from "node:util";
import { afterAll, describe } from "vitest";
import { parse, stringify } from "yaml";
import { readButlerConfig, registryLocation } from "../../src/repository/butler-config.ts";
import type { CreateRepositoryOptions } from "../../src/repository/create-repository.ts";
import {
  POSTGRES_BIN,
  type PostgresCluster,
  postgresUnavailableReason,
  startPostgresCluster,
} from "./postgres-cluster.ts";
import { dumpSqlite } from "./registry-dump.ts";
import { describeWithFixtures, fixturePath } from "./shared-fixtures.ts";
import { copySmallRepo } from "./temp-repo.ts";

const run = promisify(execFile);

/** Where the registry of a test repository lives: the shared suites run once per backend. */
export interface RegistryBackend {
  readonly name: "sqlite" | "postgresql";
  /** Why the backend cannot run here (its tests are skipped, saying so), or undefined. */
  readonly unavailable: string | undefined;
  /** The `createRepository` options that put a new repository's registry on this backend (on PostgreSQL, a fresh schema). */
  repositoryOptions(): Promise<Pick<CreateRepositoryOptions, "db" | "namespace">>;
  /** Run SQL statements on the registry of the repository at `root` (in its schema on PostgreSQL). */
  execute(root: string, sql: string): Promise<void>;
  /** The rows of a SELECT on the registry of the repository at `root`, as JSON values. */
  rows(root: string, sql: string): Promise<Record<string, unknown>[]>;
  /**
   * The schema and every row of every registry table of the repository at `root` as one string, for
   * before/after comparisons.
   */
  dump(root: string): Promise<string>;
  /**
   * A writable copy of daf_butler's `repos/small`: its files, and its registry on this backend (on
   * PostgreSQL, `small_pg.sql` restored into a schema of its own).
   */
  smallRepository(): Promise<{ path: string; cleanup: () => void }>;
  /** The running cluster (PostgreSQL only): started on first use, one per test file. */
  cluster(): Promise<PostgresCluster>;
  /** Stop what the backend started; the next use starts it again. */
  release(): Promise<void>;
}

const registryOf = async (root: string) => registryLocation(await readButlerConfig(root));

const sqliteBackend: RegistryBackend = {
  name: "sqlite",
  unavailable: undefined,
  repositoryOptions: async () => ({}),
  async execute(root, sql) {
    const location = await registryOf(root);
    if (location.kind !== "sqlite") throw new Error(`${root} has no SQLite registry`);
    const db = new DatabaseSync(location.path);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
  },
  async rows(root, sql) {
    const location = await registryOf(root);
    if (location.kind !== "sqlite") throw new Error(`${root} has no SQLite registry`);
    const db = new DatabaseSync(location.path, { readOnly: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  },
  async dump(root) {
    const location = await registryOf(root);
    if (location.kind !== "sqlite") throw new Error(`${root} has no SQLite registry`);
    return dumpSqlite(location.path);
  },
  smallRepository: async () => copySmallRepo(),
  cluster: () => Promise.reject(new Error("the SQLite backend has no PostgreSQL cluster")),
  release: async () => {},
};

let started: Promise<PostgresCluster> | undefined;
let namespaces = 0;

async function startCluster(): Promise<PostgresCluster> {
  let cluster: PostgresCluster;
  try {
    cluster = await startPostgresCluster();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The PostgreSQL registry tests need a throwaway cluster, which cannot start: ${reason}`, {
      cause: error,
    });
  }
  await cluster.psql("-c", "CREATE EXTENSION btree_gist");
  return cluster;
}

async function namespaceOf(root: string): Promise<string> {
  const location = await registryOf(root);
  if (location.kind !== "postgresql" || location.namespace === undefined) {
    throw new Error(`${root} has no PostgreSQL registry with a namespace`);
  }
  return location.namespace;
}

const postgresBackend: RegistryBackend = {
  name: "postgresql",
  unavailable: postgresUnavailableReason(),
  cluster() {
    started ??= startCluster();
    return started;
  },
  async repositoryOptions() {
    const cluster = await this.cluster();
    namespaces += 1;
    return { db: cluster.url, namespace: `repo_${namespaces}` };
  },
  async execute(root, sql) {
    const cluster = await this.cluster();
    await cluster.psql("-c", `SET search_path TO "${await namespaceOf(root)}"; ${sql}`);
  },
  async rows(root, sql) {
    const cluster = await this.cluster();
    const json = await cluster.psql(
      "-Atc",
      `SET search_path TO "${await namespaceOf(root)}"; SELECT coalesce(json_agg(r), '[]') FROM (${sql}) r`,
    );
    return JSON.parse(json) as Record<string, unknown>[];
  },
  async smallRepository() {
    const cluster = await this.cluster();
    namespaces += 1;
    const namespace = `small_pg_${namespaces}`;
    await cluster.psql("-f", fixturePath("repos", "small_pg.sql"));
    await cluster.psql("-c", `ALTER SCHEMA small_pg RENAME TO ${namespace}`);
    const copy = copySmallRepo();
    rmSync(join(copy.path, "gen3.sqlite3"), { force: true });
    const configPath = join(copy.path, "butler.yaml");
    const document = parse(readFileSync(configPath, "utf8")) as { registry: Record<string, unknown> };
    document.registry = { ...document.registry, db: cluster.url, namespace };
    writeFileSync(configPath, stringify(document));
    return copy;
  },
  async dump(root) {
    const cluster = await this.cluster();
    const args = ["-h", cluster.socketDir, "-U", "postgres", "-d", "butler", "--no-owner"];
    const { stdout } = await run(
      join(POSTGRES_BIN, "pg_dump"),
      [...args, "--schema", await namespaceOf(root)],
      { maxBuffer: 256 << 20 },
    );
    // Sequences are not transactional (a rolled-back insert still advances them); `\restrict` lines carry a
    // random key per dump; rows are sorted, as their order on disk may change.
    return stdout
      .split("\n")
      .filter((line) => !/^(SELECT pg_catalog\.setval|--|\\(un)?restrict )/.test(line))
      .sort()
      .join("\n");
  },
  async release() {
    const cluster = started;
    started = undefined;
    await (await cluster?.catch(() => undefined))?.stop();
  },
};

/** The registry backends every shared registry, query and butler suite runs on. */
export const REGISTRY_BACKENDS: readonly RegistryBackend[] = [sqliteBackend, postgresBackend];

/** The backend called `name`. */
export function registryBackend(name: RegistryBackend["name"]): RegistryBackend {
  return REGISTRY_BACKENDS.find((backend) => backend.name === name) as RegistryBackend;
}

/**
 * One `describe` block per registry backend, `name [sqlite]` and `name [postgresql]`: skipped, saying why,
 * where the backend cannot run (or, with `fixtures`, daf_butler's fixtures are absent). The PostgreSQL
 * cluster is stopped after the block.
 */
export function describeEachBackend(
  name: string,
  body: (backend: RegistryBackend) => void,
  options: { readonly fixtures?: boolean } = {},
): void {
  for (const backend of REGISTRY_BACKENDS) {
    const title = `${name} [${backend.name}]`;
    if (backend.unavailable !== undefined) {
      describe.skip(`${title} [skipped: ${backend.unavailable}]`, () => body(backend));
      continue;
    }
    const block = () => {
      afterAll(() => backend.release());
      body(backend);
    };
    if (options.fixtures === true) describeWithFixtures(title, block);
    else describe(title, block);
  }
}
