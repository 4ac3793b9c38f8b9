import { describe, expect } from "vitest";
import type { Butler } from "../../../src/butler/butler.ts";
import { DatasetRef } from "../../../src/datasets/dataset-ref.ts";
import {
  ArgumentError,
  ButlerStateError,
  CollectionTypeError,
  ConflictingDefinitionError,
  InvalidCollectionNameError,
  MissingCollectionError,
  NoDefaultCollectionError,
  StorageClassError,
} from "../../../src/errors.ts";
import { type ButlerSuiteConfig, det, expectFailure, RUN, suiteTools } from "./target.ts";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** How many datasets of a type the registry has in the suite's RUN. */
async function count(butler: Butler, type = "notes"): Promise<number> {
  return (await butler.registry.datasets.query(type, { collections: [RUN] })).length;
}

/** put, putMany and get of whole objects; what a failed write leaves behind. */
export function describePutGet(config: ButlerSuiteConfig): void {
  const { test, writer, start } = suiteTools(config);

  describe("put and get", () => {
    const cases: [string, string, unknown][] = [
      ["a mapping", "notes", { seeing: 0.7, ok: true, n: 3, none: null }],
      ["a list", "lists", [1, 2.5, "three", null, false]],
      ["text", "texts", "line one\nline two\n"],
      ["unicode text and keys", "notes", { 名前: "Zürich ✓", emoji: "🔭", 'quote"d': "a'b" }],
      ["nested values", "notes", { a: { b: { c: [1, [2, { d: "e" }]] } }, empty: {}, list: [] }],
    ];
    for (const [what, type, object] of cases) {
      test(`get() returns ${what} as it was put`, async () => {
        const { butler } = await writer();
        await butler.put(object, type, det(1));
        expect(await butler.get(type, det(1))).toEqual(object);
      });
    }

    test("put() returns a ref with a new UUIDv7, the RUN and the full data ID", async () => {
      const { butler } = await writer();
      const first = await butler.put({ a: 1 }, "notes", det(1));
      const second = await butler.put({ a: 2 }, "notes", det(2));
      expect(first.id).toMatch(UUID_V7);
      expect(second.id).toMatch(UUID_V7);
      expect(second.id).not.toBe(first.id);
      expect(first.run).toBe(RUN);
      expect(first.datasetType.name).toBe("notes");
      expect(first.dataId.required).toEqual({ instrument: "Cam1", detector: 1 });
      expect((await butler.registry.datasets.get(first.id))?.run).toBe(RUN);
    });

    test("opening with a run registers it as a RUN and makes it the default collection", async () => {
      const { butler } = await writer({ run: "suite/new-run" });
      expect((await butler.registry.collections.getInfo("suite/new-run")).type).toBe("RUN");
      expect(butler.run).toBe("suite/new-run");
      expect(butler.collections).toEqual(["suite/new-run"]);
      expect(butler.isWriteable()).toBe(true);
    });

    test("put() into a RUN that does not exist fails with MissingCollectionError and a hint", async () => {
      const { butler } = await writer();
      const error = await expectFailure(
        butler.put({ a: 1 }, "notes", det(1), { run: "suite/absent" }),
        MissingCollectionError,
        'RUN collection "suite/absent" does not exist',
      );
      expect(error.hint).toMatch(/\{ run: "suite\/absent" \}/);
      expect(await butler.registry.collections.query()).not.toContain("suite/absent");
    });

    test("put() into a collection that is not a RUN fails with CollectionTypeError", async () => {
      const { butler } = await writer();
      await butler.registry.collections.register("suite/tagged", "TAGGED");
      await expectFailure(
        butler.put({ a: 1 }, "notes", det(1), { run: "suite/tagged" }),
        CollectionTypeError,
        'Collection "suite/tagged" is TAGGED, not RUN; datasets can only be written to a RUN',
      );
    });

    test("put() without a run on a butler with no default run fails with NoDefaultCollectionError", async () => {
      const target = await start();
      const butler = await target.open({ writeable: true });
      await expectFailure(
        butler.put({ a: 1 }, "notes", det(1)),
        NoDefaultCollectionError,
        "No RUN to write to, and the butler has no default run",
      );
    });

    test("a second put() of the same type and data ID in a RUN fails and changes nothing", async () => {
      const { butler } = await writer();
      const first = await butler.put({ version: 1 }, "notes", det(1));
      const uri = await butler.getURI("notes", det(1));
      await expectFailure(
        butler.put({ version: 2 }, "notes", det(1)),
        ConflictingDefinitionError,
        /notes.*detector.*1/,
      );
      expect(await count(butler)).toBe(1);
      expect(await butler.get("notes", det(1))).toEqual({ version: 1 });
      expect(String(await butler.getURI("notes", det(1)))).toBe(String(uri));
      expect((await butler.findDataset("notes", det(1)))?.id).toBe(first.id);
      expect((await butler.check()).orphans).toEqual([]);
    });

    test("putMany() stores every object in one call", async () => {
      const { butler } = await writer();
      const refs = await butler.putMany([
        { object: { d: 1 }, datasetType: "notes", dataId: det(1) },
        { object: [2], datasetType: "lists", dataId: det(2) },
        { object: { d: 3 }, datasetType: "notes", dataId: det(3) },
      ]);
      expect(refs.map((r) => [r.datasetType.name, r.dataId.get("detector"), r.run])).toEqual([
        ["notes", 1, RUN],
        ["lists", 2, RUN],
        ["notes", 3, RUN],
      ]);
      expect(await butler.get("notes", det(3))).toEqual({ d: 3 });
      expect(await butler.get("lists", det(2))).toEqual([2]);
    });

    test("putMany() with one object of the wrong kind stores none of them", async () => {
      const { butler } = await writer();
      await expectFailure(
        butler.putMany([
          { object: { d: 1 }, datasetType: "notes", dataId: det(1) },
          { object: "not a mapping", datasetType: "notes", dataId: det(2) },
        ]),
        StorageClassError,
        'Storage class "StructuredDataDict" expects a mapping (a plain object, like Python\'s dict); got "not a mapping"',
      );
      expect(await count(butler)).toBe(0);
      expect(await butler.findDataset("notes", det(1))).toBeNull();
      expect((await butler.check()).orphans).toEqual([]);
    });

    test("put() of an object that does not fit the storage class fails and records nothing", async () => {
      const { butler } = await writer();
      const error = await expectFailure(
        butler.put([1, 2], "notes", det(1)),
        StorageClassError,
        /^Storage class "StructuredDataDict" expects a mapping .*; got /,
      );
      expect(error.hint).toMatch(/storage class fits the object/);
      expect(await count(butler)).toBe(0);
      expect(await butler.exists("notes", det(1))).toBe(0);
      expect((await butler.check()).orphans).toEqual([]);
    });

    test("put() of a resolved ref keeps its ID and RUN; a second put of it conflicts", async () => {
      const { butler } = await writer();
      const made = await butler.put({ a: 1 }, "notes", det(1), {});
      const ref = new DatasetRef(
        "0190f0e8-0000-7000-8000-000000000001",
        made.datasetType,
        made.dataId,
        "suite/other",
      );
      await butler.registry.collections.register("suite/other", "RUN");
      const stored = await butler.put({ a: 2 }, ref);
      expect([stored.id, stored.run]).toEqual([ref.id, "suite/other"]);
      expect(await butler.get(ref)).toEqual({ a: 2 });
      await expectFailure(
        butler.put({ a: 3 }, ref),
        ConflictingDefinitionError,
        `Dataset ${stored} is already stored`,
      );
    });

    test("put() of a component dataset type is refused", async () => {
      const { butler } = await writer();
      await expectFailure(
        butler.put({}, "composite.summary", det(1)),
        ArgumentError,
        'Cannot put a component ("composite.summary"); put the whole dataset',
      );
    });

    test("a run name that cannot be a collection name is refused when opening", async () => {
      const target = await start();
      await expectFailure(
        target.open({ run: "bad,name" }),
        InvalidCollectionNameError,
        'Invalid collection name "bad,name": it contains one of * ? [ ] , (reserved for patterns and lists)',
      );
    });

    test("a read-only butler refuses every write with ButlerStateError", async () => {
      const { target, butler: writerButler } = await writer();
      const ref = await writerButler.put({ a: 1 }, "notes", det(1));
      const reader = await target.open({ collections: RUN });
      expect(reader.isWriteable()).toBe(false);
      const message = "This butler is read-only";
      await expectFailure(reader.put({ a: 2 }, "notes", det(2), { run: RUN }), ButlerStateError, message);
      await expectFailure(reader.putMany([]), ButlerStateError, message);
      await expectFailure(reader.pruneDatasets([ref], { purge: true }), ButlerStateError, message);
      await expectFailure(reader.removeRuns([RUN]), ButlerStateError, message);
      await expectFailure(reader.ingest([]), ButlerStateError, message);
      expect(await count(writerButler)).toBe(1);
    });

    test("a closed butler refuses reads and writes with ButlerStateError", async () => {
      const { butler } = await writer();
      await butler.put({ a: 1 }, "notes", det(1));
      await butler.close();
      const message = "This butler has been closed";
      await expectFailure(butler.get("notes", det(1)), ButlerStateError, message);
      await expectFailure(butler.put({ a: 2 }, "notes", det(2)), ButlerStateError, message);
      await expectFailure(butler.findDataset("notes", det(1)), ButlerStateError, message);
      await expectFailure(butler.check(), ButlerStateError, message);
    });
  });
}
