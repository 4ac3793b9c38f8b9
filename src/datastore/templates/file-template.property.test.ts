import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../../test/support/property.ts";
import { RecordTable } from "../../../test/support/record-table.ts";
import { DatasetType } from "../../datasets/dataset-type.ts";
import { DataCoordinate } from "../../dimensions/data-coordinate.ts";
import { defaultUniverse } from "../../dimensions/default-universe.ts";
import { DimensionRecord } from "../../dimensions/dimension-record.ts";
import { expandDataId } from "../../dimensions/expand-data-id.ts";
import { standardizeDataId } from "../../dimensions/standardize-data-id.ts";
import { FileTemplateError } from "../../errors.ts";
import { FileTemplate } from "./file-template.ts";
import { FileTemplates } from "./file-templates.ts";
import { forbiddenCharacter } from "./path-safety.ts";

const universe = defaultUniverse();
const rec = (element: string, fields: Record<string, unknown>) =>
  DimensionRecord.make(universe.element(element), fields);

/**
 * Whether `path` is relative, with non-empty segments none of which is `.` or `..`, holds no backslash or
 * forbidden character, and keeps that shape after NFKC normalization (no look-alike separators or dots).
 */
function expectSafe(path: string): void {
  const segments = path.split("/");
  expect(segments.every((s) => s !== "" && s !== "." && s !== "..")).toBe(true);
  expect(path.includes("\\")).toBe(false);
  expect(forbiddenCharacter(path)).toBeNull();
  const normalized = path.normalize("NFKC");
  expect(normalized.includes("\\")).toBe(false);
  const normalizedSegments = normalized.split("/");
  expect(normalizedSegments.length).toBe(segments.length);
  expect(normalizedSegments.every((s) => s !== "." && s !== "..")).toBe(true);
}

/** Names the templates write unchanged (replaced characters such as " " and "_" collide by design). */
const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_é-]{0,7}$/);
const run = fc.array(name, { minLength: 1, maxLength: 3 }).map((parts) => parts.join("/"));

describe("file template properties", () => {
  it("gives distinct, safe paths to distinct data IDs with the default templates", async () => {
    const calexp = DatasetType.make(universe, {
      name: "calexp",
      dimensions: ["visit", "detector"],
      storageClass: "ExposureF",
    });
    const template = FileTemplates.defaults().lookup(calexp, null);
    template.validate(calexp);
    const dataIds = fc.uniqueArray(
      fc.record({ visit: fc.nat({ max: 1_000_000 }), detector: fc.nat({ max: 200 }) }),
      { minLength: 1, maxLength: 20, selector: (d) => `${d.visit},${d.detector}` },
    );
    await fc.assert(
      fc.asyncProperty(name, run, dataIds, async (instrument, runName, values) => {
        const visits = [...new Set(values.map((v) => v.visit))];
        const records = new RecordTable([
          rec("instrument", { name: instrument }),
          ...[0, 1, 2].map((f) => rec("physical_filter", { instrument, name: `F${f}`, band: `b${f}` })),
          ...[0, 1, 2, 3, 4].map((d) => rec("day_obs", { instrument, id: 20200101 + d })),
          ...values.map((v) =>
            rec("detector", {
              instrument,
              id: v.detector,
              full_name: `R${Math.floor(v.detector / 9)}_S${v.detector % 9}`,
            }),
          ),
          ...visits.map((visit) =>
            rec("visit", {
              instrument,
              id: visit,
              name: `V${visit}`,
              physical_filter: `F${visit % 3}`,
              day_obs: 20200101 + (visit % 5),
            }),
          ),
        ]);
        const paths = new Set<string>();
        for (const value of values) {
          const dataId = await expandDataId(standardizeDataId(universe, { instrument, ...value }), records);
          const path = template.format({
            datasetType: "calexp",
            component: null,
            run: runName,
            id: "x",
            dataId,
          });
          expectSafe(path);
          paths.add(path);
        }
        expect(paths.size).toBe(values.length);
      }),
      PROPERTY_OPTIONS,
    );
  });

  it("gives distinct, safe paths to distinct data IDs with a validated template of string dimensions", () => {
    const flat = DatasetType.make(universe, {
      name: "flat",
      dimensions: ["instrument", "detector", "physical_filter"],
      storageClass: "ExposureF",
    });
    const template = FileTemplate.parse(
      "{run:/}/{datasetType}/{instrument}/{physical_filter}/{datasetType}_{detector:03d}_{physical_filter}_{run}",
    );
    template.validate(flat);
    const dataIds = fc.uniqueArray(
      fc.record({ instrument: name, physical_filter: name, detector: fc.nat({ max: 5000 }) }),
      { minLength: 1, maxLength: 30, selector: (d) => JSON.stringify(d) },
    );
    fc.assert(
      fc.property(run, dataIds, (runName, values) => {
        const paths = new Set(
          values.map((value) => {
            const dataId = DataCoordinate.fromRequiredValues(
              flat.dimensions,
              flat.dimensions.required.map((d) => value[d as keyof typeof value]),
            );
            const path = template.format({
              datasetType: "flat",
              component: null,
              run: runName,
              id: "x",
              dataId,
            });
            expectSafe(path);
            return path;
          }),
        );
        expect(paths.size).toBe(values.length);
      }),
      PROPERTY_OPTIONS,
    );
  });

  it("never leaves the root, whatever the values and run name: a safe path or a FileTemplateError", () => {
    const template = FileTemplate.parse(
      "{run:/}/{datasetType}/{physical_filter}/{visit:?}/{datasetType}_{physical_filter}_{visit:?}_{run}",
    );
    const hostile = fc.oneof(
      fc.string({ unit: "binary", maxLength: 12 }),
      fc.string({
        unit: fc.constantFrom(
          ".",
          "/",
          "\\",
          "a",
          " ",
          "\u0000",
          "\n",
          "\u2215",
          "\u2044",
          "\uFF0E",
          "\uFF0F",
          "\uFF3C",
          "\u2025",
          "\uD800",
          "\u202E",
          "#",
          ":",
        ),
        maxLength: 12,
      }),
      fc
        .array(fc.constantFrom("..", ".", "", "a", "\uFF0E\uFF0E", "\u2025", "b c", "/"), { maxLength: 5 })
        .map((segments) => segments.join("/")),
    );
    fc.assert(
      fc.property(hostile, hostile, fc.boolean(), (filter, runName, withVisit) => {
        const dataId = standardizeDataId(universe, {
          instrument: "Cam",
          physical_filter: filter,
          ...(withVisit ? { visit: 5 } : {}),
        });
        try {
          expectSafe(
            template.format({ datasetType: "calexp", component: null, run: runName, id: "x", dataId }),
          );
        } catch (error) {
          expect(error).toBeInstanceOf(FileTemplateError);
        }
      }),
      PROPERTY_OPTIONS,
    );
  });
});
