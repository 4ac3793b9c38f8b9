import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { createRepository } from "../../src/repository/create-repository.ts";
import { importExportFile } from "../../src/repository/import-repository.ts";
import { captureStreams } from "../support/capture.ts";
import { ExportOracle } from "../support/query-fixtures.ts";
import { describeWithFixtures, fixturePath, SHARED_DIR } from "../support/shared-fixtures.ts";
import { overlaps, regionRecords, TRACT0_PATCHES_BY_DETECTOR } from "../support/spatial-oracle.ts";
import { tempDir } from "../support/temp-repo.ts";

/** Real daf_butler output on the same fixtures (see the file's preamble). */
const SAMPLES_PATH = join(SHARED_DIR, "spec", "cli-samples.md");
const samplesAvailable = existsSync(SAMPLES_PATH);

/** The samples of cli-samples.md by command line (`butler ...`): what went to stdout and to stderr. */
function readSamples(): Map<string, { stdout: string; stderr: string }> {
  const samples = new Map<string, { stdout: string; stderr: string }>();
  const text = readFileSync(SAMPLES_PATH, "utf8");
  for (const match of text.matchAll(/^```\n\$ (butler [^\n]*)\n([\s\S]*?)^```$/gm)) {
    const [stdout, stderr = ""] = (match[2] as string).split("--- stderr ---\n");
    samples.set(match[1] as string, { stdout: stdout as string, stderr });
  }
  return samples;
}

const REPOS = {
  DS: ["base.yaml", "datasets.yaml"],
  SP: ["base.yaml", "spatial.yaml"],
  HSC: ["hsc-rc2-subset.yaml"],
  // Changed by the associate and register tests, so that the others see the fixtures as they are.
  EDIT: ["base.yaml", "datasets.yaml"],
} as const;
type RepoName = keyof typeof REPOS;

