import { existsSync, lstatSync, readlinkSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { describe, expect } from "vitest";
import type { Butler } from "../../../src/butler/butler.ts";
import { newDatasetId } from "../../../src/datasets/dataset-id.ts";
import { DatasetRef } from "../../../src/datasets/dataset-ref.ts";
import type { TransferMode } from "../../../src/datastore/datastore.ts";
import { ResourceUri } from "../../../src/datastore/storage/resource-uri.ts";
import { ConflictingDefinitionError, StorageNotFoundError } from "../../../src/errors.ts";
import { type ButlerAbility, type ButlerSuiteConfig, det, expectFailure, RUN, suiteTools } from "./target.ts";

/** A resolved ref of `type` for ingest, in the suite's RUN unless given. */
export async function refFor(butler: Butler, type: string, detector: number, run = RUN): Promise<DatasetRef> {
  const datasetType = await butler.registry.datasetTypes.get(type);
  const dataId = await butler.registry.dimensions.expandDataId(det(detector), {
    dimensions: datasetType.dimensions.names,
  });
  return new DatasetRef(newDatasetId(), datasetType, dataId, run);
}

/** A file to ingest, in `scratch/incoming`. */
export async function sourceFile(scratch: string, name: string, content: string): Promise<string> {
  const dir = join(scratch, "incoming");
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/** What each transfer mode must leave: the source kept or not, and where the artifact is. */
function checkPlacement(mode: TransferMode, source: string, artifact: ResourceUri): void {
  const local = artifact.localPath;
  if (mode === "direct") {
    expect(String(artifact)).toBe(String(ResourceUri.file(source)));
    return;
  }
  expect(String(artifact)).toMatch(/suite\/run\/notes\/notes_Cam1_Aa_suite_run\.yaml$/);
  expect(existsSync(source)).toBe(mode !== "move");
  if (local === null) return;
  const info = lstatSync(local);
  const linked = mode === "symlink" || mode === "relsymlink";
  expect(info.isSymbolicLink()).toBe(linked);
  if (linked) expect(isAbsolute(readlinkSync(local))).toBe(mode === "symlink");
  if (mode === "hardlink" || mode === "link") expect(statSync(local).ino).toBe(statSync(source).ino);
  if (mode === "copy" || mode === "auto") expect(statSync(local).ino).not.toBe(statSync(source).ino);
}

const LINK_MODES: readonly TransferMode[] = ["link", "hardlink", "symlink", "relsymlink"];
const MODES: readonly TransferMode[] = [
  "auto",
  "copy",
  "move",
  "link",
  "hardlink",
  "symlink",
  "relsymlink",
  "direct",
];

/** Ingest of existing files with each transfer mode, and its failures. */
export function describeIngest(config: ButlerSuiteConfig): void {
  const { testIf, writer } = suiteTools(config);

  describe("ingest", () => {
    for (const mode of MODES) {
      const needs: ButlerAbility[] = LINK_MODES.includes(mode) ? ["ingest", "links"] : ["ingest"];
      testIf(needs, `ingest() with transfer "${mode}"`, async () => {
        const { target, butler } = await writer();
        const source = await sourceFile(target.scratch, "notes-1.yaml", "seeing: 0.7\n");
        const ref = await refFor(butler, "notes", 1);
        const [ingested] = await butler.ingest([{ path: source, refs: [ref] }], { transfer: mode });
        expect(ingested?.id).toBe(ref.id);
        expect(await butler.get("notes", det(1))).toEqual({ seeing: 0.7 });
        checkPlacement(mode, source, await butler.getURI(ref));
      });
    }

    testIf(
      "ingest",
      'ingest() "direct" never deletes the file, even when the dataset is purged',
      async () => {
        const { target, butler } = await writer();
        const source = await sourceFile(target.scratch, "notes-1.yaml", "a: 1\n");
        const [ref] = await butler.ingest([{ path: source, refs: [await refFor(butler, "notes", 1)] }], {
          transfer: "direct",
        });
        await butler.pruneDatasets([ref as DatasetRef], { purge: true });
        expect(existsSync(source)).toBe(true);
        expect(await butler.findDataset("notes", det(1))).toBeNull();
        expect((await butler.check()).missing).toEqual([]);
      },
    );

    testIf(
      ["ingest", "artifacts"],
      'ingest() "auto" of a file already under the root records it in place',
      async () => {
        const { target, butler } = await writer();
        const inside = await target.plantArtifact("external/notes.yaml", new TextEncoder().encode("a: 1\n"));
        const [ref] = await butler.ingest([{ path: inside, refs: [await refFor(butler, "notes", 1)] }]);
        expect(String(await butler.getURI(ref as DatasetRef))).toBe(String(inside));
        expect(await butler.get("notes", det(1))).toEqual({ a: 1 });
        expect(await butler.check()).toEqual({ missing: [], sizeMismatch: [], orphans: [], temporaries: [] });
      },
    );

    testIf("ingest", "ingest() registers a missing RUN", async () => {
      const { target, butler } = await writer();
      const source = await sourceFile(target.scratch, "notes-1.yaml", "a: 1\n");
      await butler.ingest([{ path: source, refs: [await refFor(butler, "notes", 1, "suite/ingested")] }], {
        transfer: "copy",
      });
      expect((await butler.registry.collections.getInfo("suite/ingested")).type).toBe("RUN");
      expect(await butler.get("notes", det(1), { collections: "suite/ingested" })).toEqual({ a: 1 });
    });

    testIf(
      "ingest",
      "one file may hold several datasets; purging one keeps the file for the other",
      async () => {
        const { target, butler } = await writer();
        const source = await sourceFile(target.scratch, "shared.yaml", "shared: true\n");
        const refs = [await refFor(butler, "notes", 1), await refFor(butler, "notes", 2)];
        await butler.ingest([{ path: source, refs }], { transfer: "copy" });
        expect(String(await butler.getURI(refs[0] as DatasetRef))).toBe(
          String(await butler.getURI(refs[1] as DatasetRef)),
        );
        await butler.pruneDatasets([refs[0] as DatasetRef], { purge: true });
        expect(await butler.get("notes", det(2))).toEqual({ shared: true });
        await butler.pruneDatasets([refs[1] as DatasetRef], { purge: true });
        expect(await butler.check()).toEqual({ missing: [], sizeMismatch: [], orphans: [], temporaries: [] });
      },
    );

    testIf(
      "ingest",
      "ingest() of a missing file fails with StorageNotFoundError and records nothing",
      async () => {
        const { target, butler } = await writer();
        const missing = join(target.scratch, "absent.yaml");
        const ref = await refFor(butler, "notes", 1);
        await expectFailure(
          butler.ingest([{ path: missing, refs: [ref] }], { transfer: "copy" }),
          StorageNotFoundError,
          `Cannot ingest ${ResourceUri.file(missing)}: no such file`,
        );
        expect(await butler.registry.datasets.get(ref.id)).toBeNull();
        expect(await butler.exists(ref)).toBe(0);
      },
    );

    testIf("ingest", "ingest() of a ref already stored fails unless skipExisting", async () => {
      const { target, butler } = await writer();
      const source = await sourceFile(target.scratch, "notes-1.yaml", "a: 1\n");
      const ref = await refFor(butler, "notes", 1);
      await butler.ingest([{ path: source, refs: [ref] }], { transfer: "copy" });
      const error = await expectFailure(
        butler.ingest([{ path: source, refs: [ref] }], { transfer: "copy" }),
        ConflictingDefinitionError,
        `Dataset ${ref} is already stored`,
      );
      expect(error.hint).toMatch(/skipExisting/);
      expect(
        await butler.ingest([{ path: source, refs: [ref] }], { transfer: "copy", skipExisting: true }),
      ).toEqual([]);
    });

    testIf(
      "ingest",
      "ingest() of a second file for a data ID already in the RUN changes nothing",
      async () => {
        const { target, butler } = await writer();
        await butler.put({ kept: true }, "notes", det(1));
        const source = await sourceFile(target.scratch, "notes-1.yaml", "kept: false\n");
        await expectFailure(
          butler.ingest([{ path: source, refs: [await refFor(butler, "notes", 1)] }], { transfer: "move" }),
          ConflictingDefinitionError,
          /notes/,
        );
        expect(existsSync(source)).toBe(true);
        expect(await butler.get("notes", det(1))).toEqual({ kept: true });
      },
    );
  });
}
