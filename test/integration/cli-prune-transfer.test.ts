import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { createCam1Repository } from "../support/cam1-repo.ts";
import { captureStreams } from "../support/capture.ts";
import { describeWithFixtures } from "../support/shared-fixtures.ts";
import { tempDir } from "../support/temp-repo.ts";

/** Run the CLI; `answer` is typed at a terminal when a verb asks for confirmation. */
async function butler(args: string[], answer?: string): Promise<{ code: number; out: string; err: string }> {
  const io = captureStreams();
  let stdin: (PassThrough & { isTTY?: boolean }) | undefined;
  if (answer !== undefined) {
    stdin = Object.assign(new PassThrough(), { isTTY: true });
    stdin.end(`${answer}\n`);
  }
  const code = await main(args, { ...io, ...(stdin === undefined ? {} : { stdin }) });
  return { code, out: io.out(), err: io.err() };
}

const MESSAGES = {
  noOp: "error: No operation: one of --purge, --unstore, or --disassociate must be provided.\n",
  purgeAndDisassociate:
    "error: --disassociate and --purge may not be used together: --disassociate purges from just the passed TAGged collections, but --purge forces disassociation from all of them.\n",
  noCollections:
    "error: Must indicate collections from which to prune datasets by passing COLLETION arguments (select all collections by passing '*', or consider using 'butler prune-collections'), by using --purge to pass a run collection, or by using --disassociate to select a tagged collection.\n",
};

