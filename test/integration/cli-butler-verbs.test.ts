import { appendFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { createCam1Repository } from "../support/cam1-repo.ts";
import { captureStreams } from "../support/capture.ts";
import { describeWithFixtures, fixturePath } from "../support/shared-fixtures.ts";
import { tempDir } from "../support/temp-repo.ts";

async function butler(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureStreams();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

/** A repository with daf_butler's base.yaml records (Cam1, detectors 1-4) and two dataset types. */
async function makeRepo(path: string): Promise<void> {
  await createCam1Repository(path, { notes: "StructuredDataDict", log: "Text" });
}

const ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describeWithFixtures("butler put, get, query-datasets --show-uri and fsck", () => {
  let dir: { path: string; cleanup: () => void };
  let repo: string;
  const file = (name: string) => join(dir.path, name);

  beforeAll(async () => {
    dir = tempDir("butler-verbs-");
    repo = file("repo");
    await makeRepo(repo);
    writeFileSync(file("notes.json"), '{"flags": [1, 2], "seeing": 0.7}');
    writeFileSync(file("log.txt"), "line one\nline two\n");
    expect(
      await butler(
        "put",
        repo,
        "notes",
        "run1",
        file("notes.json"),
        "--data-id",
        "instrument=Cam1,detector=1",
      ),
    ).toMatchObject({ code: 0 });
    expect(
      await butler(
        "put",
        repo,
        "log",
        "run1",
        file("log.txt"),
        "--data-id",
        "instrument=Cam1",
        "--data-id",
        "detector=1",
      ),
    ).toMatchObject({ code: 0 });
  });

  afterAll(() => dir?.cleanup());

  it("put stores the object at the templated path and prints the new dataset", async () => {
    const result = await butler(
      "put",
      repo,
      "notes",
      "run2",
      file("notes.json"),
      "--data-id",
      "instrument=Cam1,detector=2",
    );
    expect(result.code, result.err).toBe(0);
    const [header, dashes, row] = result.out.split("\n");
    expect(header?.trim().split(/\s+/)).toEqual(["type", "run", "id", "instrument", "detector"]);
    expect(dashes).toMatch(/^-+( -+){4}$/);
    expect(row?.trim().split(/\s+/)).toEqual(["notes", "run2", expect.stringMatching(ID), "Cam1", "2"]);
    // StructuredDataDict is written as YAML, whatever format it was put from.
    expect(readFileSync(join(repo, "run2/notes/notes_Cam1_Ab_run2.yaml"), "utf8")).toBe(
      "flags:\n- 1\n- 2\nseeing: 0.7\n",
    );
  });

  it("get prints structured data as JSON and text as it is", async () => {
    const notes = await butler(
      "get",
      repo,
      "notes",
      "--data-id",
      "instrument=Cam1,detector=1",
      "--collections",
      "run1",
    );
    expect(notes).toEqual({ code: 0, out: '{"flags": [1, 2], "seeing": 0.7}\n', err: "" });
    const log = await butler(
      "get",
      repo,
      "log",
      "--data-id",
      "instrument=Cam1,detector=1",
      "--collections",
      "run1",
    );
    expect(log).toEqual({ code: 0, out: "line one\nline two\n", err: "" });
    const yaml = await butler(
      "get",
      repo,
      "notes",
      "--data-id",
      "instrument=Cam1,detector=1",
      "--collections",
      "run1",
      "--format",
      "yaml",
    );
    expect(yaml.out).toBe("flags:\n- 1\n- 2\nseeing: 0.7\n");
  });

  it("get --output writes the file in the format its extension names", async () => {
    const out = file("got.json");
    const result = await butler(
      "get",
      repo,
      "notes",
      "--data-id",
      "instrument=Cam1,detector=1",
      "--collections",
      "run1",
      "--output",
      out,
    );
    expect(result).toEqual({ code: 0, out: `Wrote notes to ${out}.\n`, err: "" });
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual({ seeing: 0.7, flags: [1, 2] });
  });

  it("get of a missing dataset says why, exit 1", async () => {
    const result = await butler(
      "get",
      repo,
      "notes",
      "--data-id",
      "instrument=Cam1,detector=4",
      "--collections",
      "run1",
    );
    expect(result).toEqual({
      code: 1,
      out: "",
      err: `error: Dataset notes with data ID {instrument: 'Cam1', detector: 4} could not be found in collections ['run1']\nhint: No dataset of type notes in collection run1 matches detector = 4.\n`,
    });
  });

  it("refuses a --data-id without a value", async () => {
    const result = await butler("get", repo, "notes", "--data-id", "instrument", "--collections", "run1");
    expect(result).toEqual({
      code: 1,
      out: "",
      err: 'error: Invalid --data-id "instrument": expected KEY=VALUE\nhint: Write it as --data-id instrument=HSC.\n',
    });
    const unknown = await butler(
      "get",
      repo,
      "notes",
      "--data-id",
      "instrument=Cam1,detektor=1",
      "--collections",
      "run1",
    );
    expect(unknown.err).toBe('error: Unrecognized data ID key "detektor"\nhint: Did you mean "detector"?\n');
  });

  it("refuses files whose extension names no format, listing those it reads", async () => {
    writeFileSync(file("notes.bin"), "SIMPLE");
    const put = await butler(
      "put",
      repo,
      "notes",
      "run1",
      file("notes.bin"),
      "--data-id",
      "instrument=Cam1,detector=3",
    );
    expect(put.code).toBe(1);
    expect(put.err).toBe(
      `error: Cannot tell the format of "${file("notes.bin")}" from its extension ".bin"\nhint: Use a file ending in .json, .yaml, .yml, .txt, .fits, .parq, .h5.\n`,
    );
    const get = await butler(
      "get",
      repo,
      "notes",
      "--data-id",
      "instrument=Cam1,detector=1",
      "--collections",
      "run1",
      "--output",
      file("x.parquet"),
    );
    expect(get.err).toContain('from its extension ".parquet"');
  });

  it("query-datasets --show-uri adds a URI column, #predicted for datasets without a file", async () => {
    const ds = file("ds");
    await makeRepo(ds);
    const imported = await butler(
      "import",
      ds,
      fixturePath("registry_data"),
      "--export-file",
      "datasets.yaml",
      "--without-datastore",
    );
    expect(imported.code, imported.err).toBe(0);
    const predicted = await butler(
      "query-datasets",
      ds,
      "bias",
      "--collections",
      "imported_g",
      "--show-uri",
      "--format",
      "csv",
    );
    expect(predicted.out.split("\n").slice(0, 2)).toEqual([
      "type,run,id,instrument,detector,URI",
      `bias,imported_g,e15ab039-bc8b-4135-87c5-90902a7c0b22,Cam1,1,file://${ds}/imported_g/bias/bias_Cam1_Aa_imported_g.fits#predicted`,
    ]);
    const stored = await butler("query-datasets", repo, "notes", "--collections", "run1", "--show-uri");
    expect(stored.out).toContain(` file://${repo}/run1/notes/notes_Cam1_Aa_run1.yaml\n`);
    expect(stored.out.split("\n")[1]?.trim().split(/\s+/).at(-1)).toBe("URI");
  });

  it("fsck reports nothing wrong in a sound repository", async () => {
    expect(await butler("fsck", repo)).toEqual({
      code: 0,
      out: "No problems found: every record has its file, of the recorded size, and every file its record.\n",
      err: "",
    });
  });

  it("fsck lists missing, resized and orphaned files and exits 1; --quiet only sets the status", async () => {
    const broken = file("broken");
    await makeRepo(broken);
    for (const detector of ["1", "2"]) {
      const put = await butler(
        "put",
        broken,
        "notes",
        "run",
        file("notes.json"),
        "--data-id",
        `instrument=Cam1,detector=${detector}`,
      );
      expect(put.code, put.err).toBe(0);
    }
    rmSync(join(broken, "run/notes/notes_Cam1_Aa_run.yaml"));
    const resized = join(broken, "run/notes/notes_Cam1_Ab_run.yaml");
    const size = statSync(resized).size;
    appendFileSync(resized, "extra: 1\n");
    writeFileSync(join(broken, "run/stray.json"), "{}");
    const result = await butler("fsck", broken);
    expect(result.code).toBe(1);
    expect(result.err).toBe("");
    expect(result.out).toMatch(
      new RegExp(
        [
          "^Missing artifacts \\(1\\):",
          `  run/notes/notes_Cam1_Aa_run.yaml \\(dataset ${ID.source}\\)`,
          "Artifacts of another size than recorded \\(1\\):",
          `  run/notes/notes_Cam1_Ab_run.yaml \\(dataset ${ID.source}; recorded ${size} bytes\\)`,
          "Artifacts no dataset records \\(orphans\\) \\(1\\):",
          `  file://${broken}/run/stray.json`,
          "3 problems found.\n$",
        ].join("\n"),
      ),
    );
    expect(await butler("--quiet", "fsck", broken)).toEqual({ code: 1, out: "", err: "" });
    expect(existsSync(join(broken, "run/stray.json"))).toBe(true);
  });
});
