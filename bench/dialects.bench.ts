// SQLite and PostgreSQL side by side (`npm run bench -- dialects`), each beside its raw floor: the same
// rows or query straight through the driver (node:sqlite or pg), one multi-row INSERT statement per table
// with the values written into the SQL, or one SELECT read a page at a time.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { newDatasetId } from "../src/datasets/dataset-id.ts";
import { DatasetType } from "../src/datasets/dataset-type.ts";
import { DimensionRecord } from "../src/dimensions/dimension-record.ts";
import { postgresDialect } from "../src/registry/sql/dialects/postgres/postgres-dialect.ts";
import { sqliteDialect } from "../src/registry/sql/dialects/sqlite/sqlite-dialect.ts";
import { RecordCodec } from "../src/registry/sql/record-codec.ts";
import { importExportFile } from "../src/repository/import-repository.ts";
import type { ExportedDimensionRecords } from "../src/transfers/export-document.ts";
import { migrateExportDocument } from "../src/transfers/migrate-export.ts";
import { parseExportDocument } from "../src/transfers/read-export.ts";
import type { Comparison } from "./harness.ts";
import {
  type BenchDialect,
  benchDialects,
  type DialectRepository,
  stopBenchCluster,
} from "./support/dialect-repositories.ts";
import { HSC_EXPORT } from "./support/fixtures.ts";
import {
  firstByRank,
  populateVisitDetectorGrid,
  streamGridDataIds,
  visitDetectorIds,
} from "./support/visit-detector-repository.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const WRITER = join(ROOT, "test", "support", "concurrent-writer.ts");
const RAW_WRITER = join(ROOT, "bench", "support", "raw-writer.ts");

/** Visits of the chain figure (× 100 detectors × 10 runs datasets); 1,000 makes the 1,000,000 of issue 8. */
const CHAIN_VISITS = Number(process.env.BENCH_CHAIN_VISITS ?? 1000);
/** Datasets each of the 4 concurrent writers inserts, in transactions of `WRITER_BATCH`. */
const PER_WRITER = 5000;
const WRITER_BATCH = 100;

const dialectOf = (d: BenchDialect) => (d.name === "sqlite" ? sqliteDialect : postgresDialect);

async function collectionId(repo: DialectRepository, name: string): Promise<number> {
  const [row] = await repo.raw.query(
    `SELECT collection_id FROM collection WHERE name = ${repo.placeholder(1)}`,
    [name],
  );
  return Number(row?.collection_id);
}

async function bulkInsert(d: BenchDialect): Promise<Comparison> {
  const repo = await d.fresh();
  const { registry, raw, literal } = repo;
  const grid = { visits: 1000, detectors: 100 };
  await populateVisitDetectorGrid(registry, grid);
  const dataIds = visitDetectorIds(grid);
  const [type] = await raw.query("SELECT id, tag_association_table FROM dataset_type WHERE name = 'calexp'");
  const typeId = Number(type?.id);
  const tags = String(type?.tag_association_table);
  let serial = 0;
  let butlerRun = "";
  let floorScript = "";
  return {
    figure: `[${d.name}] bulk insert of 100,000 visit×detector datasets into a RUN`,
    itemsPerCall: dataIds.length,
    iterations: 3,
    timeMs: 1,
    butler: {
      name: "registry.datasets.insert",
      beforeEach: async () => {
        butlerRun = `bulk/${++serial}`;
        await registry.collections.register(butlerRun, "RUN");
      },
      run: async () => {
        const refs = await registry.datasets.insert("calexp", dataIds, butlerRun);
        if (refs.length !== dataIds.length) throw new Error(`inserted ${refs.length}`);
      },
    },
    floor: {
      name: "one multi-row INSERT per table (dataset, tags), literal values",
      beforeEach: async () => {
        const run = `raw/${++serial}`;
        await registry.collections.register(run, "RUN");
        const runId = await collectionId(repo, run);
        await raw.exec(
          `INSERT INTO collection_summary_dataset_type VALUES (${runId}, ${typeId}); INSERT INTO collection_summary_instrument VALUES (${runId}, 'HSC')`,
        );
        const ids = dataIds.map(() => literal(dialectOf(d).encodeUuid(newDatasetId())));
        floorScript = [
          d.name === "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN",
          `INSERT INTO dataset (id, dataset_type_id, ingest_date, run_id) VALUES ${ids.map((id) => `(${id}, ${typeId}, 0, ${runId})`).join(", ")}`,
          `INSERT INTO ${tags} (dataset_type_id, dataset_id, collection_id, instrument, detector, visit) VALUES ${dataIds.map((dataId, i) => `(${typeId}, ${ids[i]}, ${runId}, 'HSC', ${dataId.detector}, ${dataId.visit})`).join(", ")}`,
          "COMMIT",
        ].join(";\n");
      },
      run: () => raw.exec(floorScript),
    },
  };
}