describeWithFixtures("butler prune-datasets and transfer-datasets", () => {
  let dir: { path: string; cleanup: () => void };
  const file = (...parts: string[]) => join(dir.path, ...parts);
  let count = 0;

  /** A new repository with notes for detectors 1-3 in run `run`, their files on disk. */
  async function repoWithNotes(): Promise<string> {
    const repo = file(`repo${++count}`);
    await createCam1Repository(repo);
    for (const detector of [1, 2, 3]) {
      writeFileSync(file("n.json"), `{"detector": ${detector}}`);
      const put = await butler([
        "put",
        repo,
        "notes",
        "run",
        file("n.json"),
        "--data-id",
        `instrument=Cam1,detector=${detector}`,
      ]);
      expect(put.code, put.err).toBe(0);
    }
    return repo;
  }

  const artifact = (repo: string, detector: string) =>
    join(repo, `run/notes/notes_Cam1_${detector}_run.yaml`);
  const listed = async (repo: string) =>
    JSON.parse(
      (await butler(["query-datasets", repo, "notes", "--collections", "*", "--format", "json"])).out,
    ).length;

  beforeAll(() => {
    dir = tempDir("butler-prune-");
  });

  afterAll(() => dir?.cleanup());

  it("gives daf_butler's errors for contradictory or empty prune requests", async () => {
    const repo = await repoWithNotes();
    expect(await butler(["prune-datasets", repo, "run"])).toEqual({ code: 1, out: "", err: MESSAGES.noOp });
    expect((await butler(["prune-datasets", repo, "--purge", "run", "--disassociate", "tag"])).err).toBe(
      MESSAGES.purgeAndDisassociate,
    );
    expect((await butler(["prune-datasets", repo, "--unstore"])).err).toBe(MESSAGES.noCollections);
    expect((await butler(["--quiet", "prune-datasets", repo, "run", "--unstore", "--dry-run"])).err).toBe(
      "error: Can not use --quiet and --dry-run together.\n",
    );
    expect((await butler(["collection-chain", repo, "chain", "run"])).code).toBe(0);
    expect((await butler(["prune-datasets", repo, "--purge", "chain"])).err).toBe(
      "error: Can not prune a collection that is not a RUN collection: chain\n",
    );
  });

  it("--dry-run shows what would be pruned and changes nothing", async () => {
    const repo = await repoWithNotes();
    const result = await butler([
      "prune-datasets",
      repo,
      "--purge",
      "run",
      "--datasets",
      "notes",
      "--where",
      "instrument = 'Cam1' AND detector = 2",
      "--dry-run",
    ]);
    expect(result.code, result.err).toBe(0);
    const lines = result.out.split("\n");
    expect(lines[0]).toBe(
      "The following datasets will be disassociated from run if they are currently present in it (which is not checked), and removed from any datastores in which they are present.",
    );
    expect(lines.slice(1, 3)).toEqual([
      "",
      " type run                  id                  instrument detector",
    ]);
    expect(lines[4]).toMatch(/^notes run [0-9a-f-]{36} {7}Cam1 {8}2$/);
    expect(existsSync(artifact(repo, "Ab"))).toBe(true);
    expect(await listed(repo)).toBe(3);
  });

  it("--unstore --no-confirm deletes the files and keeps the registry entries", async () => {
    const repo = await repoWithNotes();
    const result = await butler([
      "prune-datasets",
      repo,
      "run",
      "--datasets",
      "notes",
      "--unstore",
      "--no-confirm",
    ]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^Removed the following datasets:\n\n type run +id +instrument detector\n/);
    expect(existsSync(artifact(repo, "Aa"))).toBe(false);
    expect(await listed(repo)).toBe(3);
    const get = await butler([
      "get",
      repo,
      "notes",
      "--data-id",
      "instrument=Cam1,detector=1",
      "--collections",
      "run",
    ]);
    expect(get.code).toBe(1);
  });

  it("--purge asks 'Continue?' on a terminal and prunes only on yes", async () => {
    const repo = await repoWithNotes();
    const args = ["prune-datasets", repo, "--purge", "run", "--datasets", "notes"];
    const no = await butler(args, "n");
    expect(no.out).toMatch(
      /^The following datasets will be removed:\n\n.*\n.*\n(notes .*\n){3}\nDid not remove the datasets\.\n$/,
    );
    expect(no.err).toBe("Continue? [y/N]: ");
    expect(await listed(repo)).toBe(3);
    const yes = await butler(args, "y");
    expect(yes.out).toMatch(/\nThe datasets were removed\.\n$/);
    expect(await listed(repo)).toBe(0);
    expect(existsSync(artifact(repo, "Aa"))).toBe(false);
    expect(await butler(args, "y")).toEqual({ code: 0, out: "Did not find any datasets.\n", err: "" });
  });

  it("refuses to prune without asking when input is not a terminal", async () => {
    const repo = await repoWithNotes();
    const result = await butler(["prune-datasets", repo, "--purge", "run", "--datasets", "notes"]);
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      "error: Refusing to change the repository without confirmation: standard input is not a terminal\nhint: Pass --no-confirm to proceed without being asked.\n",
    );
    expect(await listed(repo)).toBe(3);
  });

  it("--disassociate removes the datasets from a TAGGED collection only", async () => {
    const repo = await repoWithNotes();
    expect(
      (await butler(["associate", repo, "tag", "--dataset-type", "notes", "--collections", "run"])).code,
    ).toBe(0);
    const result = await butler([
      "--quiet",
      "prune-datasets",
      repo,
      "--disassociate",
      "tag",
      "--datasets",
      "notes",
    ]);
    expect(result).toEqual({ code: 0, out: "", err: "" });
    const tagged = await butler(["query-datasets", repo, "notes", "--collections", "tag"]);
    expect(tagged.err).toContain("No results.");
    expect(await listed(repo)).toBe(3);
  });

  it("transfers datasets with their files into another repository, once", async () => {
    const source = await repoWithNotes();
    const dest = file("dest");
    expect((await butler(["create", dest])).code).toBe(0);
    const dry = await butler([
      "transfer-datasets",
      source,
      dest,
      "--collections",
      "run",
      "--register-dataset-types",
      "--dry-run",
    ]);
    expect(dry).toEqual({ code: 0, out: "Number of datasets that would be transferred: 3\n", err: "" });
    expect(existsSync(artifact(dest, "Aa"))).toBe(false);
    const missingType = await butler(["transfer-datasets", source, dest, "--collections", "run"]);
    expect(missingType.code).toBe(1);
    expect(missingType.err).toMatch(
      /^error: Dataset type "notes" is not registered in the destination\nhint: Pass registerDatasetTypes \(--register-dataset-types\)/,
    );
    const args = [
      "transfer-datasets",
      source,
      dest,
      "--collections",
      "run",
      "--dataset-type",
      "notes",
      "--register-dataset-types",
    ];
    expect(await butler(args)).toEqual({ code: 0, out: "Number of datasets transferred: 3\n", err: "" });
    expect(existsSync(artifact(dest, "Ab"))).toBe(true);
    const got = await butler([
      "get",
      dest,
      "notes",
      "--data-id",
      "instrument=Cam1,detector=2",
      "--collections",
      "run",
    ]);
    expect(got.out).toBe('{"detector": 2}\n');
    expect((await butler(args)).out).toBe("Number of datasets transferred: 0\n");
  });
});
