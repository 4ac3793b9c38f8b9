import { describe, expect } from "vitest";
import { DatasetExistence } from "../../../src/butler/butler.ts";
import { DatasetRef } from "../../../src/datasets/dataset-ref.ts";
import { DatasetType } from "../../../src/datasets/dataset-type.ts";
import {
  ArgumentError,
  CollectionTypeError,
  DatasetNotFoundError,
  MissingCollectionError,
  OrphanedRecordError,
  StorageNotFoundError,
} from "../../../src/errors.ts";
import { type ButlerSuiteConfig, det, expectFailure, RUN, suiteTools } from "./target.ts";

const CLEAN = { missing: [], sizeMismatch: [], orphans: [], temporaries: [] };

/** pruneDatasets (unstore, purge, disassociate) and removeRuns. */
export function describeRemoval(config: ButlerSuiteConfig): void {
  const { test, testIf, writer } = suiteTools(config);

  describe("pruneDatasets", () => {
    test("unstore deletes the artifact and keeps the registry entry", async () => {
      const { butler } = await writer();
      const ref = await butler.put({ a: 1 }, "notes", det(1));
      await butler.pruneDatasets([ref], { unstore: true });
      expect((await butler.findDataset("notes", det(1)))?.id).toBe(ref.id);
      expect(await butler.exists(ref)).toBe(DatasetExistence.RECORDED);
      await expectFailure(
        butler.get(ref),
        StorageNotFoundError,
        /has no artifact|is not in datastore|none of the datastores/,
      );
      expect(await butler.check()).toEqual(CLEAN);
    });

    testIf("artifacts", "unstore removes the artifact from storage", async () => {
      const { target, butler } = await writer();
      const ref = await butler.put({ a: 1 }, "notes", det(1));
      const uri = await butler.getURI(ref);
      await butler.pruneDatasets([ref], { unstore: true });
      await expectFailure(target.readArtifact(uri), StorageNotFoundError, /no such/);
    });

    test("purge deletes the dataset entirely", async () => {
      const { butler } = await writer();
      const ref = await butler.put({ a: 1 }, "notes", det(1));
      const other = await butler.put({ b: 2 }, "notes", det(2));
      await butler.pruneDatasets([ref], { purge: true });
      expect(await butler.registry.datasets.get(ref.id)).toBeNull();
      expect(await butler.exists(ref)).toBe(0);
      await expectFailure(butler.get("notes", det(1)), DatasetNotFoundError, /detector: 1/);
      expect(await butler.get(other)).toEqual({ b: 2 });
      expect(await butler.check()).toEqual(CLEAN);
    });

    test("disassociate removes the datasets from TAGGED collections only", async () => {
      const { butler } = await writer();
      const ref = await butler.put({ a: 1 }, "notes", det(1));
      await butler.registry.collections.register("suite/tag", "TAGGED");
      await butler.registry.datasets.associate("suite/tag", [ref]);
      expect((await butler.findDataset("notes", det(1), { collections: "suite/tag" }))?.id).toBe(ref.id);
      await butler.pruneDatasets([ref], { disassociate: true, tags: ["suite/tag"] });
      expect(await butler.findDataset("notes", det(1), { collections: "suite/tag" })).toBeNull();
      expect(await butler.get("notes", det(1))).toEqual({ a: 1 });
    });

    test("purge needs disassociate and unstore", async () => {
      const { butler } = await writer();
      const ref = await butler.put({ a: 1 }, "notes", det(1));
      const message = "purge needs disassociate and unstore";
      await expectFailure(
        butler.pruneDatasets([ref], { purge: true, unstore: false }),
        ArgumentError,
        message,
      );
      await expectFailure(
        butler.pruneDatasets([ref], { purge: true, disassociate: false }),
        ArgumentError,
        message,
      );
      expect(await butler.get(ref)).toEqual({ a: 1 });
    });

    test("disassociate needs tags, and only TAGGED ones", async () => {
      const { butler } = await writer();
      const ref = await butler.put({ a: 1 }, "notes", det(1));
      const noTags = "disassociate needs the TAGGED collections to remove the datasets from (tags)";
      await expectFailure(butler.pruneDatasets([ref], { disassociate: true }), ArgumentError, noTags);
      await expectFailure(
        butler.pruneDatasets([ref], { disassociate: true, unstore: true }),
        ArgumentError,
        noTags,
      );
      await expectFailure(
        butler.pruneDatasets([ref], { disassociate: true, tags: [RUN] }),
        CollectionTypeError,
        `Cannot disassociate from "${RUN}": it is RUN, not TAGGED`,
      );
      expect(await butler.get(ref)).toEqual({ a: 1 });
    });

    test("pruning nothing, or a component, is refused", async () => {
      const { butler } = await writer();
      const ref = await butler.put({ summary: {} }, "composite", det(1));
      await expectFailure(
        butler.pruneDatasets([ref], {}),
        ArgumentError,
        "No operation: one of purge, unstore or disassociate must be given",
      );
      const componentType = DatasetType.make(butler.universe, {
        name: "composite.summary",
        dimensions: ref.datasetType.dimensions,
        storageClass: "StructuredDataDict",
      });
      const component = new DatasetRef(ref.id, componentType, ref.dataId, RUN);
      await expectFailure(
        butler.pruneDatasets([component], { purge: true }),
        ArgumentError,
        "Cannot prune component datasets; prune their parents",
      );
      expect(await butler.get(ref)).toEqual({ summary: {} });
    });
  });

  describe("removeRuns", () => {
    test("removes the RUN, its datasets and their artifacts", async () => {
      const { butler } = await writer();
      const refs = [await butler.put({ a: 1 }, "notes", det(1)), await butler.put([1], "lists", det(1))];
      await butler.removeRuns([RUN]);
      await expectFailure(butler.registry.collections.getInfo(RUN), MissingCollectionError, new RegExp(RUN));
      for (const ref of refs) expect(await butler.registry.datasets.get(ref.id)).toBeNull();
      expect(await butler.check()).toEqual(CLEAN);
    });

    test("refuses a collection that is not a RUN", async () => {
      const { butler } = await writer();
      await butler.registry.collections.register("suite/tag", "TAGGED");
      await expectFailure(
        butler.removeRuns(["suite/tag"]),
        CollectionTypeError,
        'Collection "suite/tag" is TAGGED, not RUN',
      );
    });

    test("refuses a RUN still in a chain and leaves its datasets readable", async () => {
      const { butler } = await writer();
      await butler.put({ a: 1 }, "notes", det(1));
      await butler.registry.collections.register("suite/chain", "CHAINED");
      await butler.registry.collections.setChain("suite/chain", [RUN]);
      await expectFailure(
        butler.removeRuns([RUN]),
        OrphanedRecordError,
        `Collection "${RUN}" cannot be removed: chain "suite/chain" still lists it`,
      );
      expect(await butler.get("notes", det(1))).toEqual({ a: 1 });
      expect(await butler.check()).toEqual(CLEAN);
    });

    test("with unlinkFromChains removes the RUN from its chains first", async () => {
      const { butler } = await writer();
      await butler.put({ a: 1 }, "notes", det(1));
      await butler.registry.collections.register("suite/other", "RUN");
      await butler.registry.collections.register("suite/chain", "CHAINED");
      await butler.registry.collections.setChain("suite/chain", [RUN, "suite/other"]);
      await butler.removeRuns([RUN], { unlinkFromChains: true });
      expect(await butler.registry.collections.getChain("suite/chain")).toEqual(["suite/other"]);
      expect(await butler.registry.collections.query()).not.toContain(RUN);
    });
  });
}