describeWithFixtures("butler query verbs on daf_butler's fixtures", () => {
  let dir: { path: string; cleanup: () => void };
  const repo = (name: RepoName) => join(dir.path, name);

  async function butler(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const io = captureStreams();
    const code = await main(args, io);
    return { code, out: io.out(), err: io.err() };
  }

  /** Column `name` of a printed table (header, dashes, then right-aligned values). */
  function column(table: string, name: string): string[] {
    const lines = table.trimEnd().split("\n");
    const headers = (lines[0] as string).trim().split(/\s+/);
    return lines.slice(2).map((line) => line.trim().split(/\s+/)[headers.indexOf(name)] as string);
  }

  beforeAll(async () => {
    dir = tempDir("butler-query-verbs-");
    for (const [name, files] of Object.entries(REPOS)) {
      const registry = await createRepository(join(dir.path, name));
      try {
        for (const file of files) {
          await importExportFile(registry, fixturePath("registry_data", file), { withoutDatastore: true });
        }
      } finally {
        await registry.close();
      }
    }
  });

  afterAll(() => dir?.cleanup());

  it.skipIf(!samplesAvailable)(`prints the tables daf_butler prints [needs ${SAMPLES_PATH}]`, async () => {
    const samples = readSamples();
    const commands: [string, "whole" | "prefix"][] = [
      ["butler query-datasets DS --collections *", "whole"],
      [
        "butler query-datasets DS flat --collections imported_r --collections imported_g --find-first",
        "whole",
      ],
      ["butler query-dimension-records DS detector", "whole"],
      ["butler query-data-ids SP visit detector --where instrument='Cam1'", "whole"],
      ["butler query-dimension-records HSC visit --where instrument='HSC' --limit 5", "whole"],
      // The sample shows only the first rows.
      ["butler query-data-ids HSC visit detector --where instrument='HSC'", "prefix"],
    ];
    for (const [command, extent] of commands) {
      const sample = samples.get(command);
      expect(sample, `no sample of "${command}" in ${SAMPLES_PATH}`).toBeDefined();
      // The samples were run with the arguments as written (no shell quote removal or globbing).
      const [, verb, name, ...rest] = command.split(" ");
      const result = await butler(verb as string, repo(name as RepoName), ...rest);
      expect(result.code, result.err).toBe(0);
      if (extent === "whole") expect(result.out, command).toBe(sample?.stdout);
      else expect(result.out.startsWith(sample?.stdout as string), command).toBe(true);
    }
    const warning = /FutureWarning: (.*)$/m.exec(
      samples.get("butler query-datasets DS --collections *")?.stderr ?? "",
    );
    expect(warning).not.toBeNull();
    const all = await butler("query-datasets", repo("DS"), "--collections", "*");
    expect(all.err).toBe(`warning: ${warning?.[1]}\n`);
  });

  it("warns like daf_butler without dataset types or collections, and refuses a find-first search of everything", async () => {
    const everything = await butler("query-datasets", repo("DS"));
    const explicit = await butler("query-datasets", repo("DS"), "*", "--collections", "*");
    expect(everything.code).toBe(0);
    expect(everything.out).toBe(explicit.out);
    expect(everything.err).toBe(
      "warning: No --collections specified.  The --collections argument will become mandatory after v28.\n" +
        "warning: No dataset types specified.  Explicitly specifying dataset types will become mandatory after v28. Specify '*' to match the current behavior of querying all dataset types.\n",
    );
    expect(explicit.err).toBe("");
    expect(await butler("query-datasets", repo("DS"), "bias", "--find-first")).toEqual({
      code: 1,
      out: "",
      err: "error: --find-first needs --collections: the first collection found wins\nhint: Name the collections to search, in order, with --collections.\n",
    });
    const pattern = await butler(
      "query-datasets",
      repo("DS"),
      "bias",
      "--collections",
      "imp*",
      "--find-first",
    );
    expect(pattern.code).toBe(1);
    expect(pattern.err).toMatch(/^error: Collection pattern "imp\*" cannot be used in a find-first search/);
  });

  it("adds predicted URIs with --show-uri for datasets imported without files", async () => {
    const result = await butler(
      "query-datasets",
      repo("DS"),
      "bias",
      "--collections",
      "imported_g",
      "--show-uri",
    );
    expect(result.code, result.err).toBe(0);
    expect(column(result.out.trim(), "URI")).toEqual(
      ["Aa", "Ab", "Ba"].map(
        (d) => `file://${repo("DS")}/imported_g/bias/bias_Cam1_${d}_imported_g.fits#predicted`,
      ),
    );
  });

  it("gives datasets as JSON objects keyed by column name, and as CSV", async () => {
    const args = [
      "query-datasets",
      repo("DS"),
      "flat",
      "--collections",
      "imported_r,imported_g",
      "--find-first",
    ];
    const json = JSON.parse((await butler(...args, "--format", "json")).out);
    expect(json).toHaveLength(7);
    expect(json[0]).toEqual({
      type: "flat",
      run: "imported_g",
      id: "60c8a65c-7290-4c38-b1de-e3b1cdcf872d",
      instrument: "Cam1",
      detector: 2,
      physical_filter: "Cam1-G",
      band: "g",
    });
    const csv = (await butler(...args, "--format", "csv")).out.split("\n");
    expect(csv[0]).toBe("type,run,id,instrument,detector,physical_filter,band");
    expect(csv[4]).toBe("flat,imported_r,d0bb04cd-d697-4a83-ba53-cdfcd58e3a0c,Cam1,1,Cam1-R1,r");
    expect(csv).toHaveLength(9);
  });

  it("gives records as typed JSON: timespans as ISO pairs, regions as hex, None as null", async () => {
    const args = [
      "query-dimension-records",
      repo("HSC"),
      "visit",
      "--where",
      "instrument='HSC'",
      "--limit",
      "1",
    ];
    const [visit] = JSON.parse((await butler(...args, "--format", "json")).out);
    expect(visit).toMatchObject({
      instrument: "HSC",
      id: 318,
      day_obs: 20140324,
      exposure_time: 240,
      seq_num: null,
      "timespan (TAI)": ["2014-03-25T09:34:19.634", "2014-03-25T09:38:21.595"],
    });
    expect(visit.region).toMatch(/^70f273f45e7a8bebbf35/);
    const csv = (await butler(...args, "--format", "csv")).out.split("\n");
    expect(csv[0]).toBe(
      "instrument,id,day_obs,physical_filter,name,seq_num,exposure_time,target_name,observation_reason,science_program,azimuth,zenith_angle,region,timespan (TAI)",
    );
    expect(csv[1]).toMatch(
      /^HSC,318,20140324,HSC-Y,HSCA00031800,,240\.0,,,,,,70f273f4[0-9a-f]+,2014-03-25T09:34:19\.634\/2014-03-25T09:38:21\.595$/,
    );
  });

  it("answers the issue's spatial overlaps through query-data-ids --format json", async () => {
    const query = async (...args: string[]) => {
      const result = await butler("query-data-ids", repo("SP"), ...args, "--format", "json");
      expect(result.err).toBe("");
      return JSON.parse(result.out) as Record<string, number | string>[];
    };
    const where = ["--where", "instrument='Cam1' AND skymap='SkyMap1' AND tract=0"];
    const patches = new Map<string, number[]>();
    for (const row of await query(
      "visit",
      "detector",
      "patch",
      ...where,
      "--order-by",
      "visit,detector,patch",
    )) {
      const key = `${row.visit}/${row.detector}`;
      patches.set(key, [...(patches.get(key) ?? []), row.patch as number]);
    }
    expect(Object.fromEntries(patches)).toEqual(TRACT0_PATCHES_BY_DETECTOR);
    const tracts = await query("visit", "tract", "--where", "instrument='Cam1' AND skymap='SkyMap1'");
    expect(tracts.map((r) => [r.visit, r.tract]).sort()).toEqual([
      [1, 0],
      [2, 0],
      [2, 1],
    ]);
  });

  it("creates a repository with a fine skypix level that answers as the default one does", async () => {
    const fine = join(dir.path, "fine");
    const created = await butler("create", fine, "--fine-skypix", "htm9");
    expect(created, created.err).toMatchObject({ code: 0 });
    for (const file of REPOS.SP) {
      const result = await butler(
        "import",
        fine,
        fixturePath("registry_data"),
        "--export-file",
        file,
        "--without-datastore",
      );
      expect(result, result.err).toMatchObject({ code: 0 });
    }
    const where = "instrument='Cam1' AND visit_detector_region.region OVERLAPS CIRCLE(0.4, 1.0, 0.15)";
    const ask = (path: string) =>
      butler("query-data-ids", path, "visit", "detector", "--where", where, "--format", "json");
    const [ours, theirs] = [await ask(fine), await ask(repo("SP"))];
    expect(JSON.parse(ours.out)).toEqual(JSON.parse(theirs.out));
    expect(JSON.parse(ours.out).length).toBeGreaterThan(0);
    const bad = await butler("create", join(dir.path, "bad"), "--fine-skypix", "healpix9");
    expect(bad.code).toBe(1);
    expect(bad.err).toBe(
      'error: "healpix9" cannot be the fine skypix level of a repository with common skypix htm7\nhint: Use one of htm8, htm9, htm10, htm11.\n',
    );
  });

  it("joins hsc-rc2-subset's visits and patches as a brute-force test of every pair does", async () => {
    const oracle = new ExportOracle(REPOS.HSC);
    const patches = regionRecords(oracle, "patch");
    const expected = regionRecords(oracle, "visit")
      .flatMap((v) =>
        patches
          .filter((p) => overlaps(v.region, p.region))
          .map((p) => `${v.record.id}/${p.record.tract}/${p.record.id}`),
      )
      .sort();
    const result = await butler(
      "query-data-ids",
      repo("HSC"),
      "visit",
      "patch",
      "--where",
      "instrument='HSC' AND skymap='hsc_rings_v1'",
      "--format",
      "json",
    );
    const rows = JSON.parse(result.out) as Record<string, number>[];
    expect(rows.map((r) => `${r.visit}/${r.tract}/${r.patch}`).sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  it("takes option values that start with a dash, as daf_butler users type them", async () => {
    const where = ["--where", "instrument='Cam1'"];
    const descending = await butler(
      "query-data-ids",
      repo("SP"),
      "visit",
      "detector",
      ...where,
      "--order-by",
      "-detector",
    );
    expect(descending.code, descending.err).toBe(0);
    expect(column(descending.out, "detector")).toEqual(["4", "4", "3", "3", "2", "2", "1", "1"]);
    const twoKeys = await butler(
      "query-data-ids",
      repo("SP"),
      "visit",
      "detector",
      ...where,
      "--order-by=-detector,visit",
    );
    expect(column(twoKeys.out, "detector")).toEqual(["4", "4", "3", "3", "2", "2", "1", "1"]);
    expect(column(twoKeys.out, "visit")).toEqual(["1", "2", "1", "2", "1", "2", "1", "2"]);
    const repeated = await butler(
      "query-data-ids",
      repo("SP"),
      "visit",
      "detector",
      ...where,
      "--order-by",
      "-visit",
      "--order-by",
      "-detector",
    );
    expect(column(repeated.out, "visit")).toEqual(["2", "2", "2", "2", "1", "1", "1", "1"]);
    expect(column(repeated.out, "detector")).toEqual(["4", "3", "2", "1", "4", "3", "2", "1"]);
    const capped = await butler("query-data-ids", repo("SP"), "visit", "detector", ...where, "--limit", "-2");
    expect(capped.code).toBe(0);
    expect(column(capped.out, "detector")).toEqual(["1", "2"]);
    expect(capped.err).toBe(
      "warning: More data IDs are available than the requested limit of 2; use --limit 0 to see all, or --limit 2 to cap them without this warning.\n",
    );
  });

  it("applies --limit as daf_butler's CLI does: 0 all, N silently, -N with a warning only when rows are cut", async () => {
    const run = (...extra: string[]) =>
      butler("query-data-ids", repo("SP"), "visit", "detector", "--where", "instrument='Cam1'", ...extra);
    for (const [limit, rows, warned] of [
      [undefined, 8, false],
      ["0", 8, false],
      ["2", 2, false],
      ["-8", 8, false],
      ["-7", 7, true],
    ] as const) {
      const result = await (limit === undefined ? run() : run("--limit", limit));
      expect(column(result.out, "visit"), `--limit ${limit}`).toHaveLength(rows);
      expect(result.err !== "", `--limit ${limit}`).toBe(warned);
    }
    const skipped = await run("--order-by", "visit,detector", "--offset", "6");
    expect(column(skipped.out, "detector")).toEqual(["3", "4"]);
    expect((await run("--limit", "two")).err).toBe(
      'error: Invalid --limit "two": not an integer\nhint: Pass a whole number, e.g. --limit 10.\n',
    );
  });

  it("counts --limit over every dataset type of query-datasets", async () => {
    const result = await butler("query-datasets", repo("DS"), "*", "--collections", "*", "--limit", "-7");
    expect(result.code).toBe(0);
    expect(result.out.match(/^bias /gm)).toHaveLength(6);
    expect(result.out.match(/^flat /gm)).toHaveLength(1);
    expect(result.err).toBe(
      "warning: More datasets are available than the requested limit of 7; use --limit 0 to see all, or --limit 7 to cap them without this warning.\n",
    );
  });

  it("prints an empty table and says why on stderr when nothing matches, exit 0", async () => {
    const where = ["--where", "instrument='Cam1' AND detector > 5"];
    const dataIds = await butler("query-data-ids", repo("DS"), "detector", ...where);
    // The reasons are explainNoResults()'s: they name the term that rules every row out.
    expect(dataIds).toEqual({
      code: 0,
      out: "instrument detector\n---------- --------\n",
      err: expect.stringMatching(
        /^[^\n]*detector > 5[^\n]*\nNo results\. Try --help for more information\.\n$/,
      ),
    });
    expect((await butler("query-data-ids", repo("DS"), "detector", ...where, "--format", "json")).out).toBe(
      "[]\n",
    );
    expect((await butler("query-data-ids", repo("DS"), "detector", ...where, "--format", "csv")).out).toBe(
      "instrument,detector\n",
    );
    const datasets = await butler(
      "query-datasets",
      repo("DS"),
      "bias",
      "--collections",
      "imported_g",
      ...where,
    );
    expect(datasets.code).toBe(0);
    expect(datasets.out).toBe("\n");
    expect(datasets.err).toMatch(/^[^\n]*bias[^\n]*imported_g[^\n]*detector > 5[^\n]*\nNo results/);
    const records = await butler(
      "query-dimension-records",
      repo("DS"),
      "detector",
      ...where,
      "--format",
      "json",
    );
    expect(records.code).toBe(0);
    expect(records.out).toBe("[]\n");
    expect(records.err).toMatch(/^[^\n]*detector > 5[^\n]*\nNo results/);
    const nothing = await butler("query-data-ids", repo("DS"));
    expect(nothing).toEqual({
      code: 0,
      out: "",
      err: "Result has one logical row but no columns because no dimensions were requested.\nNo results. Try requesting some dimensions or datasets, see --help for more information.\n",
    });
  });

  it("reports a malformed expression with a caret under the problem, exit 1", async () => {
    const expression = "instrument='Cam1' AND detector >";
    const result = await butler("query-data-ids", repo("DS"), "detector", "--where", expression);
    expect(result.code).toBe(1);
    expect(result.out).toBe("");
    const lines = result.err.split("\n");
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[1]).toBe(expression);
    expect(lines[2]).toBe(`${" ".repeat(expression.length)}^`);
    const unknown = await butler(
      "query-dimension-records",
      repo("DS"),
      "detector",
      "--where",
      "instrument='Cam1' AND detectr = 1",
    );
    expect(unknown.code).toBe(1);
    expect(unknown.err.split("\n").slice(1, 3)).toEqual([
      "instrument='Cam1' AND detectr = 1",
      "                      ^^^^^^^",
    ]);
  });

  it("fails on an unknown dataset type, collection or element, exit 1", async () => {
    const type = await butler("query-datasets", repo("DS"), "biass", "--collections", "imported_g");
    expect(type.code).toBe(1);
    expect(type.err).toMatch(
      /^error: Dataset type "biass" is not registered in repository .*\nhint: Did you mean "bias"\?\n$/,
    );
    const collection = await butler("query-datasets", repo("DS"), "bias", "--collections", "imported_x");
    expect(collection.code).toBe(1);
    expect(collection.err).toMatch(/^error: Collection "imported_x" not found in repository /);
    const constraint = await butler("query-data-ids", repo("DS"), "detector", "--datasets", "flatt");
    expect(constraint.code).toBe(1);
    expect(constraint.err).toMatch(/^error: Dataset type "flatt" is not registered/);
    const element = await butler("query-dimension-records", repo("DS"), "detectors");
    expect(element.code).toBe(1);
    expect(element.err).toMatch(/^error: .*"detectors"/);
    // A glob that matches nothing is an empty result, not an error.
    const glob = await butler("query-datasets", repo("DS"), "x*", "--collections", "imported_g");
    expect(glob).toEqual({
      code: 0,
      out: "\n",
      err: 'No dataset types match "x*".\nNo results. Try --help for more information.\n',
    });
  });

  it("constrains data IDs and records by datasets, with the dimensions the dataset types share", async () => {
    const both = await butler(
      "query-data-ids",
      repo("DS"),
      "--datasets",
      "bias,flat",
      "--collections",
      "imported_g",
    );
    expect(both.code, both.err).toBe(0);
    expect(both.out).toBe(
      "instrument detector\n---------- --------\n      Cam1        2\n      Cam1        3\n",
    );
    const records = await butler(
      "query-dimension-records",
      repo("DS"),
      "detector",
      "--datasets",
      "flat",
      "--collections",
      "imported_g",
    );
    expect(column(records.out, "id")).toEqual(["2", "3", "4"]);
    const allCollections = await butler("query-data-ids", repo("DS"), "detector", "--datasets", "b*");
    expect(column(allCollections.out, "detector")).toEqual(["1", "2", "3", "4"]);
    for (const verb of [
      ["query-data-ids", "detector"],
      ["query-dimension-records", "detector"],
    ]) {
      const alone = await butler(
        verb[0] as string,
        repo("DS"),
        verb[1] as string,
        "--collections",
        "imported_g",
      );
      expect(alone.code).toBe(1);
      expect(alone.err).toMatch(/^error: --collections may only be used with --datasets\n/);
    }
  });

  it("says when dataset types have no dimension in common", async () => {
    const register = await butler("register-dataset-type", repo("EDIT"), "skyMap", "SkyMap", "skymap");
    expect(register.code, register.err).toBe(0);
    const result = await butler("query-data-ids", repo("EDIT"), "--datasets", "bias,skyMap");
    expect(result).toEqual({
      code: 0,
      out: "",
      err: "No dimensions in common for specified dataset types (['bias', 'skyMap'])\nNo results. Try --help for more information.\n",
    });
  });

  it("passes --bind values to the expression's parameters, numbers as numbers", async () => {
    const result = await butler(
      "query-dimension-records",
      repo("HSC"),
      "visit",
      "--where",
      "instrument = :camera AND visit IN (:first, :second)",
      "--bind",
      "camera=HSC",
      "--bind",
      "first=318",
      "--bind",
      "second=322",
    );
    expect(result.code, result.err).toBe(0);
    expect(column(result.out, "id")).toEqual(["318", "322"]);
  });

  it("warns that --no-check has no effect", async () => {
    const result = await butler("query-dimension-records", repo("DS"), "detector", "--no-check");
    expect(result.code).toBe(0);
    expect(column(result.out, "id")).toEqual(["1", "2", "3", "4"]);
    expect(result.err).toBe("warning: --no-check option has no effect and will be removed after v28.\n");
  });

  it("associates the datasets a --where expression selects, find-first or not, up to --limit", async () => {
    const tagged = await butler(
      "associate",
      repo("EDIT"),
      "red",
      "--dataset-type",
      "flat",
      "--collections",
      "imported_r,imported_g",
      "--where",
      "instrument='Cam1' AND band='r'",
    );
    expect(tagged).toEqual({ code: 0, out: 'Associated 4 datasets with "red".\n', err: "" });
    const red = JSON.parse(
      (await butler("query-datasets", repo("EDIT"), "flat", "--collections", "red", "--format", "json")).out,
    );
    expect(red.map((r: { band: string; run: string }) => [r.band, r.run])).toEqual(
      Array(4).fill(["r", "imported_r"]),
    );

    const first = await butler(
      "associate",
      repo("EDIT"),
      "first",
      "--dataset-type",
      "bias",
      "--collections",
      "imported_r",
      "--collections",
      "imported_g",
      "--find-first",
      "--where",
      "instrument='Cam1' AND detector IN (1, 2)",
    );
    expect(first.out).toBe('Associated 2 datasets with "first".\n');
    const firstRefs = JSON.parse(
      (await butler("query-datasets", repo("EDIT"), "bias", "--collections", "first", "--format", "json"))
        .out,
    );
    expect(firstRefs.map((r: { detector: number; run: string }) => [r.detector, r.run])).toEqual([
      [1, "imported_g"],
      [2, "imported_r"],
    ]);

    const one = await butler(
      "associate",
      repo("EDIT"),
      "one",
      "--dataset-type",
      "bias",
      "--collections",
      "imported_g",
      "--limit",
      "1",
    );
    expect(one).toEqual({ code: 0, out: 'Associated 1 dataset with "one".\n', err: "" });

    const none = await butler(
      "associate",
      repo("EDIT"),
      "none",
      "--dataset-type",
      "bias",
      "--collections",
      "imported_g",
      "--where",
      "instrument='Cam1' AND detector > 8",
    );
    expect(none.code).toBe(0);
    expect(none.out).toBe('Associated 0 datasets with "none".\n');
    expect(none.err).toMatch(/^[^\n]*detector > 8[^\n]*\nNo datasets matched the query\.\n$/);
    const bad = await butler(
      "associate",
      repo("EDIT"),
      "bad",
      "--collections",
      "imported_g",
      "--where",
      "detector >",
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error: .*\ndetector >\n {10}\^\n$/);
  });
});
