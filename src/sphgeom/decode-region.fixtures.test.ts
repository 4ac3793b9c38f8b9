import { readdirSync, readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { describeWithFixtures, fixturePath } from "../../test/support/shared-fixtures.ts";
import { TRACT0_PATCHES_BY_DETECTOR } from "../../test/support/spatial-oracle.ts";
import type { ConvexPolygon } from "./convex-polygon.ts";
import { decodeRegion } from "./decode-region.ts";
import type { Region } from "./region.ts";
import { Relationship } from "./relationship.ts";
import { UnitVector3d } from "./unit-vector-3d.ts";

const KIND_BY_TAG: Record<string, string> = {
  ConvexPolygon: "convex-polygon",
  Circle: "circle",
  Box: "box",
  Ellipse: "ellipse",
  UnionRegion: "union",
  IntersectionRegion: "intersection",
};

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

function toHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Every `!<lsst.sphgeom.X> {encoded: hex}` in an export file, with the class the tag names. */
function regionsIn(text: string): { tag: string; hex: string }[] {
  return [...text.matchAll(/!<lsst\.sphgeom\.(\w+)>\s*\n\s*encoded:\s*([0-9a-fA-F]+)/g)].map((m) => ({
    tag: m[1] as string,
    hex: (m[2] as string).toLowerCase(),
  }));
}

/** The records of one element in an export file: their scalar fields and decoded region (line-based). */
function recordsOf(text: string, element: string): { fields: Record<string, string>; region: Region }[] {
  const block = text.split(/\n- type: /).find((b) => b.includes(`\n  element: ${element}\n`)) ?? "";
  return block
    .split(/\n {2}- /)
    .slice(1)
    .map((record) => {
      const fields = Object.fromEntries(
        [...`    ${record}`.matchAll(/^ {4}(\w+): ([^!\n]+)$/gm)].map((m) => [m[1], (m[2] as string).trim()]),
      );
      const [found] = regionsIn(record);
      return { fields, region: decodeRegion(hexBytes(found?.hex ?? "")) };
    });
}

describeWithFixtures("sphgeom region encodings in daf_butler export files", () => {
  const dir = fixturePath("registry_data");
  const files = readdirSync(dir).filter((name) => name.endsWith(".yaml"));

  it("decodeRegion() reads every region in registry_data/*.yaml and encode() gives back the same bytes", () => {
    let count = 0;
    for (const file of files) {
      for (const { tag, hex } of regionsIn(readFileSync(`${dir}/${file}`, "utf8"))) {
        const region = decodeRegion(hexBytes(hex));
        expect(region.kind, `${file}: ${tag}`).toBe(KIND_BY_TAG[tag]);
        expect(toHex(region.encode()), file).toBe(hex);
        count++;
      }
    }
    expect(count).toBe(1377);
  });

  it("decoded polygons contain their own vertices and their vertex centroid", () => {
    for (const { hex } of regionsIn(readFileSync(`${dir}/hsc-rc2-subset.yaml`, "utf8")).slice(0, 200)) {
      const polygon = decodeRegion(hexBytes(hex)) as ConvexPolygon;
      const circle = polygon.boundingCircle();
      expect(circle.contains(circle.center)).toBe(true);
      expect(polygon.contains(circle.center)).toBe(true);
      for (const v of polygon.vertices) expect(circle.contains(v)).toBe(true);
    }
  });

  it("decoded polygons with (nearly) repeated vertices still contain the points just inside each vertex", () => {
    for (const file of files)
      for (const { hex } of regionsIn(readFileSync(`${dir}/${file}`, "utf8"))) {
        const polygon = decodeRegion(hexBytes(hex)) as ConvexPolygon;
        const c = polygon.boundingCircle().center;
        for (const v of polygon.vertices) {
          const t = 1e-6;
          const inside = UnitVector3d.of(v.x + t * (c.x - v.x), v.y + t * (c.y - v.y), v.z + t * (c.z - v.z));
          expect(polygon.contains(inside), file).toBe(true);
        }
      }
  });

  it("relate() finds the visit-detector/patch overlaps daf_butler's spatial tests expect", () => {
    const text = readFileSync(`${dir}/spatial.yaml`, "utf8");
    const patches = recordsOf(text, "patch").filter((p) => p.fields.tract === "0");
    const overlaps: Record<string, number[]> = {};
    for (const { fields, region } of recordsOf(text, "visit_detector_region")) {
      overlaps[`${fields.visit}/${fields.detector}`] = patches
        .filter((p) => !(region.relate(p.region) & Relationship.DISJOINT))
        .map((p) => Number(p.fields.id));
    }
    expect(overlaps).toEqual({ ...TRACT0_PATCHES_BY_DETECTOR, "2/3": [], "2/4": [] });
  });

  it("relate() finds the visit/tract overlaps {(1,0), (2,0), (2,1)}", () => {
    const text = readFileSync(`${dir}/spatial.yaml`, "utf8");
    const tracts = recordsOf(text, "tract");
    const pairs = recordsOf(text, "visit").flatMap((visit) =>
      tracts
        .filter((tract) => !(visit.region.relate(tract.region) & Relationship.DISJOINT))
        .map((tract) => `${visit.fields.id},${tract.fields.id}`),
    );
    expect(pairs).toEqual(["1,0", "2,0", "2,1"]);
  });
});
