import { readFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { expect, it } from "vitest";
import { RecordTable } from "../../../test/support/record-table.ts";
import { describeWithFixtures, fixturePath } from "../../../test/support/shared-fixtures.ts";
import { DatasetType } from "../../datasets/dataset-type.ts";
import { defaultUniverse } from "../../dimensions/default-universe.ts";
import { DimensionRecord } from "../../dimensions/dimension-record.ts";
import { expandDataId } from "../../dimensions/expand-data-id.ts";
import { standardizeDataId } from "../../dimensions/standardize-data-id.ts";
import { parseExportDocument } from "../../transfers/read-export.ts";
import { FileTemplates } from "./file-templates.ts";

const universe = defaultUniverse();

/** One file daf_butler wrote: the dataset it holds and the path it recorded. */
interface WrittenFile {
  readonly datasetType: DatasetType;
  readonly run: string;
  readonly id: string;
  readonly dataId: Readonly<Record<string, string | number>>;
  readonly path: string;
}

/** The path our default templates give each file, beside the path daf_butler recorded (extension dropped). */
async function compareWithDefaults(files: readonly WrittenFile[], records: RecordTable) {
  const templates = FileTemplates.defaults();
  templates.validate(files.map((f) => f.datasetType));
  const results = [];
  for (const file of files) {
    const dataId = await expandDataId(
      standardizeDataId(universe, file.dataId, { dimensions: file.datasetType.dimensions }),
      records,
    );
    const ours = templates.lookup(file.datasetType, dataId).format({
      datasetType: file.datasetType.name,
      component: null,
      run: file.run,
      id: file.id,
      dataId,
    });
    results.push({ ours, theirs: file.path.replace(/\.[^./]+$/, "") });
  }
  return results;
}

/** Files and dimension records of the `repos/small` repository, read from its SQLite registry. */
function readSmallRepository(): { files: WrittenFile[]; records: RecordTable } {
  const db = new DatabaseSync(fixturePath("repos", "small", "gen3.sqlite3"), { readOnly: true });
  try {
    const records: DimensionRecord[] = [];
    for (const element of ["instrument", "detector", "physical_filter", "day_obs", "visit"]) {
      // Regions and timespans are not needed for paths (and timespan nanoseconds overflow a number).
      const columns = (db.prepare(`PRAGMA table_info("${element}")`).all() as { name: string }[])
        .map((column) => column.name)
        .filter((name) => universe.element(element).recordFields.includes(name) && name !== "region");
      for (const row of db
        .prepare(`SELECT ${columns.map((c) => `"${c}"`).join(", ")} FROM "${element}"`)
        .all()) {
        records.push(DimensionRecord.make(universe.element(element), row));
      }
    }
    const rows = db
      .prepare(
        `SELECT r.dataset_id AS id, r.path, t.name, t.storage_class, t.tag_association_table AS tags,
                c.name AS run, c.collection_id AS run_id
         FROM file_datastore_records r
         JOIN dataset d ON d.id = r.dataset_id
         JOIN dataset_type t ON t.id = d.dataset_type_id
         JOIN collection c ON c.collection_id = d.run_id
         ORDER BY r.path`,
      )
      .all() as {
      id: string;
      path: string;
      name: string;
      storage_class: string;
      tags: string;
      run: string;
      run_id: number;
    }[];
    const files = rows.map((row) => {
      const tagged = db
        .prepare(`SELECT * FROM "${row.tags}" WHERE dataset_id = ? AND collection_id = ?`)
        .get(row.id, row.run_id) as Record<string, string | number>;
      const dataId = Object.fromEntries(
        Object.entries(tagged).filter(
          ([key]) => !["dataset_type_id", "dataset_id", "collection_id"].includes(key),
        ),
      );
      const datasetType = DatasetType.make(universe, {
        name: row.name,
        dimensions: Object.keys(dataId),
        storageClass: row.storage_class,
      });
      return { datasetType, run: row.run, id: row.id, dataId, path: row.path };
    });
    return { files, records: new RecordTable(records) };
  } finally {
    db.close();
  }
}

/** Files and dimension records of daf_butler export files. */
function readExports(...names: string[]): { files: WrittenFile[]; records: RecordTable } {
  const records: DimensionRecord[] = [];
  const types = new Map<string, DatasetType>();
  const files: WrittenFile[] = [];
  for (const name of names) {
    const path = fixturePath("registry_data", name);
    for (const item of parseExportDocument(readFileSync(path, "utf8"), path).items) {
      if (item.type === "dimension") {
        for (const fields of item.records)
          records.push(DimensionRecord.make(universe.element(item.element), fields));
      } else if (item.type === "dataset_type") {
        types.set(item.name, DatasetType.make(universe, item));
      } else if (item.type === "dataset") {
        const datasetType = types.get(item.datasetType) as DatasetType;
        for (const file of item.files) {
          const [dataId] = file.dataIds;
          const [id] = file.datasetIds;
          files.push({ datasetType, run: item.run, id: id as string, dataId: dataId ?? {}, path: file.path });
        }
      }
    }
  }
  return { files, records: new RecordTable(records) };
}

describeWithFixtures("default file templates against paths daf_butler wrote", () => {
  it("gives every path of repos/small (notes, sources)", async () => {
    const { files, records } = readSmallRepository();
    const results = await compareWithDefaults(files, records);
    expect(results.length).toBe(8);
    for (const { ours, theirs } of results) expect(ours).toBe(theirs);
    const paths = results.map((r) => r.ours);
    expect(paths).toContain("u/test/notes/notes/notes_Cam1_Aa_u_test_notes");
    expect(paths).toContain(
      "u/test/sources/sources/20210909/g/Cam1-G/1/sources_Cam1_g_Cam1-G_1_Aa_u_test_sources",
    );
  });

  it("gives every calexp and skyMap path of the ci_hsc export", async () => {
    const { files, records } = readExports("ci_hsc-subset.yaml", "ci_hsc-subset-skymap.yaml");
    const results = await compareWithDefaults(files, records);
    expect(results.length).toBe(34);
    for (const { ours, theirs } of results) expect(ours).toBe(theirs);
    const paths = results.map((r) => r.ours);
    expect(paths).toContain(
      "HSC/runs/ci_hsc/20240806T180642Z/calexp/20130617/r/HSC-R/903334/calexp_HSC_r_HSC-R_903334_0_26_HSC_runs_ci_hsc_20240806T180642Z",
    );
    expect(paths).toContain("skymaps/skyMap/skyMap_discrete_ci_hsc_skymaps");
  });
});
