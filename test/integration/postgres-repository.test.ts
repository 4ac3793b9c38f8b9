import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { openButler } from "../../src/butler/open-butler.ts";
import { main } from "../../src/cli/main.ts";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import { ConfigError, DatabaseError, FileTemplateError } from "../../src/errors.ts";
import { openPostgresDatabase } from "../../src/registry/sql/dialects/postgres/postgres-database.ts";
import { postgresDialect } from "../../src/registry/sql/dialects/postgres/postgres-dialect.ts";
import { defaultButlerDocument } from "../../src/repository/butler-config.ts";
import { createRepository } from "../../src/repository/create-repository.ts";
import { importExportFile } from "../../src/repository/import-repository.ts";
import { openRegistry } from "../../src/repository/open-registry.ts";
import { captureStreams } from "../support/capture.ts";
import { rejection } from "../support/caught.ts";
import type { PostgresCluster } from "../support/postgres-cluster.ts";
import { registryBackend } from "../support/registry-backends.ts";
import { describeWithFixtures, fixturePath } from "../support/shared-fixtures.ts";
import { tempDir } from "../support/temp-repo.ts";

const postgres = registryBackend("postgresql");

async function butler(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureStreams();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

/** The schemas of the database at `url` whose names start with `prefix`. */
async function schemas(url: string, prefix: string): Promise<string[]> {
  const db = await openPostgresDatabase(url, postgresDialect, { readOnly: true });
  try {
    const rows = await db.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 ORDER BY nspname", [
      `${prefix}%`,
    ]);
    return rows.map((row) => String(row.nspname));
  } finally {
    await db.close();
  }
}

const describePostgres = postgres.unavailable === undefined ? describeWithFixtures : describe.skip;
const skipped = postgres.unavailable === undefined ? "" : ` [skipped: ${postgres.unavailable}]`;

