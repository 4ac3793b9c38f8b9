import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import { defaultUniverse } from "../../src/dimensions/default-universe.ts";
import type { Registry } from "../../src/registry/registry.ts";
import { openPostgresDatabase } from "../../src/registry/sql/dialects/postgres/postgres-database.ts";
import { postgresDialect } from "../../src/registry/sql/dialects/postgres/postgres-dialect.ts";
import { openSqliteDatabase } from "../../src/registry/sql/dialects/sqlite/sqlite-database.ts";
import { sqliteDialect } from "../../src/registry/sql/dialects/sqlite/sqlite-dialect.ts";
import { createSqlRegistry, openSqlRegistry } from "../../src/registry/sql/sql-registry.ts";
import { openTaskDatabase, type WriterReport, type WriterTask } from "../support/concurrent-writer.ts";
import {
  type PostgresCluster,
  postgresUnavailableReason,
  startPostgresCluster,
} from "../support/postgres-cluster.ts";
import { REPO_ROOT } from "../support/shared-fixtures.ts";
import { tempDir } from "../support/temp-repo.ts";

const WRITER = join(REPO_ROOT, "test", "support", "concurrent-writer.ts");
const DETECTORS = 200;

/** Run one writer process; resolves with its report, or rejects with its stderr when it failed. */
function writer(task: WriterTask): Promise<WriterReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, JSON.stringify(task)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += String(chunk)));
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    child.on("close", (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as WriterReport);
      else reject(new Error(`writer of ${task.run} exited with ${code}:\n${stderr}`));
    });
  });
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/** A registry to write into concurrently: where it is (for the writers) and how to remove it. */
interface Backend {
  readonly spec: string;
  stop(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const dir = tempDir();
  const file = join(dir.path, "gen3.sqlite3");
  const registry = await createSqlRegistry(
    await openSqliteDatabase(file, sqliteDialect, { create: true }),
    defaultUniverse(),
  );
  await populate(registry);
  return { spec: `sqlite:${file}`, stop: async () => dir.cleanup() };
}

async function postgresBackend(): Promise<Backend> {
  const cluster: PostgresCluster = await startPostgresCluster();
  try {
    await cluster.psql("-c", "CREATE EXTENSION btree_gist");
    const db = await openPostgresDatabase(cluster.url, postgresDialect, {
      namespace: "shared",
      create: true,
    });
    await populate(await createSqlRegistry(db, defaultUniverse()));
    return { spec: `postgresql:${cluster.url}#shared`, stop: () => cluster.stop() };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

async function populate(registry: Registry): Promise<void> {
  try {
    await registry.dimensions.insert("instrument", [{ name: "Cam1" }]);
    await registry.dimensions.insert(
      "detector",
      range(0, DETECTORS).map((id) => ({ instrument: "Cam1", id, full_name: `D${id}` })),
    );
    await registry.datasetTypes.register(
      DatasetType.make(registry.universe, {
        name: "bias",
        dimensions: ["detector"],
        storageClass: "Exposure",
      }),
    );
  } finally {
    await registry.close();
  }
}

const unavailable = postgresUnavailableReason();

describe.each([
  { dialect: "SQLite (WAL, busy timeout)", start: sqliteBackend, skip: undefined },
  { dialect: "PostgreSQL", start: postgresBackend, skip: unavailable },
])("4 processes writing one registry on $dialect", ({ dialect, start, skip }) => {
  let backend: Backend;

  beforeAll(async () => {
    if (skip === undefined) backend = await start();
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
  });

  /** Every dataset of a RUN as `detector id` lines, read by a fresh registry. */
  async function stored(run: string): Promise<string[]> {
    const registry = await openSqlRegistry(await openTaskDatabase(backend.spec));
    try {
      const refs = await registry.queryDatasets("bias", { collections: [run] });
      return refs.map((ref) => `${ref.dataId.get("detector")} ${ref.id}`).sort();
    } finally {
      await registry.close();
    }
  }

  const reported = (reports: readonly WriterReport[]) =>
    reports.flatMap((r) => r.inserted.map((d) => `${d.detector} ${d.id}`)).sort();

  it.skipIf(skip !== undefined)(
    `distinct RUNs: every dataset of every process is there${skip === undefined ? "" : ` [skipped: ${skip}]`}`,
    async () => {
      const tasks = range(0, 4).map((i) => ({
        registry: backend.spec,
        run: `run/a${i}`,
        detectors: range(0, 50),
        batch: 5,
        seed: i + 1,
      }));
      const reports = await Promise.all(tasks.map(writer));
      for (const [i, report] of reports.entries()) {
        expect(report.conflicts, dialect).toEqual([]);
        expect(await stored(`run/a${i}`)).toEqual(reported([report]));
        expect(report.inserted).toHaveLength(50);
      }
    },
    120_000,
  );

  it.skipIf(skip !== undefined)(
    `one RUN, distinct data IDs: all 200 datasets are there${skip === undefined ? "" : ` [skipped: ${skip}]`}`,
    async () => {
      const reports = await Promise.all(
        range(0, 4).map((i) =>
          writer({
            registry: backend.spec,
            run: "run/b",
            detectors: range(i * 50, 50),
            batch: 5,
            seed: i + 7,
          }),
        ),
      );
      for (const report of reports) expect(report.conflicts).toEqual([]);
      expect(await stored("run/b")).toEqual(reported(reports));
      expect(reported(reports)).toHaveLength(200);
    },
    120_000,
  );

  it.skipIf(skip !== undefined)(
    `one RUN, the same data IDs: each lands once, the losers get ConflictingDefinitionError${skip === undefined ? "" : ` [skipped: ${skip}]`}`,
    async () => {
      const reports = await Promise.all(
        range(0, 4).map(() => writer({ registry: backend.spec, run: "run/c", detectors: range(0, 40) })),
      );
      const inserted = reported(reports);
      expect(await stored("run/c")).toEqual(inserted);
      expect(new Set(inserted.map((line) => line.split(" ")[0])).size).toBe(40);
      const conflicts = reports.flatMap((r) => r.conflicts);
      expect(inserted.length + conflicts.length).toBe(4 * 40);
      for (const conflict of conflicts) {
        expect(conflict.code).toBe("ConflictingDefinitionError");
        expect(conflict.message).toMatch(
          new RegExp(
            `RUN "run/c" already has a bias dataset with data ID \\{instrument: 'Cam1', detector: ${conflict.detectors[0]}\\}`,
          ),
        );
      }
    },
    120_000,
  );

  it.skipIf(skip !== undefined)(
    `the same data IDs in batches in different orders: nothing lost, no deadlock escapes${skip === undefined ? "" : ` [skipped: ${skip}]`}`,
    async () => {
      const reports = await Promise.all(
        range(0, 4).map((i) =>
          writer({
            registry: backend.spec,
            run: "run/d",
            detectors: range(0, 60),
            batch: 4,
            seed: 31 * (i + 1),
          }),
        ),
      );
      const inserted = reported(reports);
      // A batch is all or nothing: what is stored is exactly the batches that won.
      expect(await stored("run/d")).toEqual(inserted);
      expect(new Set(inserted.map((line) => line.split(" ")[0])).size).toBe(inserted.length);
      expect(inserted.length).toBeGreaterThan(0);
      for (const conflict of reports.flatMap((r) => r.conflicts)) {
        expect(conflict.code).toBe("ConflictingDefinitionError");
        expect(conflict.message).toContain('RUN "run/d" already has a bias dataset');
      }
    },
    120_000,
  );

  it.skipIf(skip !== undefined)(
    `the registry still works afterwards${skip === undefined ? "" : ` [skipped: ${skip}]`}`,
    async () => {
      const registry = await openSqlRegistry(await openTaskDatabase(backend.spec));
      try {
        await registry.collections.register("run/after", "RUN");
        const [ref] = await registry.datasets.insert(
          "bias",
          [{ instrument: "Cam1", detector: 3 }],
          "run/after",
        );
        const found = await registry.datasets.find(
          "bias",
          { instrument: "Cam1", detector: 3 },
          { collections: ["run/after", "run/c"] },
        );
        expect(found?.id).toBe(ref?.id);
        expect(await registry.collections.query(["run/*"])).toEqual([
          "run/a0",
          "run/a1",
          "run/a2",
          "run/a3",
          "run/after",
          "run/b",
          "run/c",
          "run/d",
        ]);
      } finally {
        await registry.close();
      }
    },
    60_000,
  );
});
