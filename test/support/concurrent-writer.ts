// A child process for the multi-process write tests: inserts `bias` datasets into one RUN of a registry
// in many small transactions (batches of data IDs, in an order shuffled by a seed), so that its writes
// interleave with the other processes'. Conflicts (the data ID is already in the RUN) are expected and
// recorded; anything else fails the process. Prints one JSON line: what it inserted and what it lost.
//
//   node concurrent-writer.ts '{"registry": "sqlite:/repo/gen3.sqlite3" | "postgresql:URL#namespace",
//                               "run": "run/a", "detectors": [0, 1, ...], "batch": 4, "seed": 7}'

import { ConflictingDefinitionError } from "../../src/errors.ts";
import type { Registry } from "../../src/registry/registry.ts";
import type { Database } from "../../src/registry/sql/database.ts";
import { openPostgresDatabase } from "../../src/registry/sql/dialects/postgres/postgres-database.ts";
import { postgresDialect } from "../../src/registry/sql/dialects/postgres/postgres-dialect.ts";
import { openSqliteDatabase } from "../../src/registry/sql/dialects/sqlite/sqlite-database.ts";
import { sqliteDialect } from "../../src/registry/sql/dialects/sqlite/sqlite-dialect.ts";
import { openSqlRegistry } from "../../src/registry/sql/sql-registry.ts";

/** What one writer process is asked to do. */
export interface WriterTask {
  /** `sqlite:PATH` of the registry file, or `postgresql:URL#NAMESPACE`. */
  readonly registry: string;
  readonly run: string;
  readonly detectors: readonly number[];
  /** Data IDs per transaction (default 1). */
  readonly batch?: number;
  /** Shuffles the order of the detectors (default: as given). */
  readonly seed?: number;
  /** Dataset type to write (default `bias`, dimensions instrument + detector). */
  readonly datasetType?: string;
  /** Open the registry, print `ready`, and start writing only when a line arrives on stdin (benchmarks). */
  readonly waitForGo?: boolean;
}

/** What one writer process reports. */
export interface WriterReport {
  readonly inserted: { readonly id: string; readonly detector: number }[];
  readonly conflicts: { readonly code: string; readonly message: string; readonly detectors: number[] }[];
}

/** Open the database a task's `registry` names. */
export async function openTaskDatabase(registry: string): Promise<Database> {
  if (registry.startsWith("sqlite:")) {
    return openSqliteDatabase(registry.slice("sqlite:".length), sqliteDialect, { busyTimeoutMs: 10_000 });
  }
  const hash = registry.lastIndexOf("#");
  return openPostgresDatabase(registry.slice("postgresql:".length, hash), postgresDialect, {
    namespace: registry.slice(hash + 1),
    poolSize: 2,
  });
}

function shuffled(values: readonly number[], seed: number | undefined): number[] {
  const out = [...values];
  if (seed === undefined) return out;
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}

async function write(registry: Registry, task: WriterTask): Promise<WriterReport> {
  const report: WriterReport = { inserted: [], conflicts: [] };
  await registry.collections.register(task.run, "RUN");
  const order = shuffled(task.detectors, task.seed);
  const batch = Math.max(1, task.batch ?? 1);
  for (let start = 0; start < order.length; start += batch) {
    const detectors = order.slice(start, start + batch);
    try {
      const refs = await registry.datasets.insert(
        task.datasetType ?? "bias",
        detectors.map((detector) => ({ instrument: "Cam1", detector })),
        task.run,
      );
      for (const ref of refs)
        report.inserted.push({ id: ref.id, detector: Number(ref.dataId.get("detector")) });
    } catch (error) {
      if (!(error instanceof ConflictingDefinitionError)) throw error;
      report.conflicts.push({ code: error.code, message: error.message, detectors });
    }
  }
  return report;
}

/** Resolves at the first line on stdin. */
function go(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.once("data", () => {
      process.stdin.pause();
      resolve();
    });
  });
}

if (process.argv[2] !== undefined) {
  const task = JSON.parse(process.argv[2]) as WriterTask;
  const registry = await openSqlRegistry(await openTaskDatabase(task.registry));
  try {
    if (task.waitForGo === true) {
      process.stdout.write("ready\n");
      await go();
    }
    process.stdout.write(`${JSON.stringify(await write(registry, task))}\n`);
  } finally {
    await registry.close();
  }
}
