import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it, onTestFinished } from "vitest";
import { parse, stringify } from "yaml";
import type { Butler } from "../../src/butler/butler.ts";
import { openButler } from "../../src/butler/open-butler.ts";
import type { StorageBackend } from "../../src/datastore/storage/storage-backend.ts";
import { createStorageBackends } from "../../src/datastore/storage/storage-backends.ts";
import {
  ButlerStateError,
  ConfigError,
  DatasetNotFoundError,
  DatasetTypeNotSupportedError,
  FileTemplateError,
  StorageError,
} from "../../src/errors.ts";
import { createRepository } from "../../src/repository/create-repository.ts";
import { refFor, sourceFile } from "../conformance/butler/ingest.ts";
import { det, expectFailure, RUN } from "../conformance/butler/target.ts";
import { type ButlerRepoOptions, createButlerRepo, SUITE_FORMATTERS } from "../support/butler-fixtures.ts";
import { describeWithFixtures } from "../support/shared-fixtures.ts";
import { tempDir } from "../support/temp-repo.ts";

const CLEAN = { missing: [], sizeMismatch: [], orphans: [], temporaries: [] };

/** A writer on a fresh suite repository with this datastore config, cleaned up after the test. */
async function writerOn(
  datastore: ButlerRepoOptions["datastore"],
): Promise<{ root: string; butler: Butler }> {
  const repo = await createButlerRepo({ datastore });
  onTestFinished(() => repo.cleanup());
  return { root: repo.root, butler: await repo.open({ run: RUN }) };
}

/** A backend whose every I/O fails, to show which calls touch storage. */
function refusingBackend(scheme: string): StorageBackend {
  const refuse = (action: string) => async (): Promise<never> => {
    throw new StorageError(`Storage was accessed (${action})`, `${scheme}://`);
  };
  return {
    scheme,
    capabilities: { atomicWrite: false, rangeRead: false, presign: false, list: false, links: false },
    read: refuse("read"),
    readRange: refuse("read"),
    readRanges: refuse("read"),
    write: refuse("write"),
    exists: refuse("exists"),
    stat: refuse("stat"),
    delete: refuse("delete"),
    transferIn: refuse("transfer"),
    list: () => ({
      [Symbol.asyncIterator]: () => ({ next: refuse("list") }),
    }),
  };
}

async function count(butler: Butler): Promise<number> {
  return (await butler.registry.datasets.query("notes", { collections: [RUN] })).length;
}

