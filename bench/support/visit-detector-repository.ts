import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import type { Registry } from "../../src/registry/registry.ts";
import { createRepository } from "../../src/repository/create-repository.ts";
import type { Workload } from "../harness.ts";

const scratch = mkdtempSync(join(tmpdir(), "butler-bench-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
let serial = 0;

/** A fresh path for a repository in the benchmarks' scratch directory (removed at exit). */
export const freshPath = (): string => join(scratch, `repo${++serial}`);

/** The row of the collection searched first (lowest rank), as a find-first lookup's raw floor picks it. */
export function firstByRank<R extends { readonly collection_id?: unknown }>(
  rows: readonly R[],
  rank: ReadonlyMap<number, number>,
): R | undefined {
  const rankOf = (row: R | undefined) => rank.get(Number(row?.collection_id)) ?? 0;
  return rows.reduce((best, row) => (rankOf(row) < rankOf(best) ? row : best), rows[0]);
}

/**
 * Stream the grid's visit × detector data IDs through the query API, checking that `expected` came.
 * @throws {Error} when another number of rows came.
 */
export async function streamGridDataIds(registry: Registry, expected: number): Promise<void> {
  let count = 0;
  for await (const _ of registry.query().dataIds(["visit", "detector"]).where("instrument = 'HSC'")) count++;
  if (count !== expected) throw new Error(`streamed ${count} rows, expected ${expected}`);
}

/** The visit × detector grid of the benchmark repositories. */
export interface Grid {
  readonly visits: number;
  readonly detectors: number;
}

/** The default grid: 1,000 visits × 100 detectors. */
export const GRID: Grid = { visits: 1000, detectors: 100 };

/** One instrument, `grid.visits` visits and `grid.detectors` detectors, and a `calexp` type, in `registry`. */
export async function populateVisitDetectorGrid(registry: Registry, grid: Grid = GRID): Promise<void> {
  await registry.dimensions.insert("instrument", [{ name: "HSC" }]);
  await registry.dimensions.insert("physical_filter", [{ instrument: "HSC", name: "HSC-R", band: "r" }]);
  await registry.dimensions.insert("day_obs", [{ instrument: "HSC", id: 20240101 }]);
  await registry.dimensions.insert(
    "detector",
    Array.from({ length: grid.detectors }, (_, id) => ({ instrument: "HSC", id, full_name: `D${id}` })),
  );
  await registry.dimensions.insert(
    "visit",
    Array.from({ length: grid.visits }, (_, id) => ({
      instrument: "HSC",
      id,
      physical_filter: "HSC-R",
      day_obs: 20240101,
      name: `V${id}`,
    })),
  );
  await registry.datasetTypes.register(
    DatasetType.make(registry.universe, {
      name: "calexp",
      dimensions: ["visit", "detector"],
      storageClass: "ExposureF",
    }),
  );
}

/** A new SQLite repository holding {@link populateVisitDetectorGrid}'s records. */
export async function visitDetectorRepository(
  grid: Grid = GRID,
): Promise<{ registry: Registry; path: string }> {
  const path = freshPath();
  const registry = await createRepository(path);
  await populateVisitDetectorGrid(registry, grid);
  return { registry, path };
}

/** Every data ID of the grid. */
export function visitDetectorIds(
  grid: Grid = GRID,
): { instrument: string; visit: number; detector: number }[] {
  const ids = [];
  for (let visit = 0; visit < grid.visits; visit++)
    for (let detector = 0; detector < grid.detectors; detector++)
      ids.push({ instrument: "HSC", visit, detector });
  return ids;
}

/** Names of the runs in the chain of {@link chainRepository}. */
export const CHAIN_RUNS = Array.from({ length: 10 }, (_, i) => `chain/run${i}`);

let chain: Promise<{ registry: Registry; path: string }> | undefined;

/**
 * The default grid's `calexp` datasets in each of 10 runs (1,000,000 datasets), chained as `chain`;
 * built once per benchmark process and shared.
 */
export function chainRepository(): Promise<{ registry: Registry; path: string }> {
  chain ??= (async () => {
    const built = await visitDetectorRepository();
    const dataIds = visitDetectorIds();
    for (const run of CHAIN_RUNS) {
      await built.registry.collections.register(run, "RUN");
      await built.registry.datasets.insert("calexp", dataIds, run);
    }
    await built.registry.collections.register("chain", "CHAINED");
    await built.registry.collections.setChain("chain", CHAIN_RUNS);
    return built;
  })();
  return chain;
}

/**
 * For the find-first figures on {@link chainRepository}: `next()` steps through the grid's data IDs in a
 * scattered order, and `floor` is the raw work of one lookup (a prepared SELECT on the tags table, then
 * the row of the first run in the chain).
 */
export async function chainLookups(): Promise<{
  registry: Registry;
  next: () => { instrument: string; visit: number; detector: number };
  floor: Workload;
}> {
  const { registry, path } = await chainRepository();
  const dataIds = visitDetectorIds();
  const raw = new DatabaseSync(join(path, "gen3.sqlite3"), { readOnly: true });
  const ids = CHAIN_RUNS.map((run) =>
    Number(raw.prepare("SELECT collection_id FROM collection WHERE name = ?").get(run)?.collection_id),
  );
  const select = raw.prepare(
    `SELECT dataset_id, collection_id FROM dataset_tags_00000001 WHERE dataset_type_id = 1 AND instrument = ? AND detector = ? AND visit = ? AND collection_id IN (${ids.join(", ")})`,
  );
  const rank = new Map(ids.map((id, i) => [id, i]));
  let n = 0;
  const next = () => {
    n = (n * 7919 + 104729) % dataIds.length;
    return dataIds[n] as (typeof dataIds)[0];
  };
  const floor: Workload = {
    name: "node:sqlite prepared SELECT on the tags table, first by rank",
    run: () => {
      const d = next();
      const rows = select.all(d.instrument, d.detector, d.visit);
      return firstByRank(rows, rank);
    },
  };
  return { registry, next, floor };
}