describePostgres(`repositories with a PostgreSQL registry${skipped}`, () => {
  let cluster: PostgresCluster;
  let dir: { path: string; cleanup: () => void };
  /** A database of the cluster without the btree_gist extension. */
  let noGist: string;

  beforeAll(async () => {
    cluster = await postgres.cluster();
    await cluster.psql("-c", "CREATE DATABASE nogist");
    noGist = cluster.url.replace("/butler?", "/nogist?");
    dir = tempDir();
  });

  afterAll(async () => {
    dir?.cleanup();
    await postgres.release();
  });

  it("butler create --db --namespace puts the registry in that schema and the datastore in the repository", async () => {
    const repo = join(dir.path, "cli-repo");
    const created = await butler("create", repo, "--db", cluster.url, "--namespace", "cli_repo");
    expect(created, created.err).toMatchObject({ code: 0 });
    expect(created.out).toContain(`registry ${cluster.url} (schema "cli_repo")`);
    const document = parse(readFileSync(join(repo, "butler.yaml"), "utf8"));
    const defaults = defaultButlerDocument() as { registry: Record<string, unknown> };
    expect(document).toEqual({
      ...defaults,
      registry: { ...defaults.registry, db: cluster.url, namespace: "cli_repo" },
    });
    expect(Object.keys(document.registry).slice(0, 2)).toEqual(["db", "namespace"]);
    expect(readdirSync(repo)).toEqual(["butler.yaml"]);

    const imported = await butler(
      "import",
      repo,
      fixturePath("registry_data"),
      "--export-file",
      "base.yaml",
      "--without-datastore",
    );
    expect(imported, imported.err).toMatchObject({ code: 0 });
    const detectors = await butler("query-dimension-records", repo, "detector", "--format", "json");
    expect(JSON.parse(detectors.out).map((d: { id: number }) => d.id)).toEqual([1, 2, 3, 4]);

    const writer = await openButler(repo, { run: "u/me/run" });
    try {
      await writer.registry.datasetTypes.register(
        DatasetType.make(writer.registry.universe, {
          name: "notes",
          dimensions: ["instrument", "detector"],
          storageClass: "StructuredDataDict",
        }),
      );
      const ref = await writer.put({ seeing: 0.7 }, "notes", { instrument: "Cam1", detector: 1 });
      expect(await writer.get("notes", { instrument: "Cam1", detector: 1 })).toEqual({ seeing: 0.7 });
      expect((await writer.getURI(ref)).localPath?.startsWith(`${repo}/`)).toBe(true);
    } finally {
      await writer.close();
    }
    const found = await butler(
      "query-datasets",
      repo,
      "notes",
      "--collections",
      "u/me/run",
      "--format",
      "json",
    );
    expect(JSON.parse(found.out)).toHaveLength(1);
  });

  it("derives each repository's schema from its directory name, and refuses a schema holding a registry", async () => {
    const plain = await createRepository(join(dir.path, "plain_name"), { db: cluster.url });
    await plain.close();
    const first = await createRepository(join(dir.path, "a", "My-Repo"), { db: cluster.url });
    await first.close();
    const derived = parse(readFileSync(join(dir.path, "a", "My-Repo", "butler.yaml"), "utf8")).registry
      .namespace as string;
    expect(derived).toMatch(/^my_repo_[0-9a-f]{8}$/);
    expect(await schemas(cluster.url, "plain_name")).toEqual(["plain_name"]);
    expect(await schemas(cluster.url, "my_repo_")).toEqual([derived]);

    const again = await rejection(
      createRepository(join(dir.path, "b", "My-Repo"), { db: cluster.url }),
      ConfigError,
    );
    expect(again.message).toBe(
      `PostgreSQL schema "${derived}" of ${cluster.url} already holds a butler registry`,
    );
    expect(again.hint).toMatch(/--namespace/);
    expect(existsSync(join(dir.path, "b", "My-Repo"))).toBe(false);
    const other = await createRepository(join(dir.path, "b", "My-Repo"), {
      db: cluster.url,
      namespace: "my_repo_b",
    });
    await other.close();
  });

  it("refuses a namespace that is not an identifier, or without a PostgreSQL database", async () => {
    const bad = await rejection(
      createRepository(join(dir.path, "bad"), { db: cluster.url, namespace: "no-dashes" }),
      ConfigError,
    );
    expect(bad.message).toBe(
      'registry.namespace: PostgreSQL namespace "no-dashes" is not an identifier (letters, digits and _, not starting with a digit)',
    );
    const alone = await rejection(createRepository(join(dir.path, "bad"), { namespace: "ns" }), ConfigError);
    expect(alone.message).toBe('A namespace ("ns") needs a PostgreSQL registry database');
    const cli = await butler("create", join(dir.path, "bad"), "--namespace", "ns");
    expect(cli.code).toBe(1);
    expect(cli.err).toContain('error: A namespace ("ns") needs a PostgreSQL registry database');
    expect(existsSync(join(dir.path, "bad"))).toBe(false);
  });

  it("drops the schema it created when creating the repository fails", async () => {
    const seed = join(dir.path, "bad-template.yaml");
    await writeFile(seed, stringify({ datastore: { templates: { default: "{run}/{datasetType}/{visit" } } }));
    await rejection(
      createRepository(join(dir.path, "failed"), {
        db: cluster.url,
        namespace: "failed_repo",
        seedConfig: seed,
      }),
      FileTemplateError,
    );
    expect(await schemas(cluster.url, "failed_repo")).toEqual([]);
    expect(existsSync(join(dir.path, "failed"))).toBe(false);
  });

  /** A repository whose butler.yaml names `db` and `namespace`, without creating anything there. */
  async function configured(name: string, db: string, namespace?: string): Promise<string> {
    const root = join(dir.path, name);
    await mkdir(root);
    const document = defaultButlerDocument() as { registry: Record<string, unknown> };
    document.registry = { ...document.registry, db, ...(namespace === undefined ? {} : { namespace }) };
    await writeFile(join(root, "butler.yaml"), stringify(document));
    return root;
  }

  it("says which server, database or schema it cannot open, without the password", async () => {
    const unreachable = await configured(
      "unreachable",
      "postgresql://postgres:s3cret@/butler?host=/nonexistent-socket-dir",
      "main",
    );
    const noServer = await rejection(openRegistry(unreachable), DatabaseError);
    expect(noServer.message).toContain(
      'Cannot connect to PostgreSQL registry postgresql://postgres@/butler?host=/nonexistent-socket-dir (schema "main"):',
    );
    expect(noServer.message).not.toContain("s3cret");
    expect(noServer.hint).toMatch(/server is running/);

    const missingDb = cluster.url.replace("/butler?", "/missing?");
    const noDatabase = await rejection(
      openRegistry(await configured("nodb", missingDb, "main")),
      DatabaseError,
    );
    expect(noDatabase.message).toContain(
      `Cannot connect to PostgreSQL registry ${missingDb} (schema "main")`,
    );
    expect(noDatabase.message).toMatch(/database "missing" does not exist/);
    expect(noDatabase.hint).toMatch(/createdb/);

    const noSchema = await rejection(
      openButler(await configured("noschema", cluster.url, "absent")),
      DatabaseError,
    );
    expect(noSchema.message).toBe(
      `PostgreSQL registry ${cluster.url} (schema "absent"): schema "absent" does not exist`,
    );

    const viaCli = await butler("query-collections", join(dir.path, "noschema"));
    expect(viaCli.code).toBe(1);
    expect(viaCli.err).toContain('schema "absent" does not exist');
  });

  it("refuses a database without btree_gist, as daf_butler does, and leaves no schema behind", async () => {
    const error = await rejection(
      createRepository(join(dir.path, "gistless"), { db: noGist }),
      DatabaseError,
    );
    expect(error.message).toBe(
      `PostgreSQL registry ${noGist} (schema "gistless"): database "nogist" lacks the btree_gist extension, ` +
        "which the Butler PostgreSQL backend requires",
    );
    expect(error.hint).toBe(
      'Run "CREATE EXTENSION btree_gist;" in that database as a superuser (once per database).',
    );
    expect(await schemas(noGist, "gistless")).toEqual([]);
    expect(existsSync(join(dir.path, "gistless"))).toBe(false);
  });

  it("opens a schema with no registry in it as an incompatible repository", async () => {
    await cluster.psql("-c", "CREATE SCHEMA empty_schema");
    const error = await openRegistry(await configured("empty", cluster.url, "empty_schema")).catch((e) => e);
    expect(error.code).toBe("IncompatibleRepositoryError");
    expect(error.message).toBe(
      `${cluster.url} (schema "empty_schema") has no butler registry (no butler_attributes table)`,
    );
  });

  it("opens daf_butler's small_pg registry from a butler.yaml with postgresql+psycopg2:// and namespace", async () => {
    const small = await postgres.smallRepository();
    try {
      const path = join(small.path, "butler.yaml");
      const document = parse(readFileSync(path, "utf8"));
      document.registry.db = document.registry.db.replace("postgresql://", "postgresql+psycopg2://");
      await writeFile(path, stringify(document));
      const registry = await openRegistry(small.path);
      try {
        const refs = await registry.queryDatasets("bias", { collections: ["Cam1/defaults"] });
        expect(refs.map((ref) => [ref.dataId.get("detector"), ref.run]).sort()).toEqual([
          [1, "imported_g"],
          [2, "imported_r"],
          [3, "imported_r"],
          [4, "imported_r"],
        ]);
        expect(registry.isWriteable).toBe(false);
      } finally {
        await registry.close();
      }
    } finally {
      small.cleanup();
    }
  });

  it("reopens a repository it created there, with what was imported", async () => {
    const root = join(dir.path, "reopen");
    const registry = await createRepository(root, { db: cluster.url });
    try {
      await importExportFile(registry, fixturePath("registry_data", "base.yaml"), { withoutDatastore: true });
    } finally {
      await registry.close();
    }
    const reader = await openRegistry(root);
    try {
      expect((await reader.dimensions.fetchAll("detector")).length).toBe(4);
    } finally {
      await reader.close();
    }
  });
});
