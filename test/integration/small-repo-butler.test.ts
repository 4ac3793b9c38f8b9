import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Butler } from "../../src/butler/butler.ts";
import { openButler } from "../../src/butler/open-butler.ts";
import { ResourceUri } from "../../src/datastore/storage/resource-uri.ts";
import { UnknownColumnError } from "../../src/errors.ts";
import { expectFailure } from "../conformance/butler/target.ts";
import { describeWithFixtures, fixturePath } from "../support/shared-fixtures.ts";
import { copySmallRepo } from "../support/temp-repo.ts";

const NOTES_RUN = "u/test/notes";
const DETECTORS = [1, 2, 3, 4];
const FULL_NAMES: Record<number, string> = { 1: "Aa", 2: "Ab", 3: "Ba", 4: "Bb" };

const expectedNotes: Record<string, unknown> = JSON.parse(
  readFileSync(fixturePath("repos", "small-expected", "notes_content.json"), "utf8"),
);

/** Rows of a table of the repository's SQLite registry, read directly. */
function rows(repo: string, sql: string, ...parameters: string[]): Record<string, unknown>[] {
  const db = new DatabaseSync(join(repo, "gen3.sqlite3"), { readOnly: true });
  try {
    return db
      .prepare(sql)
      .all(...parameters)
      .map((row) => ({ ...row }));
  } finally {
    db.close();
  }
}

/** The `file_datastore_records` row of a dataset (IDs are stored as 32 hex digits). */
function recordOf(repo: string, id: string): Record<string, unknown> | undefined {
  return rows(repo, "SELECT * FROM file_datastore_records WHERE dataset_id = ?", id.replaceAll("-", ""))[0];
}

describeWithFixtures("the butler on a repository made by daf_butler (repos/small)", () => {
  let repo: { path: string; cleanup: () => void };
  let butler: Butler;

  beforeEach(async () => {
    repo = copySmallRepo();
    butler = await openButler(repo.path, { collections: NOTES_RUN });
  });

  afterEach(async () => {
    await butler?.close();
    repo?.cleanup();
  });

  it("get() of each notes dataset gives daf_butler's content", async () => {
    for (const detector of DETECTORS) {
      expect(await butler.get("notes", { instrument: "Cam1", detector })).toEqual(expectedNotes[detector]);
    }
  });

  it("get() through the CHAINED collection Cam1/defaults finds the notes", async () => {
    const notes = await butler.get(
      "notes",
      { instrument: "Cam1", detector: 3 },
      { collections: "Cam1/defaults" },
    );
    expect(notes).toEqual(expectedNotes[3]);
  });

  it("getURI() of each notes dataset is the path daf_butler recorded", async () => {
    for (const detector of DETECTORS) {
      const ref = await butler.findDataset("notes", { instrument: "Cam1", detector });
      const record = recordOf(repo.path, String(ref?.id));
      expect(record?.path).toBe(`u/test/notes/notes/notes_Cam1_${FULL_NAMES[detector]}_u_test_notes.yaml`);
      const uri = await butler.getURI("notes", { instrument: "Cam1", detector });
      expect(String(uri)).toBe(String(ResourceUri.file(join(repo.path, String(record?.path)))));
    }
  });

  it("a new notes dataset lands where daf_butler's default template puts it, recorded as daf_butler records", async () => {
    const writer = await openButler(repo.path, { run: "u/test/again" });
    try {
      const content = await butler.get("notes", { instrument: "Cam1", detector: 1 });
      const ref = await writer.put(content, "notes", { instrument: "Cam1", detector: 1 });
      const path = "u/test/again/notes/notes_Cam1_Aa_u_test_again.yaml";
      expect(String(await writer.getURI(ref))).toBe(String(ResourceUri.file(join(repo.path, path))));
      expect(recordOf(repo.path, ref.id)).toEqual({
        dataset_id: ref.id.replaceAll("-", ""),
        path,
        formatter: "lsst.daf.butler.formatters.yaml.YamlFormatter",
        storage_class: "StructuredDataDict",
        component: "__NULL_STRING__",
        checksum: null,
        file_size: statSync(join(repo.path, path)).size,
      });
      const locations = rows(
        repo.path,
        "SELECT * FROM dataset_location WHERE dataset_id = ?",
        ref.id.replaceAll("-", ""),
      );
      expect(locations).toEqual([
        { datastore_name: "FileDatastore@<butlerRoot>", dataset_id: ref.id.replaceAll("-", "") },
      ]);
    } finally {
      await writer.close();
    }
  });

  it("a re-put of a notes dataset writes the same bytes as daf_butler", async () => {
    const writer = await openButler(repo.path, { run: "u/test/again" });
    try {
      for (const detector of DETECTORS) {
        const name = FULL_NAMES[detector];
        const content = await butler.get("notes", { instrument: "Cam1", detector });
        await writer.put(content, "notes", { instrument: "Cam1", detector });
        const ours = readFileSync(join(repo.path, `u/test/again/notes/notes_Cam1_${name}_u_test_again.yaml`));
        const theirs = readFileSync(
          join(repo.path, `u/test/notes/notes/notes_Cam1_${name}_u_test_notes.yaml`),
        );
        expect(ours.toString("utf8")).toBe(theirs.toString("utf8"));
      }
    } finally {
      await writer.close();
    }
  });

  it("get() of a Parquet dataset (sources) reads it (more in small-repo-parquet.test.ts)", async () => {
    const dataId = { instrument: "Cam1", visit: 1, detector: 1 };
    const table = await butler.get("sources", dataId, { collections: "u/test/sources" });
    expect((table as { names: string[] }).names).toEqual(["id", "ra", "dec", "flux"]);
    const error = await expectFailure(
      butler.get("sources", dataId, { collections: "u/test/sources", parameters: { columns: ["mag"] } }),
      UnknownColumnError,
      /^No column matches "mag" \(file:\/\/.*\/sources_Cam1_g_Cam1-G_1_Aa_u_test_sources\.parq\)$/,
    );
    expect(error.hint).toBe("Columns: id, ra, dec, flux.");
  });
});