describeWithFixtures("butler behaviour that depends on the datastore configuration", () => {
  it("put() with a template that lacks a dimension of the type fails with FileTemplateError, writing nothing", async () => {
    const { root, butler } = await writerOn({ templates: { notes: "{run:/}/{datasetType}/{instrument}" } });
    const error = await expectFailure(
      butler.put({ a: 1 }, "notes", det(1)),
      FileTemplateError,
      'File template "{run:/}/{datasetType}/{instrument}" cannot be used for dataset type "notes" {instrument, detector}: required dimension "detector" is not in the template, so its paths would not be unique (via key "notes")',
    );
    expect(error.hint).toBe(
      "Add {detector} (or a record field of it, such as {detector.id}) to the template.",
    );
    expect(await count(butler)).toBe(0);
    expect(existsSync(join(root, RUN, "notes"))).toBe(false);
    expect(await butler.check()).toEqual(CLEAN);
  });

  it("getURI() with predict refuses the same template", async () => {
    const { butler } = await writerOn({ templates: { notes: "{run:/}/{datasetType}/{instrument}" } });
    await expectFailure(
      butler.getURI("notes", det(1), { predict: true }),
      FileTemplateError,
      /required dimension "detector"/,
    );
  });

  it("a template of the dataset type's own is used for its paths", async () => {
    const { root, butler } = await writerOn({
      templates: { notes: "{run:/}/{datasetType}/{instrument}_d{detector:02d}" },
    });
    await butler.put({ a: 1 }, "notes", det(3));
    expect(String(await butler.getURI("notes", det(3)))).toBe(`file://${root}/suite/run/notes/Cam1_d03.yaml`);
  });

  it("put() of a dataset type the constraints reject fails with DatasetTypeNotSupportedError, recording nothing", async () => {
    const { butler } = await writerOn({ constraints: { reject: ["notes"] } });
    await expectFailure(
      butler.put({ a: 1 }, "notes", det(1)),
      DatasetTypeNotSupportedError,
      'Datastore FileDatastore@<butlerRoot> does not accept dataset type "notes"',
    );
    expect(await count(butler)).toBe(0);
    await butler.put("accepted", "texts", det(1));
    expect(await butler.get("texts", det(1))).toBe("accepted");
  });

  it("a chained datastore stores a type only in the children that accept it", async () => {
    const { butler } = await writerOn({
      cls: "lsst.daf.butler.datastores.chainedDatastore.ChainedDatastore",
      datastores: [
        {
          cls: "lsst.daf.butler.datastores.inMemoryDatastore.InMemoryDatastore",
          constraints: { accept: ["texts"] },
        },
        { root: "<butlerRoot>", formatters: SUITE_FORMATTERS, constraints: { reject: ["texts"] } },
      ],
    });
    await butler.put("kept in memory", "texts", det(1));
    await butler.put({ on: "disk" }, "notes", det(1));
    expect((await butler.getURI("texts", det(1))).scheme).toBe("mem");
    expect((await butler.getURI("notes", det(1))).scheme).toBe("file");
    expect(await butler.get("texts", det(1))).toBe("kept in memory");
  });

  it("an in-memory datastore refuses ingest with ButlerStateError, recording nothing", async () => {
    const { root, butler } = await writerOn({
      cls: "lsst.daf.butler.datastores.inMemoryDatastore.InMemoryDatastore",
    });
    const source = join(root, "..", "notes.yaml");
    await writeFile(source, "a: 1\n");
    const ref = await refFor(butler, "notes", 1);
    await expectFailure(
      butler.ingest([{ path: source, refs: [ref] }], { transfer: "copy" }),
      ButlerStateError,
      "Datastore InMemoryDatastore keeps objects in memory and cannot ingest files",
    );
    expect(await butler.registry.datasets.get(ref.id)).toBeNull();
  });

  it("a mem:// file datastore refuses link ingest with StorageError, recording nothing", async () => {
    const repo = await createButlerRepo({
      datastore: { root: "mem://links/", formatters: SUITE_FORMATTERS },
    });
    onTestFinished(() => repo.cleanup());
    const butler = await repo.open({ run: RUN });
    const source = await sourceFile(join(repo.root, ".."), "notes.yaml", "a: 1\n");
    const ref = await refFor(butler, "notes", 1);
    await expectFailure(
      butler.ingest([{ path: source, refs: [ref] }], { transfer: "symlink" }),
      StorageError,
      /^Cannot symlink .* the in-memory store cannot hold links$/,
    );
    expect(await butler.registry.datasets.get(ref.id)).toBeNull();
    expect(existsSync(source)).toBe(true);
  });

  it("get() of a dataset that is not there fails before any storage access", async () => {
    const repo = await createButlerRepo({ datastore: { formatters: SUITE_FORMATTERS } });
    onTestFinished(() => repo.cleanup());
    await (await repo.open({ run: RUN })).put({ a: 1 }, "notes", det(1));
    const storage = createStorageBackends([refusingBackend("file")]);
    const noStorage = await openButler(repo.root, { collections: RUN, storage });
    onTestFinished(() => noStorage.close());
    await expectFailure(noStorage.get("notes", det(2)), DatasetNotFoundError, /detector: 2/);
    await expectFailure(noStorage.get("notes", det(1)), StorageError, "Storage was accessed (read)");
  });

  it("a malformed storageClasses section fails at open with ConfigError naming its path", async () => {
    const repo = await createButlerRepo({ populate: false });
    onTestFinished(() => repo.cleanup());
    const config = join(repo.root, "butler.yaml");
    const document = parse(await readFile(config, "utf8"));
    document.storageClasses.Broken = { inheritsFrom: "Nowhere" };
    await writeFile(config, stringify(document));
    await expectFailure(
      repo.open(),
      ConfigError,
      'storageClasses.Broken.inheritsFrom: unknown storage class "Nowhere"',
    );
  });
});

describeWithFixtures("creating a repository", () => {
  it("refuses a malformed file template before anything is written", async () => {
    const dir = tempDir();
    onTestFinished(() => dir.cleanup());
    const seed = join(dir.path, "seed.yaml");
    await writeFile(seed, stringify({ datastore: { templates: { default: "{run}/{datasetType}/{visit" } } }));
    const error = await createRepository(join(dir.path, "repo"), { seedConfig: seed }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FileTemplateError);
    expect((error as FileTemplateError).code).toBe("FileTemplateError");
    expect((error as FileTemplateError).message).toBe(
      'datastore.templates.default: Invalid file template "{run}/{datasetType}/{visit": "{" at position 20 is never closed',
    );
    expect(existsSync(join(dir.path, "repo"))).toBe(false);
  });
});
