import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { DataIdValueError, MissingDependencyError } from "../../src/errors.ts";
import type { Registry } from "../../src/registry/registry.ts";
import { createRepository } from "../../src/repository/create-repository.ts";
import { exportRegistry } from "../../src/repository/export-repository.ts";
import { importDocument, importExportFile } from "../../src/repository/import-repository.ts";
import { parseExportDocument } from "../../src/transfers/read-export.ts";
import { formatExportDocument } from "../../src/transfers/write-export.ts";
import { describeEachBackend } from "../support/registry-backends.ts";
import { fixturePath } from "../support/shared-fixtures.ts";
import { tempDir } from "../support/temp-repo.ts";

const data = (name: string) => fixturePath("registry_data", name);

async function counts(registry: Registry, elements: readonly string[]): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const element of elements) result[element] = (await registry.dimensions.fetchAll(element)).length;
  return result;
}

describeEachBackend(
  "importing and exporting daf_butler's export files",
  (backend) => {
    let dir: { path: string; cleanup: () => void };
    let serial = 0;
    const fresh = async (options = {}) =>
      createRepository(join(dir.path, `repo${++serial}`), {
        ...options,
        ...(await backend.repositoryOptions()),
      });

    beforeEach(() => {
      dir = tempDir();
    });
    afterEach(() => dir.cleanup());

    const sets: Array<[string, string[]]> = [
      ["base + datasets", ["base.yaml", "datasets.yaml"]],
      ["base + spatial", ["base.yaml", "spatial.yaml"]],
      ["ci_hsc subset + skymap", ["ci_hsc-subset.yaml", "ci_hsc-subset-skymap.yaml"]],
      ["hsc-rc2 subset", ["hsc-rc2-subset.yaml"]],
      ["hsc-rc2 subset v0", ["hsc-rc2-subset-v0.yaml"]],
      ["lsstcam subset", ["lsstcam-subset.yaml"]],
    ];

    it.each(sets)(
      "%s imports into the default universe, and export then import gives back the same document",
      async (_name, files) => {
        const first = await fresh();
        for (const file of files) await importExportFile(first, data(file), { withoutDatastore: true });
        const exported = await exportRegistry(first, { dimensionRecords: "all" });
        const text = formatExportDocument(exported, { universe: first.universe });
        await first.close();
        const second = await fresh();
        await importDocument(second, parseExportDocument(text, "round trip"), { withoutDatastore: true });
        const again = formatExportDocument(await exportRegistry(second, { dimensionRecords: "all" }), {
          universe: second.universe,
        });
        await second.close();
        expect(again).toBe(text);
      },
    );

    it("imports hsc-rc2-subset's dimension records", async () => {
      const registry = await fresh();
      await importExportFile(registry, data("hsc-rc2-subset.yaml"), { withoutDatastore: true });
      expect(
        await counts(registry, [
          "instrument",
          "detector",
          "physical_filter",
          "day_obs",
          "exposure",
          "group",
          "visit",
          "visit_detector_region",
          "visit_system",
          "visit_system_membership",
          "skymap",
          "tract",
          "patch",
        ]),
      ).toEqual({
        instrument: 1,
        detector: 111,
        physical_filter: 5,
        day_obs: 15,
        exposure: 1,
        group: 1,
        visit: 160,
        visit_detector_region: 1132,
        visit_system: 1,
        visit_system_membership: 160,
        skymap: 1,
        tract: 2,
        patch: 2,
      });
      const visit = (await registry.dimensions.fetchAll("visit")).find((r) => r.get("id") === 27136);
      expect(visit?.get("name")).toBe("HSCA02713600");
      await registry.close();
    });

    it("migrates a universe-0 file as daf_butler does", async () => {
      const registry = await fresh();
      const summary = await importExportFile(registry, data("hsc-rc2-subset-v0.yaml"), {
        withoutDatastore: true,
      });
      expect(
        await counts(registry, [
          "day_obs",
          "group",
          "exposure",
          "visit",
          "detector",
          "visit_system_membership",
        ]),
      ).toEqual({
        day_obs: 3,
        group: 1,
        exposure: 1,
        visit: 2,
        detector: 3,
        visit_system_membership: 2,
      });
      expect(summary.warnings.join("\n")).toContain("day_obs");
      await registry.close();
    });

    it("imports datasets with their IDs, runs, tags and certifications", async () => {
      const registry = await fresh();
      await importExportFile(registry, data("base.yaml"), { withoutDatastore: true });
      await importExportFile(registry, data("datasets.yaml"), { withoutDatastore: true });
      const biases = await registry.datasets.query("bias", { collections: ["imported_g", "imported_r"] });
      expect(biases.map((r) => r.id)).toContain("e15ab039-bc8b-4135-87c5-90902a7c0b22");
      expect(biases).toHaveLength(6);
      await importExportFile(registry, data("datasets.yaml"), { withoutDatastore: true });
      expect(
        await registry.datasets.query("flat", { collections: ["imported_g", "imported_r"] }),
      ).toHaveLength(7);
      await registry.close();
    });

    it("imports a file of the repository's own older universe unchanged", async () => {
      const registry = await fresh({
        dimensionConfig: fixturePath("dimensions", "daf_butler_universe6.yaml"),
      });
      expect(registry.universe.version).toBe(6);
      const summary = await importExportFile(registry, data("hsc-rc2-subset.yaml"), {
        withoutDatastore: true,
      });
      expect(summary.warnings).toEqual([]);
      expect((await registry.dimensions.fetchAll("visit")).length).toBe(160);
      await registry.close();
    });

    it("refuses bad files and leaves the repository unchanged", async () => {
      const registry = await fresh();
      await importExportFile(registry, data("base.yaml"), { withoutDatastore: true });
      const root = join(dir.path, `repo${serial}`);
      const before = await backend.dump(root);
      const bad = (name: string, text: string) => {
        const path = join(dir.path, name);
        writeFileSync(path, text);
        return path;
      };
      const header =
        "description: Butler Data Repository Export\nversion: 1.0.2\nuniverse_version: 8\nuniverse_namespace: daf_butler\ndata:\n";
      const cases: Array<[string, string, RegExp]> = [
        ["malformed.yaml", "version: [\n", /Cannot parse|malformed|line/i],
        [
          "unknown-element.yaml",
          `${header}- type: dimension\n  element: detectr\n  records: []\n`,
          /detectr/,
        ],
        [
          "missing-field.yaml",
          `${header}- type: dimension\n  element: detector\n  records:\n  - instrument: Cam1\n    full_name: Zz\n`,
          /"id"/,
        ],
        [
          "absent-records.yaml",
          `${header}- type: collection\n  collection_type: RUN\n  name: r\n  host: null\n  timespan_begin: null\n  timespan_end: null\n- type: dataset\n  dataset_type: bias\n  run: r\n  records:\n  - dataset_id: !uuid 11111111-1111-4111-8111-111111111111\n    data_id: {instrument: Cam1, detector: 99}\n    path: placeholder\n`,
          /detector: 99/,
        ],
      ];
      for (const [name, text, message] of cases) {
        const error = await importExportFile(registry, bad(name, text), { withoutDatastore: true }).then(
          () => undefined,
          (e: Error) => e,
        );
        expect(error, name).toBeInstanceOf(Error);
        expect((error as { code?: string }).code, name).toBeDefined();
        expect(error?.message, name).toMatch(message);
      }
      const absent = await importExportFile(registry, join(dir.path, "absent-records.yaml"), {
        withoutDatastore: true,
      }).catch((e) => e);
      expect(absent).toBeInstanceOf(DataIdValueError);
      const needsFiles = await importExportFile(registry, data("datasets.yaml")).catch((e) => e);
      expect(needsFiles).toBeInstanceOf(MissingDependencyError);
      expect(await backend.dump(root)).toBe(before);
      await registry.close();
    });
  },
  { fixtures: true },
);
