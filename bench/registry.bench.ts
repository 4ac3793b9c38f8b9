import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { newDatasetId } from "../src/datasets/dataset-id.ts";
import { DimensionRecord } from "../src/dimensions/dimension-record.ts";
import type { Registry } from "../src/registry/registry.ts";
import { sqliteDialect } from "../src/registry/sql/dialects/sqlite/sqlite-dialect.ts";
import { RecordCodec } from "../src/registry/sql/record-codec.ts";
import { createRepository } from "../src/repository/create-repository.ts";
import { importExportFile } from "../src/repository/import-repository.ts";
import type { ExportedDimensionRecords } from "../src/transfers/export-document.ts";
import { migrateExportDocument } from "../src/transfers/migrate-export.ts";
import { parseExportDocument } from "../src/transfers/read-export.ts";
import type { Comparison } from "./harness.ts";
import { compiledButler, nodeStart } from "./support/compiled-cli.ts";
import { HSC_EXPORT } from "./support/fixtures.ts";
import {
  chainLookups,
  freshPath,
  visitDetectorIds,
  visitDetectorRepository,
} from "./support/visit-detector-repository.ts";

async function bulkInsert(): Promise<Comparison> {
  const { registry, path } = await visitDetectorRepository();
  const dataIds = visitDetectorIds();
  const raw = new DatabaseSync(join(path, "gen3.sqlite3"), { timeout: 5_000 });
  const insertDataset = raw.prepare(
    "INSERT INTO dataset (id, dataset_type_id, ingest_date, run_id) VALUES (?, ?, ?, ?)",
  );
  const insertTag = raw.prepare(
    "INSERT INTO dataset_tags_00000001 (dataset_type_id, dataset_id, collection_id, instrument, detector, visit) VALUES (?, ?, ?, ?, ?, ?)",
  );
  let butlerRun = "";
  let floorRun = 0;
  let floorIds: string[] = [];
  let serial = 0;
  return {
    figure: "bulk insert of 100,000 visit×detector datasets into a RUN",
    itemsPerCall: dataIds.length,
    iterations: 3,
    timeMs: 1,
    butler: {
      name: "registry.datasets.insert",
      beforeEach: async () => {
        butlerRun = `bulk/${++serial}`;
        await registry.collections.register(butlerRun, "RUN");
      },
      run: () => registry.datasets.insert("calexp", dataIds, butlerRun),
    },
    floor: {
      name: "node:sqlite prepared INSERTs of the same dataset and tag rows",
      beforeEach: async () => {
        const name = `raw/${++serial}`;
        await registry.collections.register(name, "RUN");
        floorRun = Number(
          raw.prepare("SELECT collection_id FROM collection WHERE name = ?").get(name)?.collection_id,
        );
        raw.prepare("INSERT INTO collection_summary_dataset_type VALUES (?, 1)").run(floorRun);
        raw.prepare("INSERT INTO collection_summary_instrument VALUES (?, 'HSC')").run(floorRun);
        floorIds = dataIds.map(() => newDatasetId().replaceAll("-", ""));
      },
      run: () => {
        raw.exec("BEGIN IMMEDIATE");
        try {
          for (let i = 0; i < dataIds.length; i++) {
            const d = dataIds[i] as (typeof dataIds)[0];
            const id = floorIds[i] as string;
            insertDataset.run(id, 1, 0, floorRun);
            insertTag.run(1, id, floorRun, d.instrument, d.detector, d.visit);
          }
          raw.exec("COMMIT");
        } catch (error) {
          raw.exec("ROLLBACK");
          throw error;
        }
      },
    },
  };
}

async function findInChain(): Promise<Comparison> {
  const { registry, next, floor } = await chainLookups();
  return {
    figure: "findDataset through a 10-collection chain over 1,000,000 datasets",
    latency: true,
    timeMs: 2000,
    butler: {
      name: "registry.datasets.find",
      run: () => registry.datasets.find("calexp", next(), { collections: ["chain"] }),
    },
    floor,
  };
}

async function importHsc(): Promise<Comparison[]> {
  const parsed = parseExportDocument(readFileSync(HSC_EXPORT, "utf8"), HSC_EXPORT);
  let registry: Registry | undefined;
  let floorDb: DatabaseSync | undefined;
  const probe = await createRepository(freshPath());
  const { document } = migrateExportDocument(parsed, probe.universe);
  const inserts = document.items
    .filter((item): item is ExportedDimensionRecords => item.type === "dimension")
    .sort((a, b) => probe.universe.getElementIndex(a.element) - probe.universe.getElementIndex(b.element))
    .map((item) => {
      const codec = new RecordCodec(probe.universe.element(item.element), sqliteDialect);
      const sql = `INSERT INTO "${item.element}" (${codec.columns.map((c) => `"${c}"`).join(", ")}) VALUES (${codec.columns.map(() => "?").join(", ")})`;
      return { sql, rows: item.records.map((r) => codec.toRow(DimensionRecord.make(codec.element, r))) };
    });
  await probe.close();
  const butler = compiledButler();
  let cliRepo = "";
  return [
    {
      figure: "import hsc-rc2-subset.yaml (784 KB) in-process",
      iterations: 5,
      timeMs: 1,
      butler: {
        name: "importExportFile (read, parse, migrate, insert)",
        beforeEach: async () => {
          await registry?.close();
          registry = await createRepository(freshPath());
        },
        run: () => importExportFile(registry as Registry, HSC_EXPORT, { withoutDatastore: true }),
      },
      floor: {
        name: "node:sqlite prepared INSERTs of the same records, pre-converted",
        beforeEach: async () => {
          floorDb?.close();
          const path = freshPath();
          await (await createRepository(path)).close();
          floorDb = new DatabaseSync(join(path, "gen3.sqlite3"));
        },
        run: () => {
          const db = floorDb as DatabaseSync;
          db.exec("BEGIN IMMEDIATE");
          for (const { sql, rows } of inserts) {
            const statement = db.prepare(sql);
            for (const row of rows) statement.run(...(row as never[]));
          }
          db.exec("COMMIT");
        },
      },
    },
    {
      figure: "import hsc-rc2-subset.yaml from the CLI (compiled)",
      iterations: 5,
      timeMs: 1,
      butler: {
        name: "butler import REPO DIR --without-datastore",
        beforeEach: async () => {
          cliRepo = freshPath();
          await (await createRepository(cliRepo)).close();
        },
        run: () =>
          butler(
            "import",
            cliRepo,
            join(HSC_EXPORT, ".."),
            "--export-file",
            "hsc-rc2-subset.yaml",
            "--without-datastore",
          ),
      },
      floor: nodeStart,
    },
    {
      figure: "CLI start, butler --version (compiled)",
      iterations: 10,
      timeMs: 1,
      butler: { name: "butler --version", run: () => butler("--version") },
      floor: nodeStart,
    },
  ];
}

/** Registry figures of issue 4: bulk insert, import of hsc-rc2-subset, find-first through a chain. */
export async function comparisons(): Promise<Comparison[]> {
  const list = [await bulkInsert(), await findInChain()];
  if (existsSync(HSC_EXPORT)) list.push(...(await importHsc()));
  else console.log(`(import figures skipped: ${HSC_EXPORT} not found)`);
  return list;
}
