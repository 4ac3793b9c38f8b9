import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect } from "vitest";
import type { Butler } from "../../../src/butler/butler.ts";
import type { DatasetRef } from "../../../src/datasets/dataset-ref.ts";
import { ConflictingDefinitionError, MissingDatasetTypeError, StorageError } from "../../../src/errors.ts";
import { type ButlerSuiteConfig, det, expectFailure, RUN, suiteTools } from "./target.ts";

const CLEAN = { missing: [], sizeMismatch: [], orphans: [], temporaries: [] };

async function putTwo(butler: Butler): Promise<DatasetRef[]> {
  return [await butler.put({ d: 1 }, "notes", det(1)), await butler.put({ d: 2 }, "notes", det(2))];
}

/** Copying datasets between repositories and out of them; the consistency check. */
export function describeTransfer(config: ButlerSuiteConfig): void {
  const { test, testIf, writer } = suiteTools(config);

  describe("transferFrom", () => {
    testIf(
      "artifacts",
      "refuses a dataset type the destination lacks unless asked to register it",
      async () => {
        const { target, butler } = await writer();
        const refs = await putTwo(butler);
        const destination = await (await target.another({ empty: true })).open({ writeable: true });
        await expectFailure(
          destination.transferFrom(butler, refs),
          MissingDatasetTypeError,
          'Dataset type "notes" is not registered in the destination',
        );
        expect((await destination.registry.datasetTypes.query()).map((t) => t.name)).not.toContain("notes");
        expect(await destination.registry.collections.query()).not.toContain(RUN);
      },
    );

    testIf(
      "artifacts",
      "copies datasets with their IDs and RUN, their dimension records and dataset type",
      async () => {
        const { target, butler } = await writer();
        const refs = await putTwo(butler);
        const destination = await (await target.another({ empty: true })).open({
          writeable: true,
          collections: RUN,
        });
        const copied = await destination.transferFrom(butler, refs, { registerDatasetTypes: true });
        expect(copied.map((r) => r.id).sort()).toEqual(refs.map((r) => r.id).sort());
        for (const ref of refs) {
          expect((await destination.registry.datasets.get(ref.id))?.run).toBe(RUN);
          expect(await destination.get(ref)).toEqual(await butler.get(ref));
        }
        expect(String(await destination.registry.datasetTypes.get("notes"))).toBe(
          String(refs[0]?.datasetType),
        );
        const detectors = await destination.registry.dimensions.fetchAll("detector");
        expect(detectors.map((r) => [r.get("id"), r.get("full_name")]).sort()).toEqual([
          [1, "Aa"],
          [2, "Ab"],
        ]);
        expect(await destination.check()).toEqual(CLEAN);
      },
    );

    testIf("artifacts", "a second transfer of the same refs copies nothing", async () => {
      const { target, butler } = await writer();
      const refs = await putTwo(butler);
      const destination = await (await target.another()).open({ writeable: true });
      expect(await destination.transferFrom(butler, refs)).toHaveLength(2);
      expect(await destination.transferFrom(butler, refs)).toEqual([]);
      expect(await destination.registry.datasets.query("notes", { collections: [RUN] })).toHaveLength(2);
    });

    testIf("artifacts", "skips refs without artifacts, or fails on them with skipMissing false", async () => {
      const { target, butler } = await writer();
      const [kept, unstored] = await putTwo(butler);
      await butler.pruneDatasets([unstored as DatasetRef], { unstore: true });
      const destination = await (await target.another()).open({ writeable: true });
      await expectFailure(
        destination.transferFrom(butler, [kept as DatasetRef, unstored as DatasetRef], {
          skipMissing: false,
        }),
        StorageError,
        `Dataset ${unstored} has no artifact in the source repository`,
      );
      const copied = await destination.transferFrom(butler, [kept as DatasetRef, unstored as DatasetRef]);
      expect(copied.map((r) => r.id)).toEqual([kept?.id]);
      expect(await destination.registry.datasets.get(String(unstored?.id))).toBeNull();
    });
  });

  describe("retrieveArtifacts", () => {
    testIf("artifacts", "copies artifacts under their repository paths and writes an index", async () => {
      const { target, butler } = await writer();
      const refs = await putTwo(butler);
      const destination = join(target.scratch, "retrieved");
      const written = await butler.retrieveArtifacts(refs, destination);
      const relative = [
        "suite/run/notes/notes_Cam1_Aa_suite_run.yaml",
        "suite/run/notes/notes_Cam1_Ab_suite_run.yaml",
      ];
      expect(written.sort()).toEqual(relative.map((p) => join(destination, p)));
      expect(await readFile(join(destination, relative[0] as string), "utf8")).toBe("d: 1\n");
      const index = JSON.parse(await readFile(join(destination, "_butler_zip_index.json"), "utf8"));
      expect(index.index_version).toBe("V1");
      expect(Object.keys(index.refs.compact_refs).sort()).toEqual(refs.map((r) => r.id).sort());
      expect(Object.keys(index.artifact_map).sort()).toEqual(relative);
      expect(index.artifact_map[relative[1] as string].ids).toEqual([refs[1]?.id]);
    });

    testIf("artifacts", "with preservePath false writes flat file names", async () => {
      const { target, butler } = await writer();
      const refs = await putTwo(butler);
      const destination = join(target.scratch, "flat");
      const written = await butler.retrieveArtifacts(refs, destination, { preservePath: false });
      expect(written.sort()).toEqual([
        join(destination, "notes_Cam1_Aa_suite_run.yaml"),
        join(destination, "notes_Cam1_Ab_suite_run.yaml"),
      ]);
    });

    testIf("artifacts", "refuses to overwrite files unless asked", async () => {
      const { target, butler } = await writer();
      const refs = await putTwo(butler);
      const destination = join(target.scratch, "again");
      await butler.retrieveArtifacts(refs, destination);
      const first = join(destination, "suite/run/notes/notes_Cam1_Aa_suite_run.yaml");
      const error = await expectFailure(
        butler.retrieveArtifacts(refs, destination),
        ConflictingDefinitionError,
        `${first} already exists`,
      );
      expect(error.hint).toMatch(/overwrite/);
      expect(await butler.retrieveArtifacts(refs, destination, { overwrite: true })).toHaveLength(2);
      expect(existsSync(first)).toBe(true);
    });
  });

  describe("check", () => {
    test("is clean after puts, removals and failed writes", async () => {
      const { butler } = await writer();
      const [first] = await putTwo(butler);
      await butler.put([1], "lists", det(1));
      await butler.put({ d: 3 }, "notes", det(1)).catch(() => undefined);
      await butler.pruneDatasets([first as DatasetRef], { purge: true });
      expect(await butler.check()).toEqual(CLEAN);
    });

    testIf("artifacts", "reports an artifact no record names as an orphan", async () => {
      const { target, butler } = await writer();
      await putTwo(butler);
      const stray = await target.plantArtifact(
        "suite/run/notes/stray.yaml",
        new TextEncoder().encode("x: 1\n"),
      );
      expect((await butler.check()).orphans.map(String)).toEqual([String(stray)]);
    });

    testIf("artifacts", "reports a record whose artifact was deleted as missing", async () => {
      const { target, butler } = await writer();
      const [gone] = await putTwo(butler);
      await target.removeArtifact(await butler.getURI(gone as DatasetRef));
      const report = await butler.check();
      expect(report.missing.map((r) => r.datasetId)).toEqual([gone?.id]);
      expect(report.orphans).toEqual([]);
    });
  });
}
