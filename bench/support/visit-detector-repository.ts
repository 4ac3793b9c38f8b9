import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import type { Registry } from "../../src/registry/registry.ts";
import { createRepository } from "../../src/repository/create-repository.ts";

const scratch = mkdtempSync(join(tmpdir(), "butler-bench-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
let serial = 0;

/** A fresh path for a repository in the benchmarks' scratch directory (removed at exit). */
export const freshPath = (): string => join(scratch, `repo${++serial}`);

/** The visit × detector grid of the benchmark repositories. */
export interface Grid {
  readonly visits: number;
  readonly detectors: number;
}

/** The default grid: 1,000 visits × 100 detectors. */
export const GRID: Grid = { visits: 1000, detectors: 100 };

/** A repository with one instrument, `grid.visits` visits and `grid.detectors` detectors, and a `calexp` type. */
export async function visitDetectorRepository(
  grid: Grid = GRID,
): Promise<{ registry: Registry; path: string }> {
  const path = freshPath();
  const registry = await createRepository(path);
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
