import { existsSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { DatasetType } from "../src/datasets/dataset-type.ts";
import { defaultUniverse } from "../src/dimensions/default-universe.ts";
import { buildQuery } from "../src/query/build-query.ts";
import { compileQuery } from "../src/registry/sql/compile/compile-query.ts";
import { sqliteDialect } from "../src/registry/sql/dialects/sqlite/sqlite-dialect.ts";
import type { DatasetTypeRecord } from "../src/registry/sql/managers/dataset-types.ts";
import { createRepository } from "../src/repository/create-repository.ts";
import { importExportFile } from "../src/repository/import-repository.ts";
import type { Comparison } from "./harness.ts";
import { compiledButler, nodeStart } from "./support/compiled-cli.ts";
import { HSC_EXPORT } from "./support/fixtures.ts";
import {
  chainLookups,
  freshPath,
  streamGridDataIds,
  visitDetectorRepository,
} from "./support/visit-detector-repository.ts";

const TYPICAL = "instrument = 'HSC' AND visit IN (903334..903338) AND detector != 9 AND band = 'r'";

/** Parse, resolve and compile a typical expression, beside SQLite preparing the SQL it compiles to. */
function compileTypical(): Comparison {
  const universe = defaultUniverse();
  const calexp = DatasetType.make(universe, {
    name: "calexp",
    dimensions: ["visit", "detector"],
    storageClass: "ExposureF",
  });
  const record: DatasetTypeRecord = {
    id: 1,
    datasetType: calexp,
    dimensionsKey: 1,
    tagTable: "dataset_tags_00000001",
    calibTable: null,
  };
  const runs = Array.from({ length: 3 }, (_, i) => ({
    id: i + 1,
    name: `run${i}`,
    type: "RUN" as const,
    doc: null,
  }));
  const context = {
    universe,
    dialect: sqliteDialect,
    datasetTypes: new Map([["calexp", record]]),
    searchPaths: new Map([["calexp", runs]]),
  };
  const types = new Map([["calexp", calexp]]);
  const compile = () =>
    compileQuery(
      buildQuery(universe, types, {
        where: [{ expression: TYPICAL }],
        result: {
          kind: "datasets",
          datasetType: "calexp",
          collections: ["run0", "run1", "run2"],
          findFirst: true,
        },
      }),
      context,
    );
  // SQLite must prepare this SQL whatever builds it: the floor of turning a query into something runnable.
  const db = new DatabaseSync(":memory:");
  db.exec(
    [
      "CREATE TABLE collection (collection_id INTEGER PRIMARY KEY, name TEXT)",
      "CREATE TABLE dataset (id TEXT PRIMARY KEY, run_id INT, ingest_date INT)",
      "CREATE TABLE dataset_tags_00000001 (dataset_type_id INT, dataset_id TEXT, collection_id INT, instrument TEXT, detector INT, visit INT)",
      "CREATE TABLE detector (instrument TEXT, id INT, full_name TEXT)",
      "CREATE TABLE visit (instrument TEXT, id INT, physical_filter TEXT, day_obs INT)",
      "CREATE TABLE physical_filter (instrument TEXT, name TEXT, band TEXT)",
    ].join(";"),
  );
  const sql = compile().sql;
  return {
    figure: `parse + resolve + compile "${TYPICAL}" (find-first calexp in 3 runs)`,
    butler: { name: "buildQuery + compileQuery", run: compile },
    floor: { name: "SQLite prepare of the compiled SQL", run: () => db.prepare(sql) },
  };
}

/** Find-first of one data ID through the chain with the query system, beside the raw SELECT. */
async function findFirstThroughChain(): Promise<Comparison> {
  const { registry, next, floor } = await chainLookups();
  return {
    figure: "query find-first of one data ID through a 10-collection chain over 1,000,000 datasets",
    latency: true,
    timeMs: 2000,
    butler: {
      name: 'registry.query().datasets("calexp", ["chain"]).where(dataId).toArray()',
      run: () => registry.query().datasets("calexp", ["chain"]).where(next()).toArray(),
    },
    floor,
  };
}

const STREAM_GRID = { visits: 2000, detectors: 100 };

/** Stream 200,000 visit × detector data IDs, beside a raw SELECT of the same join iterated row by row. */
async function streamDataIds(): Promise<Comparison> {
  const { registry, path } = await visitDetectorRepository(STREAM_GRID);
  const raw = new DatabaseSync(join(path, "gen3.sqlite3"), { readOnly: true });
  const select = raw.prepare(
    "SELECT d.instrument, d.id AS detector, v.id AS visit, p.band, v.day_obs, v.physical_filter FROM detector d JOIN visit v ON v.instrument = d.instrument JOIN physical_filter p ON p.instrument = v.instrument AND p.name = v.physical_filter WHERE d.instrument = ?",
  );
  const rows = STREAM_GRID.visits * STREAM_GRID.detectors;
  return {
    figure: `stream ${rows.toLocaleString("en")} visit×detector data IDs`,
    itemsPerCall: rows,
    iterations: 3,
    timeMs: 1,
    butler: {
      name: 'for await (registry.query().dataIds(["visit", "detector"]).where("instrument = \'HSC\'"))',
      run: () => streamGridDataIds(registry, rows),
    },
    floor: {
      name: "node:sqlite prepared SELECT of the same join, iterated",
      run: () => {
        let count = 0;
        for (const _ of select.iterate("HSC")) count++;
        if (count !== rows) throw new Error(`read ${count} rows, expected ${rows}`);
      },
    },
  };
}

/** The visit × detector query on hsc-rc2-subset, in process and from the CLI, beside their floors. */
async function hscQueries(): Promise<Comparison[]> {
  if (!existsSync(HSC_EXPORT)) {
    console.log("skipping the hsc-rc2-subset figures: ../shared/fixtures is absent");
    return [];
  }
  const path = freshPath();
  const registry = await createRepository(path);
  await importExportFile(registry, HSC_EXPORT, { withoutDatastore: true });
  const raw = new DatabaseSync(join(path, "gen3.sqlite3"), { readOnly: true });
  const select = raw.prepare(
    "SELECT d.instrument, d.id AS detector, v.id AS visit, p.band, v.day_obs, v.physical_filter FROM detector d JOIN visit v ON v.instrument = d.instrument JOIN physical_filter p ON p.instrument = v.instrument AND p.name = v.physical_filter WHERE d.instrument = ?",
  );
  const rows = select.all("HSC").length;
  const butler = compiledButler();
  return [
    {
      figure: `hsc-rc2-subset visit×detector data IDs (${rows.toLocaleString("en")} rows) in-process`,
      itemsPerCall: rows,
      iterations: 5,
      timeMs: 500,
      butler: {
        name: 'registry.query().dataIds(["visit", "detector"]).where("instrument = \'HSC\'").toArray()',
        run: () => registry.query().dataIds(["visit", "detector"]).where("instrument = 'HSC'").toArray(),
      },
      floor: { name: "node:sqlite prepared SELECT of the same join", run: () => select.all("HSC") },
    },
    {
      figure: "butler query-data-ids HSC visit detector --where instrument='HSC' (compiled, table out)",
      iterations: 5,
      timeMs: 1,
      butler: {
        name: "butler query-data-ids",
        run: () =>
          butler("query-data-ids", path, "visit", "detector", "--where", "instrument='HSC'", "--limit", "0"),
      },
      floor: nodeStart,
    },
    {
      figure: "butler query-dimension-records HSC visit --where instrument='HSC' --limit 5 (compiled)",
      iterations: 10,
      timeMs: 1,
      butler: {
        name: "butler query-dimension-records",
        run: () =>
          butler("query-dimension-records", path, "visit", "--where", "instrument='HSC'", "--limit", "5"),
      },
      floor: nodeStart,
    },
  ];
}

/** Query figures of issue 5: compile cost, find-first latency through a chain, streaming throughput, end to end. */
export async function comparisons(): Promise<Comparison[]> {
  return [compileTypical(), await findFirstThroughChain(), await streamDataIds(), ...(await hscQueries())];
}
