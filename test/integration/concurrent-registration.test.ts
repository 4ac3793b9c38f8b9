import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import { ConflictingDefinitionError } from "../../src/errors.ts";
import type { Registry } from "../../src/registry/registry.ts";
import { createRepository } from "../../src/repository/create-repository.ts";
import { openRegistry } from "../../src/repository/open-registry.ts";
import { rejection } from "../support/caught.ts";
import { describeEachBackend } from "../support/registry-backends.ts";
import { tempDir } from "../support/temp-repo.ts";

// On SQLite the same race is covered across processes by concurrent-writes.test.ts: node:sqlite is
// synchronous, so two writers in one process would wait on each other's lock inside one event loop.
describeEachBackend("two writers registering dataset types at once", (backend) => {
  if (backend.name === "sqlite") {
    it.skip("[skipped: two SQLite writers in one process block each other; see concurrent-writes.test.ts]");
    return;
  }
  let dir: { path: string; cleanup: () => void };
  let writers: Registry[];

  beforeEach(async () => {
    dir = tempDir();
    const root = join(dir.path, "repo");
    await (await createRepository(root, await backend.repositoryOptions())).close();
    writers = [await openRegistry(root, { writeable: true }), await openRegistry(root, { writeable: true })];
  });

  afterEach(async () => {
    for (const writer of writers) await writer.close();
    dir.cleanup();
  });

  const type = (registry: Registry, name: string, storageClass = "StructuredDataDict") =>
    DatasetType.make(registry.universe, { name, dimensions: ["instrument", "detector"], storageClass });

  it("both succeed for the same definition: one registers it, the other finds it", async () => {
    const results = await Promise.all(writers.map((w) => w.datasetTypes.register(type(w, "notes"))));
    expect(results.sort()).toEqual([false, true]);
    for (const writer of writers)
      expect((await writer.datasetTypes.get("notes")).storageClass).toBe("StructuredDataDict");
  });

  it("both succeed for two types with the same new dimensions (their tables are shared)", async () => {
    const [a, b] = writers as [Registry, Registry];
    expect(
      await Promise.all([a.datasetTypes.register(type(a, "one")), b.datasetTypes.register(type(b, "two"))]),
    ).toEqual([true, true]);
    await a.refresh(); // what another writer registered shows after a refresh, as in daf_butler
    expect((await a.datasetTypes.query()).map((t) => t.name)).toEqual(["one", "two"]);
  });

  it("the loser of two different definitions of one name gets ConflictingDefinitionError", async () => {
    const [a, b] = writers as [Registry, Registry];
    const outcomes = await Promise.allSettled([
      a.datasetTypes.register(type(a, "notes")),
      b.datasetTypes.register(type(b, "notes", "Packages")),
    ]);
    const failed = outcomes.filter((o) => o.status === "rejected") as PromiseRejectedResult[];
    expect(failed).toHaveLength(1);
    const error = await rejection(Promise.reject(failed[0]?.reason), ConflictingDefinitionError);
    expect(error.message).toContain('Dataset type "notes" is already registered as');
  });
});