async function importHsc(d: BenchDialect): Promise<Comparison> {
  const parsed = parseExportDocument(readFileSync(HSC_EXPORT, "utf8"), HSC_EXPORT);
  let current: DialectRepository | undefined;
  let script = "";
  const replace = async () => {
    await current?.registry.close();
    await current?.raw.close();
    current = await d.fresh();
    return current;
  };
  const probe = await replace();
  const { document } = migrateExportDocument(parsed, probe.registry.universe);
  const records = document.items
    .filter((item): item is ExportedDimensionRecords => item.type === "dimension")
    .sort(
      (a, b) =>
        probe.registry.universe.getElementIndex(a.element) -
        probe.registry.universe.getElementIndex(b.element),
    );
  const counted = records.reduce((n, item) => n + item.records.length, 0);
  return {
    figure: `[${d.name}] import hsc-rc2-subset.yaml (${counted.toLocaleString("en")} dimension records)`,
    iterations: 3,
    timeMs: 1,
    butler: {
      name: "importExportFile (read, parse, migrate, insert)",
      beforeEach: replace,
      run: () =>
        importExportFile((current as DialectRepository).registry, HSC_EXPORT, { withoutDatastore: true }),
    },
    floor: {
      name: "one multi-row INSERT per element table, records pre-converted",
      beforeEach: async () => {
        const repo = await replace();
        const statements = records
          .filter((item) => item.records.length > 0)
          .map((item) => {
            const codec = new RecordCodec(repo.registry.universe.element(item.element), dialectOf(d));
            const rows = item.records.map(
              (r) => `(${codec.toRow(DimensionRecord.make(codec.element, r)).map(repo.literal).join(", ")})`,
            );
            return `INSERT INTO "${item.element}" (${codec.columns.map((c) => `"${c}"`).join(", ")}) VALUES ${rows.join(", ")}`;
          });
        script = [d.name === "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN", ...statements, "COMMIT"].join(";\n");
      },
      run: () => (current as DialectRepository).raw.exec(script),
    },
  };
}

