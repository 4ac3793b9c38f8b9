import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { createCam1Repository } from "../support/cam1-repo.ts";
import { captureStreams } from "../support/capture.ts";
import { describeWithFixtures } from "../support/shared-fixtures.ts";
import { tempDir } from "../support/temp-repo.ts";

async function butler(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureStreams();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const OBJECTS: Record<string, unknown> = {
  "1": { seeing: 0.7, flags: [1, 2] },
  "2": { seeing: 1.1, note: "clouds" },
};

describeWithFixtures("butler export --transfer and import with files", () => {
  let dir: { path: string; cleanup: () => void };
  let source: string;
  const file = (...parts: string[]) => join(dir.path, ...parts);
  const collections = async (repo: string) =>
    JSON.parse((await butler("query-collections", repo, "--format", "json")).out) as unknown[];

  beforeAll(async () => {
    dir = tempDir("butler-export-");
    source = file("source");
    await createCam1Repository(source, { notes: "StructuredDataDict", log: "Text" });
    for (const [detector, object] of Object.entries(OBJECTS)) {
      writeFileSync(file("in.json"), JSON.stringify(object));
      const put = await butler(
        "put",
        source,
        "notes",
        "run",
        file("in.json"),
        "--data-id",
        `instrument=Cam1,detector=${detector}`,
      );
      expect(put.code, put.err).toBe(0);
    }
    writeFileSync(file("in.txt"), "a log\n");
    expect(
      (await butler("put", source, "log", "run", file("in.txt"), "--data-id", "instrument=Cam1,detector=1"))
        .code,
    ).toBe(0);
    expect(
      (await butler("associate", source, "tag", "--dataset-type", "notes", "--collections", "run")).code,
    ).toBe(0);
  });

  afterAll(() => dir?.cleanup());

  it("export --transfer copy puts the files at their repository paths and names them in export.yaml", async () => {
    const out = file("export-copy");
    const result = await butler("export", source, out, "--transfer", "copy");
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/ and 3 files to .*export\.yaml\.\n$/);
    expect(readFileSync(join(out, "run/log/log_Cam1_Aa_run.txt"), "utf8")).toBe("a log\n");
    expect(readFileSync(join(out, "run/notes/notes_Cam1_Ab_run.yaml"), "utf8")).toBe(
      readFileSync(join(source, "run/notes/notes_Cam1_Ab_run.yaml"), "utf8"),
    );
    const yaml = readFileSync(join(out, "export.yaml"), "utf8");
    expect(yaml).toContain(
      "    path: run/notes/notes_Cam1_Aa_run.yaml\n    formatter: lsst.daf.butler.formatters.yaml.YamlFormatter\n",
    );
  });

  it("import ingests the exported files into a new repository, where get returns the same objects", async () => {
    const out = file("export-copy");
    const dest = file("dest");
    expect((await butler("create", dest)).code).toBe(0);
    const result = await butler("import", dest, out);
    expect(result).toEqual({
      code: 0,
      out: "Imported 3 dimension records, 2 dataset types, 2 collections and 3 datasets (3 files ingested).\n",
      err: "",
    });
    for (const [detector, object] of Object.entries(OBJECTS)) {
      const got = await butler(
        "get",
        dest,
        "notes",
        "--data-id",
        `instrument=Cam1,detector=${detector}`,
        "--collections",
        "tag",
      );
      expect(JSON.parse(got.out)).toEqual(object);
    }
    const log = await butler(
      "get",
      dest,
      "log",
      "--data-id",
      "instrument=Cam1,detector=1",
      "--collections",
      "run",
    );
    expect(log.out).toBe("a log\n");
    expect(existsSync(join(dest, "run/notes/notes_Cam1_Aa_run.yaml"))).toBe(true);
    expect((await butler("fsck", dest)).code).toBe(0);
  });

  it("import changes nothing when a file the export names is missing", async () => {
    const out = file("export-broken");
    expect((await butler("export", source, out, "--transfer", "copy")).code).toBe(0);
    rmSync(join(out, "run/notes/notes_Cam1_Ab_run.yaml"));
    const dest = file("dest-broken");
    expect((await butler("create", dest)).code).toBe(0);
    const result = await butler("import", dest, out);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^error: Cannot ingest .*notes_Cam1_Ab_run\.yaml: no such file\n/);
    expect(await collections(dest)).toEqual([]);
    // Files copied before the failure are deleted again (empty directories may stay).
    const files = readdirSync(dest, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.map((e) => e.name).filter((n) => !n.startsWith("gen3.sqlite3"))).toEqual(["butler.yaml"]);
  });

  it("export --transfer direct records absolute URIs and copies nothing", async () => {
    const out = file("export-direct");
    expect((await butler("export", source, out, "--transfer", "direct")).code).toBe(0);
    expect(readdirSync(out)).toEqual(["export.yaml"]);
    expect(readFileSync(join(out, "export.yaml"), "utf8")).toContain(
      `    path: file://${source}/run/notes/notes_Cam1_Aa_run.yaml\n`,
    );
  });

  it("refuses --transfer move for an export", async () => {
    const result = await butler("export", source, file("export-move"), "--transfer", "move");
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^error: option '-t, --transfer <mode>' argument 'move' is invalid\. Allowed choices are auto, link, symlink, hardlink, copy, relsymlink, direct\.\n/,
    );
  });

  it("imports a registry-only export (empty paths) without files", async () => {
    const out = file("export-registry");
    expect((await butler("export", source, out)).code).toBe(0);
    const dest = file("dest-registry");
    expect((await butler("create", dest)).code).toBe(0);
    const result = await butler("import", dest, out);
    expect(result.out).toBe(
      "Imported 3 dimension records, 2 dataset types, 2 collections and 3 datasets (0 files ingested).\n",
    );
    const get = await butler(
      "get",
      dest,
      "log",
      "--data-id",
      "instrument=Cam1,detector=1",
      "--collections",
      "run",
    );
    expect(get.code).toBe(1);
    expect(get.err).toMatch(/^error: Dataset log@.* has no artifact/);
  });
});
