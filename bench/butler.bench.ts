// Butler figures of issue 6: put (batched and one at a time), get by data ID, ingest (direct, copy), each
// beside the raw floor of the same bytes (write + rename, read + parse, stat, copy).
import { copyFileSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Butler, PutItem } from "../src/butler/butler.ts";
import { openButler } from "../src/butler/open-butler.ts";
import { newDatasetId } from "../src/datasets/dataset-id.ts";
import { DatasetRef } from "../src/datasets/dataset-ref.ts";
import { DatasetType } from "../src/datasets/dataset-type.ts";
import { standardizeDataId } from "../src/dimensions/standardize-data-id.ts";
import type { Comparison } from "./harness.ts";
import { freshPath, visitDetectorIds, visitDetectorRepository } from "./support/visit-detector-repository.ts";

const GRID = { visits: 100, detectors: 100 };
const COUNT = GRID.visits * GRID.detectors;
const ONE_AT_A_TIME = 1000;

function payload(i: number): Record<string, unknown> {
  return { index: i, seeing: 0.5 + (i % 100) / 100, flags: [i % 2 === 0, i % 3 === 0], label: `item ${i}` };
}

/** A repository with the grid's records and a `metrics` type (StructuredDataDict written as JSON). */
async function metricsRepository(): Promise<string> {
  const { registry, path } = await visitDetectorRepository(GRID);
  await registry.datasetTypes.register(
    DatasetType.make(registry.universe, {
      name: "metrics",
      dimensions: ["visit", "detector"],
      storageClass: "StructuredDataDict",
    }),
  );
  await registry.close();
  const config = readFileSync(join(path, "butler.yaml"), "utf8").replace(
    "datastore:\n",
    "datastore:\n  formatters:\n    metrics: lsst.daf.butler.formatters.json.JsonFormatter\n",
  );
  writeFileSync(join(path, "butler.yaml"), config);
  return path;
}

/** Raw floor of a put: write the same JSON bytes to a temp name and rename, into a fresh directory. */
function rawWrites(count: number): () => void {
  let round = 0;
  const scratch = freshPath();
  return () => {
    const dir = join(scratch, String(round++));
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < count; i++) {
      const target = join(dir, `m${i}.json`);
      writeFileSync(`${target}.tmp`, JSON.stringify(payload(i)));
      renameSync(`${target}.tmp`, target);
    }
  };
}

async function putFigures(repo: string): Promise<Comparison[]> {
  const butler = await openButler(repo, { writeable: true });
  const ids = visitDetectorIds(GRID);
  let run = 0;
  const items = (n: number): PutItem[] =>
    ids.slice(0, n).map((dataId, i) => ({ object: payload(i), datasetType: "metrics", dataId }));
  const batch = items(COUNT);
  const single = items(ONE_AT_A_TIME);
  return [
    {
      figure: `put ${COUNT.toLocaleString("en-US")} small dicts (JSON) in one putMany`,
      itemsPerCall: COUNT,
      iterations: 3,
      timeMs: 1,
      butler: {
        name: "butler.putMany",
        run: async () => {
          const name = `bench/batch${run++}`;
          await butler.registry.collections.register(name, "RUN");
          await butler.putMany(batch, { run: name });
        },
      },
      floor: { name: "writeFileSync(tmp) + renameSync", run: rawWrites(COUNT) },
    },
    {
      figure: `put ${ONE_AT_A_TIME.toLocaleString("en-US")} small dicts (JSON) one at a time`,
      itemsPerCall: ONE_AT_A_TIME,
      iterations: 3,
      timeMs: 1,
      butler: {
        name: "butler.put each",
        run: async () => {
          const name = `bench/single${run++}`;
          await butler.registry.collections.register(name, "RUN");
          for (const item of single)
            await butler.put(item.object, item.datasetType, item.dataId, { run: name });
        },
      },
      floor: { name: "writeFileSync(tmp) + renameSync", run: rawWrites(ONE_AT_A_TIME) },
    },
  ];
}

async function getFigures(repo: string): Promise<Comparison> {
  const writer = await openButler(repo, { run: "bench/get" });
  const ids = visitDetectorIds(GRID);
  const refs = await writer.putMany(
    ids.map((dataId, i) => ({ object: payload(i), datasetType: "metrics", dataId })),
  );
  const paths = await Promise.all(refs.map(async (r) => (await writer.getURI(r)).localPath as string));
  const butler: Butler = await openButler(repo, { collections: "bench/get" });
  return {
    figure: `get ${COUNT.toLocaleString("en-US")} small dicts (JSON) by data ID, one at a time`,
    itemsPerCall: COUNT,
    iterations: 3,
    timeMs: 1,
    butler: {
      name: "butler.get(type, dataId)",
      run: async () => {
        for (const dataId of ids) await butler.get("metrics", dataId);
      },
    },
    floor: {
      name: "readFileSync + JSON.parse",
      run: () => {
        for (const path of paths) JSON.parse(readFileSync(path, "utf8"));
      },
    },
  };
}

async function ingestFigures(repo: string): Promise<Comparison[]> {
  const butler = await openButler(repo, { writeable: true });
  const type = await butler.registry.datasetTypes.get("metrics");
  const source = freshPath();
  mkdirSync(source, { recursive: true });
  const files = visitDetectorIds(GRID).map((dataId, i) => {
    const path = join(source, `m${i}.json`);
    writeFileSync(path, JSON.stringify(payload(i)));
    return { path, dataId: standardizeDataId(butler.universe, dataId, { dimensions: type.dimensions }) };
  });
  let run = 0;
  const ingest = (transfer: "direct" | "copy") => async () => {
    const name = `bench/ingest-${transfer}${run++}`;
    await butler.ingest(
      files.map((f) => ({ path: f.path, refs: [new DatasetRef(newDatasetId(), type, f.dataId, name)] })),
      { transfer },
    );
  };
  let copies = 0;
  return [
    {
      figure: `ingest ${COUNT.toLocaleString("en-US")} JSON files, --transfer direct`,
      itemsPerCall: COUNT,
      iterations: 3,
      timeMs: 1,
      butler: { name: "butler.ingest(direct)", run: ingest("direct") },
      floor: {
        name: "statSync of each file",
        run: () => {
          for (const f of files) statSync(f.path);
        },
      },
    },
    {
      figure: `ingest ${COUNT.toLocaleString("en-US")} JSON files, --transfer copy`,
      itemsPerCall: COUNT,
      iterations: 3,
      timeMs: 1,
      butler: { name: "butler.ingest(copy)", run: ingest("copy") },
      floor: {
        name: "copyFileSync of each file",
        run: () => {
          const dir = join(source, `copy${copies++}`);
          mkdirSync(dir);
          for (const [i, f] of files.entries()) copyFileSync(f.path, join(dir, `m${i}.json`));
        },
      },
    },
  ];
}

/** Butler figures of issue 6. */
export async function comparisons(): Promise<Comparison[]> {
  const repo = await metricsRepository();
  return [...(await putFigures(repo)), await getFigures(repo), ...(await ingestFigures(repo))];
}