async function findInChain(d: BenchDialect): Promise<Comparison> {
  const repo = await d.fresh();
  const { registry, raw, placeholder: p } = repo;
  const grid = { visits: CHAIN_VISITS, detectors: 100 };
  await populateVisitDetectorGrid(registry, grid);
  const dataIds = visitDetectorIds(grid);
  const runs = Array.from({ length: 10 }, (_, i) => `chain/run${i}`);
  const started = performance.now();
  for (const run of runs) {
    await registry.collections.register(run, "RUN");
    await registry.datasets.insert("calexp", dataIds, run);
  }
  await registry.collections.register("chain", "CHAINED");
  await registry.collections.setChain("chain", runs);
  if (d.name === "postgresql") await raw.exec("ANALYZE");
  const total = dataIds.length * runs.length;
  console.log(
    `(${d.name}: ${total.toLocaleString("en")} datasets for the chain figure built in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  const [type] = await raw.query("SELECT id, tag_association_table FROM dataset_type WHERE name = 'calexp'");
  const ids: number[] = [];
  for (const run of runs) ids.push(await collectionId(repo, run)); // one client: one query at a time
  const rank = new Map(ids.map((id, i) => [id, i]));
  const select = `SELECT dataset_id, collection_id FROM ${type?.tag_association_table} WHERE dataset_type_id = ${Number(type?.id)} AND instrument = ${p(1)} AND detector = ${p(2)} AND visit = ${p(3)} AND collection_id IN (${ids.join(", ")})`;
  let n = 0;
  const next = () => {
    n = (n * 7919 + 104729) % dataIds.length;
    return dataIds[n] as (typeof dataIds)[0];
  };
  return {
    figure: `[${d.name}] findDataset through a 10-collection chain over ${total.toLocaleString("en")} datasets`,
    latency: true,
    timeMs: 2000,
    butler: {
      name: "registry.datasets.find",
      run: () => registry.datasets.find("calexp", next(), { collections: ["chain"] }),
    },
    floor: {
      name: "SELECT on the tags table through the driver, first by rank",
      run: async () => {
        const dataId = next();
        const rows = await raw.query(select, [dataId.instrument, dataId.detector, dataId.visit]);
        return firstByRank(rows, rank);
      },
    },
  };
}

async function streamDataIds(d: BenchDialect): Promise<Comparison> {
  const { registry, raw, placeholder: p } = await d.fresh();
  const grid = { visits: 2000, detectors: 100 };
  await populateVisitDetectorGrid(registry, grid);
  const rows = grid.visits * grid.detectors;
  const select = `SELECT d.instrument, d.id AS detector, v.id AS visit, f.band, v.day_obs, v.physical_filter FROM detector d JOIN visit v ON v.instrument = d.instrument JOIN physical_filter f ON f.instrument = v.instrument AND f.name = v.physical_filter WHERE d.instrument = ${p(1)}`;
  return {
    figure: `[${d.name}] stream ${rows.toLocaleString("en")} visit×detector data IDs`,
    itemsPerCall: rows,
    iterations: 3,
    timeMs: 1,
    butler: {
      name: 'for await (registry.query().dataIds(["visit", "detector"]))',
      run: () => streamGridDataIds(registry, rows),
    },
    floor: {
      name: "the same join through the driver, a page (cursor) at a time",
      run: async () => {
        const count = await raw.stream(select, ["HSC"]);
        if (count !== rows) throw new Error(`read ${count} rows, expected ${rows}`);
      },
    },
  };
}

/** Start processes that print `ready` once prepared; resolves with them when all are. */
async function startReady(script: string, tasks: readonly object[]): Promise<ChildProcess[]> {
  return Promise.all(
    tasks.map(
      (task) =>
        new Promise<ChildProcess>((resolve, reject) => {
          const child = spawn(process.execPath, [script, JSON.stringify(task)], {
            stdio: ["pipe", "pipe", "pipe"],
          });
          let stderr = "";
          child.stderr?.on("data", (chunk) => (stderr += String(chunk)));
          child.stdout?.once("data", () => resolve(child));
          child.once("exit", (code) => {
            if (code !== 0) reject(new Error(`${script} exited with ${code}: ${stderr}`));
          });
        }),
    ),
  );
}

/** Let the processes go and wait for all of them to finish. */
function release(children: readonly ChildProcess[]): Promise<unknown> {
  return Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve, reject) => {
          child.once("exit", (code) =>
            code === 0 ? resolve() : reject(new Error(`writer exited with ${code}`)),
          );
          child.stdin?.end("go\n");
        }),
    ),
  );
}

async function concurrentWriters(d: BenchDialect): Promise<Comparison> {
  const repo = await d.fresh();
  const { registry, raw } = repo;
  await registry.dimensions.insert("instrument", [{ name: "Cam1" }]);
  await registry.dimensions.insert(
    "detector",
    Array.from({ length: PER_WRITER }, (_, id) => ({ instrument: "Cam1", id, full_name: `D${id}` })),
  );
  await registry.datasetTypes.register(
    DatasetType.make(registry.universe, { name: "bias", dimensions: ["detector"], storageClass: "Exposure" }),
  );
  const [type] = await raw.query("SELECT id, tag_association_table FROM dataset_type WHERE name = 'bias'");
  const detectors = Array.from({ length: PER_WRITER }, (_, i) => i);
  let serial = 0;
  let children: ChildProcess[] = [];
  return {
    figure: `[${d.name}] 4 writer processes, ${PER_WRITER.toLocaleString("en")} datasets each in transactions of ${WRITER_BATCH} (total rate)`,
    itemsPerCall: 4 * PER_WRITER,
    iterations: 3,
    timeMs: 1,
    butler: {
      name: "4 × registry.datasets.insert in its own process",
      beforeEach: async () => {
        const round = ++serial;
        children = await startReady(
          WRITER,
          [0, 1, 2, 3].map((i) => ({
            registry: repo.spec,
            run: `writers/${round}/${i}`,
            detectors,
            batch: WRITER_BATCH,
            waitForGo: true,
          })),
        );
      },
      run: () => release(children),
    },
    floor: {
      name: "4 processes, multi-row INSERTs through the driver",
      beforeEach: async () => {
        const round = ++serial;
        const tasks = [];
        for (const i of [0, 1, 2, 3]) {
          const run = `raw-writers/${round}/${i}`;
          await registry.collections.register(run, "RUN");
          const runId = await collectionId(repo, run);
          await raw.exec(
            `INSERT INTO collection_summary_dataset_type VALUES (${runId}, ${Number(type?.id)}); INSERT INTO collection_summary_instrument VALUES (${runId}, 'Cam1')`,
          );
          tasks.push({
            registry: repo.spec,
            runId,
            typeId: Number(type?.id),
            tagTable: String(type?.tag_association_table),
            detectors,
            batch: WRITER_BATCH,
          });
        }
        children = await startReady(RAW_WRITER, tasks);
      },
      run: () => release(children),
    },
  };
}

/** Figures of issue 8, for each dialect: bulk insert, import, find-first through a chain, streaming, writers. */
/** Stop the PostgreSQL cluster the comparisons started. */
export const cleanup = stopBenchCluster;

export async function comparisons(): Promise<Comparison[]> {
  const list: Comparison[] = [];
  for (const d of benchDialects()) {
    // The writers first: after the big inserts, PostgreSQL's autovacuum competes for the CPU a while.
    list.push(await concurrentWriters(d));
    if (existsSync(HSC_EXPORT)) list.push(await importHsc(d));
    list.push(await streamDataIds(d));
    list.push(await bulkInsert(d));
    list.push(await findInChain(d));
  }
  if (!existsSync(HSC_EXPORT)) console.log(`(import figures skipped: ${HSC_EXPORT} not found)`);
  return list;
}
