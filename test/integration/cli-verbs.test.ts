import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { captureStreams } from "../support/capture.ts";
import { describeWithFixtures, fixturePath } from "../support/shared-fixtures.ts";
import { tempDir } from "../support/temp-repo.ts";

async function butler(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureStreams();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describeWithFixtures("butler verbs on a repository", () => {
  let dir: { path: string; cleanup: () => void };
  let repo: string;

  beforeAll(async () => {
    dir = tempDir();
    repo = join(dir.path, "repo");
    expect((await butler("create", repo)).code).toBe(0);
    const registryData = fixturePath("registry_data");
    for (const file of ["base.yaml", "datasets.yaml"]) {
      const result = await butler("import", repo, registryData, "--export-file", file, "--without-datastore");
      expect(result, result.err).toMatchObject({ code: 0 });
    }
  });

  afterAll(() => dir.cleanup());

  it("prints daf_butler's query-collections and query-dataset-types tables", async () => {
    expect((await butler("query-collections", repo)).out).toBe(
      "   Name    Type\n---------- ----\nimported_g RUN \nimported_r RUN \n",
    );
    expect((await butler("query-dataset-types", repo)).out).toBe("name\n----\nbias\nflat\n");
  });

  it("prints one JSON array keyed by column names, and CSV", async () => {
    const json = JSON.parse((await butler("query-collections", repo, "--format", "json")).out);
    expect(json).toEqual([
      { Name: "imported_g", Type: "RUN" },
      { Name: "imported_r", Type: "RUN" },
    ]);
    expect((await butler("query-dataset-types", repo, "-v", "--format", "csv")).out).toBe(
      'name,dimensions,storage class\nbias,"(instrument, detector)",Exposure\nflat,"(instrument, detector, physical_filter)",Exposure\n',
    );
    expect(
      JSON.parse((await butler("query-dataset-types", repo, "nothing*", "--format", "json")).out),
    ).toEqual([]);
  });

  it("edits chains in every mode and prints the result", async () => {
    expect((await butler("collection-chain", repo, "chain", "imported_r", "imported_g")).out).toBe(
      "[imported_r, imported_g]\n",
    );
    expect((await butler("collection-chain", repo, "chain", "imported_g", "--mode", "prepend")).out).toBe(
      "[imported_g, imported_r]\n",
    );
    expect((await butler("collection-chain", repo, "chain", "imported_g", "--mode", "remove")).out).toBe(
      "[imported_r]\n",
    );
    expect((await butler("collection-chain", repo, "chain", "imported_g", "--mode", "extend")).out).toBe(
      "[imported_r, imported_g]\n",
    );
    expect((await butler("collection-chain", repo, "chain", "--mode", "pop", "--", "-1")).out).toBe(
      "[imported_r]\n",
    );
    const tree = (await butler("query-collections", repo, "--chains", "TREE")).out;
    expect(tree).toBe(
      "    Name       Type \n------------ -------\nchain        CHAINED\n  imported_r RUN    \nimported_g   RUN    \nimported_r   RUN    \n",
    );
    const cycle = await butler("collection-chain", repo, "chain", "chain");
    expect(cycle.code).toBe(1);
    expect(cycle.err).toBe(
      'error: Chain "chain" cannot contain "chain": it would contain itself (chain -> chain)\n',
    );
  });

  it("certifies calibrations, with history, and refuses overlaps", async () => {
    const certify = await butler(
      "certify-calibrations",
      repo,
      "imported_g",
      "calib",
      "bias",
      "--begin-date",
      "2020-01-01T00:00:00",
      "--end-date",
      "2022-01-01T00:00:00",
    );
    expect(certify, certify.err).toMatchObject({ code: 0 });
    const history = JSON.parse(
      (await butler("query-calibration-history", repo, "calib", "bias", "--format", "json")).out,
    );
    expect(history).toHaveLength(3);
    expect(history[0]).toMatchObject({
      type: "bias",
      instrument: "Cam1",
      "validity (TAI)": "[2020-01-01T00:00:00, 2022-01-01T00:00:00)",
      "superseded (UTC)": null,
    });
    const again = await butler(
      "certify-calibrations",
      repo,
      "imported_r",
      "calib",
      "bias",
      "--begin-date",
      "2021-01-01T00:00:00",
    );
    expect(again.code).toBe(1);
    expect(again.err).toMatch(
      /^error: Cannot certify bias .* is already certified over \[2020-01-01T00:00:00, 2022-01-01T00:00:00\)\nhint: /,
    );
  });

  it("tags datasets found in other collections", async () => {
    const result = await butler(
      "associate",
      repo,
      "tagged",
      "--collections",
      "imported_g",
      "--dataset-type",
      "flat",
    );
    expect(result.out).toBe('Associated 3 datasets with "tagged".\n');
    expect(JSON.parse((await butler("query-collections", repo, "tagged", "--format", "json")).out)).toEqual([
      { Name: "tagged", Type: "TAGGED" },
    ]);
  });

  it("refuses to remove without confirmation when input is not a terminal, and removes with --no-confirm", async () => {
    const refused = await butler("remove-runs", repo, "imported_r");
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      "error: Refusing to change the repository without confirmation: standard input is not a terminal\nhint: Pass --no-confirm to proceed without being asked.\n",
    );
    const inChain = await butler("remove-runs", repo, "imported_r", "--no-confirm");
    expect(inChain.code).toBe(1);
    expect(inChain.err).toContain('Runs "imported_r" are in chains; not removing without --force');
    const removed = await butler("remove-runs", repo, "imported_r", "--no-confirm", "--force");
    expect(removed, removed.err).toMatchObject({ code: 0 });
    expect(removed.out).toContain("Total number of datasets to remove: 7\n");
    expect(
      JSON.parse(
        (await butler("query-collections", repo, "chain", "--chains", "TABLE", "--format", "json")).out,
      ),
    ).toEqual([{ Name: "chain", Type: "CHAINED", Children: "" }]);
    const collections = await butler("remove-collections", repo, "tagged", "--no-confirm");
    expect(collections, collections.err).toMatchObject({ code: 0 });
  });

  it("dumps its config", async () => {
    expect((await butler("config-dump", repo, "--subset", ".registry.db")).out).toBe(
      "sqlite:///<butlerRoot>/gen3.sqlite3\n",
    );
    const missing = await butler("config-dump", repo, "--subset", ".registry.nope");
    expect(missing.err).toContain('No key ".registry.nope"');
  });

  it("exports what daf_butler imports", async () => {
    const out = join(dir.path, "export");
    const result = await butler("export", repo, out, "--collections", "imported_g");
    expect(result, result.err).toMatchObject({ code: 0 });
    const copy = join(dir.path, "copy");
    expect((await butler("create", copy)).code).toBe(0);
    const imported = await butler("import", copy, out, "--without-datastore");
    expect(imported, imported.err).toMatchObject({ code: 0 });
    expect(JSON.parse((await butler("query-collections", copy, "--format", "json")).out)).toEqual([
      { Name: "imported_g", Type: "RUN" },
    ]);
  });

  it("names a missing repository", async () => {
    const result = await butler("query-collections", join(dir.path, "nowhere"));
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^error: No butler repository at .*nowhere: .*butler\.yaml does not exist\nhint: /,
    );
  });
});
