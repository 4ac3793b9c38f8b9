import { describe, expect } from "vitest";
import {
  DataIdValueError,
  DatasetNotFoundError,
  DimensionValueError,
  MissingCollectionError,
  MissingDatasetTypeError,
  NoDefaultCollectionError,
} from "../../../src/errors.ts";
import { SUITE_EXPOSURE } from "../../support/butler-fixtures.ts";
import { type ButlerSuiteConfig, det, expectFailure, RUN, suiteTools } from "./target.ts";

/** Finding datasets: data IDs in every form users write them, collections searched in order, not-found. */
export function describeFind(config: ButlerSuiteConfig): void {
  const { test, writer, start } = suiteTools(config);

  describe("finding datasets", () => {
    test("get() takes a detector by its full_name record field", async () => {
      const { butler } = await writer();
      await butler.put({ d: 3 }, "notes", det(3));
      expect(await butler.get("notes", { instrument: "Cam1", "detector.full_name": "Ba" })).toEqual({ d: 3 });
    });

    test("get() takes an exposure by its obs_id", async () => {
      const { butler } = await writer();
      const dataId = { instrument: "Cam1", exposure: SUITE_EXPOSURE.id, detector: 2 };
      await butler.put({ e: 42 }, "exposureNotes", dataId);
      const byObsId = { instrument: "Cam1", "exposure.obs_id": SUITE_EXPOSURE.obs_id, detector: 2 };
      expect(await butler.get("exposureNotes", byObsId)).toEqual({ e: 42 });
    });

    test("get() fills physical_filter from band when one filter has that band", async () => {
      const { butler } = await writer();
      await butler.put({ f: "G" }, "filterNotes", { instrument: "Cam1", physical_filter: "Cam1-G" });
      expect(await butler.get("filterNotes", { instrument: "Cam1", band: "g" })).toEqual({ f: "G" });
    });

    test("get() refuses a band that two physical filters have", async () => {
      const { butler } = await writer();
      await butler.put({ f: "R1" }, "filterNotes", { instrument: "Cam1", physical_filter: "Cam1-R1" });
      await expectFailure(
        butler.get("filterNotes", { instrument: "Cam1", band: "r" }),
        DimensionValueError,
        'More than one physical_filter matches instrument="Cam1", band="r"; give physical_filter in the data ID',
      );
    });

    test("get() with a record value nothing has fails with DataIdValueError", async () => {
      const { butler } = await writer();
      await butler.put({ d: 1 }, "notes", det(1));
      await expectFailure(
        butler.get("notes", { instrument: "Cam1", "detector.full_name": "Zz" }),
        DataIdValueError,
        /Zz/,
      );
    });

    test("the butler's default data ID fills the instrument", async () => {
      const { butler } = await writer({ dataId: { instrument: "Cam1" } });
      await butler.put({ d: 2 }, "notes", { detector: 2 });
      expect(await butler.get("notes", { detector: 2 })).toEqual({ d: 2 });
      expect((await butler.findDataset("notes", { detector: 2 }))?.dataId.required).toEqual(det(2));
    });

    test("get() of a dataset that is not there fails with DatasetNotFoundError naming type, data ID and collections", async () => {
      const { butler } = await writer();
      await butler.put({ d: 1 }, "notes", det(1));
      const error = await expectFailure(
        butler.get("notes", det(3)),
        DatasetNotFoundError,
        `Dataset notes with data ID {instrument: 'Cam1', detector: 3} could not be found in collections ['${RUN}']`,
      );
      expect(error.hint).toBe(`No dataset of type notes in collection ${RUN} matches detector = 3.`);
    });

    test("get() of an unknown dataset type fails with MissingDatasetTypeError", async () => {
      const { butler } = await writer();
      await expectFailure(butler.get("nope", det(1)), MissingDatasetTypeError, /"nope"/);
    });

    test("get() searches the collections in order and returns the first match", async () => {
      const { butler } = await writer();
      await butler.put({ from: "a" }, "notes", det(1), { run: RUN });
      await butler.registry.collections.register("suite/b", "RUN");
      await butler.put({ from: "b" }, "notes", det(1), { run: "suite/b" });
      await butler.put({ from: "b2" }, "notes", det(2), { run: "suite/b" });
      expect(await butler.get("notes", det(1), { collections: ["suite/b", RUN] })).toEqual({ from: "b" });
      expect(await butler.get("notes", det(1), { collections: [RUN, "suite/b"] })).toEqual({ from: "a" });
      expect(await butler.get("notes", det(2), { collections: [RUN, "suite/b"] })).toEqual({ from: "b2" });
    });

    test("get() searches a CHAINED collection's children in order", async () => {
      const { butler } = await writer();
      await butler.put({ from: "a" }, "notes", det(1), { run: RUN });
      await butler.registry.collections.register("suite/b", "RUN");
      await butler.put({ from: "b" }, "notes", det(1), { run: "suite/b" });
      await butler.registry.collections.register("suite/chain", "CHAINED");
      await butler.registry.collections.setChain("suite/chain", ["suite/b", RUN]);
      expect(await butler.get("notes", det(1), { collections: "suite/chain" })).toEqual({ from: "b" });
      await butler.registry.collections.setChain("suite/chain", [RUN, "suite/b"]);
      expect(await butler.get("notes", det(1), { collections: "suite/chain" })).toEqual({ from: "a" });
    });

    test("get() of a resolved ref reads that dataset, whatever the collections", async () => {
      const { butler } = await writer();
      const ref = await butler.put({ d: 4 }, "notes", det(4));
      await butler.registry.collections.register("suite/empty", "RUN");
      expect(await butler.get(ref, undefined, { collections: "suite/empty" })).toEqual({ d: 4 });
    });

    test("findDataset() returns the ref, or null when nothing matches", async () => {
      const { butler } = await writer();
      const ref = await butler.put({ d: 1 }, "notes", det(1));
      expect((await butler.findDataset("notes", det(1)))?.id).toBe(ref.id);
      expect(await butler.findDataset("notes", det(2))).toBeNull();
      expect(await butler.findDataset("lists", det(1))).toBeNull();
    });

    test("findDataset() still fails for an unknown dataset type or collection", async () => {
      const { butler } = await writer();
      await expectFailure(butler.findDataset("nope", det(1)), MissingDatasetTypeError, /"nope"/);
      await expectFailure(
        butler.findDataset("notes", det(1), { collections: "suite/absent" }),
        MissingCollectionError,
        /"suite\/absent"/,
      );
    });

    test("reads without collections on a butler without defaults fail with NoDefaultCollectionError", async () => {
      const target = await start();
      const butler = await target.open();
      await expectFailure(
        butler.get("notes", det(1)),
        NoDefaultCollectionError,
        "No collections to search, and the butler has no default collections",
      );
    });
  });
}
