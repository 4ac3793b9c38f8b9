import { describe, expect } from "vitest";
import { DatasetExistence } from "../../../src/butler/butler.ts";
import { DatasetRef } from "../../../src/datasets/dataset-ref.ts";
import { DatasetNotFoundError } from "../../../src/errors.ts";
import { type ButlerSuiteConfig, det, expectFailure, RUN, suiteTools } from "./target.ts";

const { RECORDED, DATASTORE, ARTIFACT, ASSUMED, KNOWN, VERIFIED } = DatasetExistence;

/** Where datasets are and whether they exist: getURIs, getURI (predicted too), exists, stored. */
export function describeUris(config: ButlerSuiteConfig): void {
  const { test, testIf, writer } = suiteTools(config);

  describe("URIs and existence", () => {
    test("getURIs() gives one primary URI without a fragment, and getURI() the same", async () => {
      const { butler } = await writer();
      await butler.put({ a: 1 }, "notes", det(1));
      const uris = await butler.getURIs("notes", det(1));
      expect(uris.primary).not.toBeNull();
      expect(uris.primary?.fragment).toBeNull();
      expect(uris.components.size).toBe(0);
      expect(String(await butler.getURI("notes", det(1)))).toBe(String(uris.primary));
    });

    testIf("artifacts", "getURI() names the artifact that holds the dataset's bytes", async () => {
      const { target, butler } = await writer();
      await butler.put({ a: 1 }, "notes", det(1));
      const bytes = await target.readArtifact(await butler.getURI("notes", det(1)));
      expect(new TextDecoder().decode(bytes)).toBe("a: 1\n");
    });

    test("getURI() of a missing dataset fails with DatasetNotFoundError", async () => {
      const { butler } = await writer();
      await expectFailure(
        butler.getURI("notes", det(2)),
        DatasetNotFoundError,
        /^Dataset notes with data ID/,
      );
    });

    test("getURI() with predict gives a #predicted URI for a dataset not yet written", async () => {
      const { butler } = await writer();
      const predicted = await butler.getURI("notes", det(2), { predict: true });
      expect(predicted.fragment).toBe("predicted");
      expect(await butler.findDataset("notes", det(2))).toBeNull();
    });

    testIf("artifacts", "the predicted URI is where put() then writes the dataset", async () => {
      const { butler } = await writer();
      const predicted = await butler.getURI("notes", det(2), { predict: true });
      await butler.put({ b: 2 }, "notes", det(2));
      const actual = await butler.getURI("notes", det(2));
      expect(String(actual)).toBe(String(predicted.withoutFragment()));
      expect(String(actual)).toMatch(/suite\/run\/notes\/notes_Cam1_Ab_suite_run\.yaml$/);
    });

    test("getURI() with predict and no run to predict for fails with DatasetNotFoundError", async () => {
      const { target } = await writer();
      const butler = await target.open({ collections: RUN });
      await expectFailure(
        butler.getURI("notes", det(2), { predict: true }),
        DatasetNotFoundError,
        /detector: 2/,
      );
    });

    test("getURI() with predict of a stored dataset gives its real URI", async () => {
      const { butler } = await writer();
      await butler.put({ a: 1 }, "notes", det(1));
      const uri = await butler.getURI("notes", det(1), { predict: true });
      expect(uri.fragment).toBeNull();
      expect(String(uri)).toBe(String(await butler.getURI("notes", det(1))));
    });

    test("exists() of a stored dataset is VERIFIED: recorded, in the datastore, artifact seen", async () => {
      const { butler } = await writer();
      const ref = await butler.put({ a: 1 }, "notes", det(1));
      expect(await butler.exists("notes", det(1))).toBe(VERIFIED);
      expect(await butler.exists(ref)).toBe(RECORDED | DATASTORE | ARTIFACT);
    });

    test("exists() with fullCheck false assumes the artifact: KNOWN", async () => {
      const { butler } = await writer();
      await butler.put({ a: 1 }, "notes", det(1));
      expect(await butler.exists("notes", det(1), { fullCheck: false })).toBe(KNOWN);
      expect(KNOWN).toBe(RECORDED | DATASTORE | ASSUMED);
    });

    test("exists() is 0 (UNRECOGNIZED) for what cannot be found, never an error", async () => {
      const { butler } = await writer();
      expect(await butler.exists("notes", det(2))).toBe(0);
      expect(await butler.exists("nope", det(2))).toBe(0);
      expect(await butler.exists("notes", { instrument: "Cam1", detector: 99 })).toBe(0);
      expect(await butler.exists("notes", det(2), { collections: "suite/absent" })).toBe(0);
    });

    test("exists() of a ref the repository does not know is 0", async () => {
      const { butler } = await writer();
      const ref = await butler.put({ a: 1 }, "notes", det(1));
      const stranger = new DatasetRef(
        "0190f0e8-0000-7000-8000-0000000000ff",
        ref.datasetType,
        ref.dataId,
        RUN,
      );
      expect(await butler.exists(stranger)).toBe(0);
    });

    test("exists() of a dataset whose artifacts were removed by pruneDatasets(unstore) is RECORDED", async () => {
      const { butler } = await writer();
      const ref = await butler.put({ a: 1 }, "notes", det(1));
      await butler.pruneDatasets([ref], { unstore: true, disassociate: false });
      expect(await butler.exists("notes", det(1))).toBe(RECORDED);
      expect(await butler.exists("notes", det(1), { fullCheck: false })).toBe(RECORDED | ASSUMED);
    });

    testIf(
      ["artifacts", "soleCopy"],
      "exists() loses ARTIFACT when the artifact is deleted behind the butler's back",
      async () => {
        const { target, butler } = await writer();
        const ref = await butler.put({ a: 1 }, "notes", det(1));
        await target.removeArtifact(await butler.getURI(ref));
        expect(await butler.exists(ref)).toBe(RECORDED | DATASTORE);
        expect(await butler.exists(ref, undefined, { fullCheck: false })).toBe(KNOWN);
        expect(await butler.stored([ref])).toEqual(new Map([[ref.id, false]]));
      },
    );

    test("stored() tells, by ref ID, which refs have their artifacts", async () => {
      const { butler } = await writer();
      const kept = await butler.put({ a: 1 }, "notes", det(1));
      const unstored = await butler.put({ a: 2 }, "notes", det(2));
      await butler.pruneDatasets([unstored], { unstore: true, disassociate: false });
      expect(await butler.stored([kept, unstored])).toEqual(
        new Map([
          [kept.id, true],
          [unstored.id, false],
        ]),
      );
    });
  });
}
