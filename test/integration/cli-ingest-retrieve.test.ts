import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createZipArchive } from "../../src/butler/zip-archive.ts";
import { main } from "../../src/cli/main.ts";
import { deterministicDatasetId } from "../../src/datasets/dataset-id.ts";
import { defaultUniverse } from "../../src/dimensions/default-universe.ts";
import { standardizeDataId } from "../../src/dimensions/standardize-data-id.ts";
import { createCam1Repository } from "../support/cam1-repo.ts";
import { captureStreams } from "../support/capture.ts";
import { findPython, runPython } from "../support/python.ts";
import { describeWithFixtures } from "../support/shared-fixtures.ts";
import { tempDir } from "../support/temp-repo.ts";

async function butler(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureStreams();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const python = findPython("zipfile");

/** Python's view of a zip file: member names, their contents, and `testzip()`'s verdict. */
const READ_ZIP = `
import json, sys, uuid, zipfile
request = json.load(sys.stdin)
with zipfile.ZipFile(request["path"]) as z:
    names = z.namelist()
    out = {"names": names, "bad": z.testzip(), "contents": {n: z.read(n).decode() for n in names}}
members = sorted(n for n in names if n != "_butler_zip_index.json")
out["uuid5"] = str(uuid.uuid5(uuid.UUID("840b31d9-05cd-5161-b2c8-00d32b280d0f"), ",".join(members)))
print(json.dumps(out))
`;

interface ZipView {
  names: string[];
  bad: string | null;
  contents: Record<string, string>;
  uuid5: string;
}

describeWithFixtures("butler ingest-files and retrieve-artifacts", () => {
  let dir: { path: string; cleanup: () => void };
  let repo: string;
  const file = (...parts: string[]) => join(dir.path, ...parts);

  beforeAll(async () => {
    dir = tempDir("butler-ingest-");
    repo = file("repo");
    await createCam1Repository(repo);
    mkdirSync(file("in"));
    for (const detector of [1, 2, 3, 4])
      writeFileSync(file("in", `d${detector}.json`), `{"detector": ${detector}}`);
  });

  afterAll(() => dir?.cleanup());

  it("ingests the files a CSV table lists, with fixed --data-id values, copying them in", async () => {
    writeFileSync(file("table.csv"), `file,detector\n${file("in", "d1.json")},1\nin/d2.json,2\n`);
    const result = await butler(
      "ingest-files",
      repo,
      "notes",
      "csv",
      file("table.csv"),
      "--data-id",
      "instrument=Cam1",
      "--prefix",
      dir.path,
    );
    expect(result).toEqual({ code: 0, out: 'Ingested 2 datasets from 2 files into "csv".\n', err: "" });
    expect(readFileSync(join(repo, "csv/notes/notes_Cam1_Ab_csv.json"), "utf8")).toBe('{"detector": 2}');
    const got = await butler(
      "get",
      repo,
      "notes",
      "--data-id",
      "instrument=Cam1,detector=1",
      "--collections",
      "csv",
    );
    expect(got.out).toBe('{"detector": 1}\n');
  });

  it("ingests an ECSV table with deterministic IDs and a link transfer", async () => {
    writeFileSync(
      file("table.ecsv"),
      "# %ECSV 1.0\n# ---\n# datatype:\n# - {name: file, datatype: string}\n# - {name: instrument, datatype: string}\n# - {name: detector, datatype: int64}\n# schema: astropy-2.0\nfile instrument detector\nd3.json Cam1 3\n",
    );
    const result = await butler(
      "ingest-files",
      repo,
      "notes",
      "ecsv",
      file("table.ecsv"),
      "--prefix",
      file("in"),
      "--id-generation-mode",
      "DATAID_TYPE_RUN",
      "--transfer",
      "symlink",
    );
    expect(result.code, result.err).toBe(0);
    const linked = join(repo, "ecsv/notes/notes_Cam1_Ba_ecsv.json");
    expect(lstatSync(linked).isSymbolicLink()).toBe(true);
    const listed = await butler("query-datasets", repo, "notes", "--collections", "ecsv", "--format", "json");
    const dataId = standardizeDataId(defaultUniverse(), { instrument: "Cam1", detector: 3 });
    expect(JSON.parse(listed.out)[0].id).toBe(
      deterministicDatasetId("notes", dataId, "DATAID_TYPE_RUN", "ecsv"),
    );
  });

  it("ingests one file listed on two rows as one artifact holding two datasets", async () => {
    writeFileSync(file("shared.csv"), "file,instrument,detector\nd4.json,Cam1,1\nd4.json,Cam1,2\n");
    const result = await butler(
      "ingest-files",
      repo,
      "notes",
      "shared",
      file("shared.csv"),
      "--prefix",
      file("in"),
    );
    expect(result.out).toBe('Ingested 2 datasets from 1 file into "shared".\n');
    const one = await butler(
      "get",
      repo,
      "notes",
      "--data-id",
      "instrument=Cam1,detector=2",
      "--collections",
      "shared",
    );
    expect(one.out).toBe('{"detector": 4}\n');
  });

  it("refuses Parquet tables, unknown transfer modes and dataset types, and short rows", async () => {
    const parquet = await butler("ingest-files", repo, "notes", "x", file("t.parquet"));
    expect(parquet.err).toBe(
      `error: Cannot read ${file("t.parquet")}: Parquet tables are not supported yet\nhint: Write the table as CSV or ECSV (astropy: Table.read(path).write('table.ecsv')).\n`,
    );
    const transfer = await butler(
      "ingest-files",
      repo,
      "notes",
      "x",
      file("table.csv"),
      "--transfer",
      "teleport",
    );
    expect(transfer).toMatchObject({ code: 1 });
    expect(transfer.err).toMatch(
      /^error: option '-t, --transfer <mode>' argument 'teleport' is invalid\. Allowed choices are auto, link, symlink, hardlink, copy, move, relsymlink, direct\.\n/,
    );
    const type = await butler("ingest-files", repo, "nope", "x", file("table.csv"));
    expect(type.err).toMatch(/^error: Dataset type "nope" is not registered/);
    writeFileSync(file("short.csv"), "file,detector\nin/d1.json\n");
    const short = await butler("ingest-files", repo, "notes", "x", file("short.csv"));
    expect(short.err).toBe(`error: ${file("short.csv")}, line 2: 1 values for 2 columns (file, detector)\n`);
    expect((await butler("query-collections", repo, "x")).out).not.toContain("x ");
  });

  it("retrieves artifacts at their repository paths, or flat, and says when nothing matched", async () => {
    const out = file("retrieved");
    const result = await butler("retrieve-artifacts", repo, out, "--collections", "csv");
    expect(result).toEqual({
      code: 0,
      out: `Number of artifacts retrieved into destination ${out}: 2\n`,
      err: "",
    });
    expect(readFileSync(join(out, "csv/notes/notes_Cam1_Aa_csv.json"), "utf8")).toBe('{"detector": 1}');
    const flat = await butler(
      "retrieve-artifacts",
      repo,
      file("flat"),
      "--collections",
      "csv",
      "--no-preserve-path",
    );
    expect(flat.code, flat.err).toBe(0);
    // Beside the files, the butler writes an index of the datasets each holds (named with a leading _).
    expect(
      readdirSync(file("flat"))
        .filter((name) => !name.startsWith("_"))
        .sort(),
    ).toEqual(["notes_Cam1_Aa_csv.json", "notes_Cam1_Ab_csv.json"]);
    const again = await butler("retrieve-artifacts", repo, out, "--collections", "csv");
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists\nhint: Pass overwrite \(--clobber\)/);
    expect((await butler("retrieve-artifacts", repo, out, "--collections", "csv", "--clobber")).code).toBe(0);
    const none = await butler(
      "retrieve-artifacts",
      repo,
      out,
      "--collections",
      "csv",
      "--where",
      "instrument = 'Cam1' AND detector = 4",
    );
    expect(none).toEqual({ code: 0, out: "No datasets matched query.\n", err: "" });
    const move = await butler("retrieve-artifacts", repo, out, "--transfer", "move");
    expect(move.err).toBe(
      "error: Can not move artifacts out of a repository\nhint: Use --transfer copy (or auto).\n",
    );
  });

  it.skipIf(python === undefined)(
    "writes a zip that Python reads, named and indexed as daf_butler does",
    async () => {
      const result = await butler(
        "retrieve-artifacts",
        repo,
        file("zips"),
        "--collections",
        "csv,shared",
        "--zip",
      );
      expect(result.code, result.err).toBe(0);
      const [, path] = /^Zip file written to (.*)\n$/.exec(result.out) ?? [];
      const zip = runPython<ZipView>(python as string, READ_ZIP, { path });
      expect(zip.bad).toBeNull();
      expect(basename(path as string)).toBe(`${zip.uuid5}.zip`);
      expect(zip.names[0]).toBe("_butler_zip_index.json");
      expect(zip.names.slice(1).map((n) => n.replace(/^[0-9a-f-]+?-(?=notes)/, ""))).toEqual(
        expect.arrayContaining([
          "notes_Cam1_Aa_csv.json",
          "notes_Cam1_Ab_csv.json",
          "notes_Cam1_Aa_shared.json",
        ]),
      );
      const index = JSON.parse(zip.contents["_butler_zip_index.json"] ?? "");
      expect(index.index_version).toBe("V1");
      expect(index.refs).toMatchObject({ container_version: "V1", universe_namespace: "daf_butler" });
      expect(index.refs.dataset_types.notes).toEqual({
        name: "notes",
        storageClass: "StructuredDataDict",
        dimensions: ["instrument", "detector"],
        parentStorageClass: null,
        isCalibration: false,
      });
      expect(Object.keys(index.refs.compact_refs)).toHaveLength(4);
      const shared = Object.entries(index.artifact_map).find(([name]) =>
        name.endsWith("notes_Cam1_Aa_shared.json"),
      );
      expect(shared?.[1]).toMatchObject({
        info: {
          formatter: "lsst.daf.butler.formatters.json.JsonFormatter",
          storage_class: "StructuredDataDict",
          component: null,
          file_size: 15,
        },
        ids: expect.arrayContaining([expect.any(String), expect.any(String)]),
      });
      for (const [name, entry] of Object.entries(index.artifact_map) as [
        string,
        { info: { path: string } },
      ][]) {
        expect(zip.contents[name]).toBe(readFileSync(join(repo, entry.info.path), "utf8"));
      }
      const again = await butler(
        "retrieve-artifacts",
        repo,
        file("zips"),
        "--collections",
        "csv,shared",
        "--zip",
      );
      expect(again.err).toMatch(
        /\.zip already exists\nhint: Pass overwrite \(--clobber\) to replace it\.\n$/,
      );
    },
  );

  it.skipIf(python === undefined)("writes ZIP64 fields that Python reads", async () => {
    const path = file("forced64.zip");
    const zip = await createZipArchive(path, { forceZip64: true });
    await zip.add("a/one.txt", Buffer.from("one"));
    await zip.add("two.txt", Buffer.from("två"));
    await zip.close();
    const view = runPython<ZipView>(python as string, READ_ZIP, { path });
    expect(view).toMatchObject({
      names: ["a/one.txt", "two.txt"],
      bad: null,
      contents: { "a/one.txt": "one", "two.txt": "två" },
    });
    expect(existsSync(`${path}.${process.pid}.tmp`)).toBe(false);
  });
});
