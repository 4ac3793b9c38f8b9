import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import type { DataCoordinate } from "../../src/dimensions/data-coordinate.ts";
import { defaultUniverse } from "../../src/dimensions/default-universe.ts";
import { InvalidQueryError, UnimplementedQueryError } from "../../src/errors.ts";
import { buildQuery } from "../../src/query/build-query.ts";
import { regionOfCall, regionOfPos } from "../../src/query/region-literal.ts";
import type { Registry } from "../../src/registry/registry.ts";
import { Circle } from "../../src/sphgeom/circle.ts";
import { HealpixPixelization } from "../../src/sphgeom/healpix-pixelization.ts";
import { HtmPixelization } from "../../src/sphgeom/htm-pixelization.ts";
import { LonLat } from "../../src/sphgeom/lon-lat.ts";
import { pixelsIn } from "../../src/sphgeom/pixel-ranges.ts";
import type { Region } from "../../src/sphgeom/region.ts";
import { seededRandom } from "../../src/util/seeded-random.ts";
import { ExportOracle, fixtureRepository } from "../support/query-fixtures.ts";
import { describeEachBackend } from "../support/registry-backends.ts";
import { overlaps, regionRecords, TRACT0_PATCHES_BY_DETECTOR } from "../support/spatial-oracle.ts";

const values = (rows: readonly DataCoordinate[], ...names: string[]) =>
  rows.map((r) => names.map((n) => r.get(n)).join("/"));

/** Random region literals near the fixture's regions (RA 0.1–0.7°, Dec 0.1–1.3°, across RA 0). */
function randomLiterals(seed: number, count: number): { text: string; region: Region }[] {
  const random = seededRandom(seed);
  const between = (a: number, b: number) => Number((a + (b - a) * random()).toFixed(4));
  const literals: { text: string; region: Region }[] = [];
  for (let i = 0; i < count; i++) {
    const ra = between(-0.3, 1.0);
    const dec = between(-0.2, 1.5);
    switch (i % 5) {
      case 0: {
        const args = [ra, dec, between(0, 0.3)];
        literals.push({ text: `CIRCLE(${args.join(", ")})`, region: regionOfCall("CIRCLE", args) });
        break;
      }
      case 1: {
        const args = [ra, dec];
        literals.push({ text: `POINT(${args.join(", ")})`, region: regionOfCall("POINT", args) });
        break;
      }
      case 2: {
        const args = [ra, dec, between(0.01, 0.5), between(0.01, 0.5)];
        literals.push({ text: `BOX(${args.join(", ")})`, region: regionOfCall("BOX", args) });
        break;
      }
      case 3: {
        const size = between(0.02, 0.3);
        const angle = random() * Math.PI;
        const args: number[] = [];
        for (let k = 0; k < 4; k++) {
          const a = angle + (k * Math.PI) / 2;
          args.push(
            Number((ra + size * Math.cos(a)).toFixed(4)),
            Number((dec + size * Math.sin(a)).toFixed(4)),
          );
        }
        literals.push({ text: `POLYGON(${args.join(", ")})`, region: regionOfCall("POLYGON", args) });
        break;
      }
      default: {
        const pos = `CIRCLE ${ra} ${dec} ${between(0, 0.2)}`;
        literals.push({ text: `REGION('${pos}')`, region: regionOfPos(pos) });
      }
    }
  }
  return literals;
}

describeEachBackend(
  "spatial queries on daf_butler's base.yaml + spatial.yaml",
  (backend) => {
    const oracle = new ExportOracle(["base.yaml", "spatial.yaml"]);
    let repo: Awaited<ReturnType<typeof fixtureRepository>>;
    let registry: Registry;
    const cam1 = () => registry.query().where({ instrument: "Cam1", skymap: "SkyMap1" });
    const detectorRegions = () => regionRecords(oracle, "visit_detector_region");
    const detectorKey = (r: { record: Readonly<Record<string, unknown>> }) =>
      `${r.record.visit}/${r.record.detector}`;

    beforeAll(async () => {
      repo = await fixtureRepository(["base.yaml", "spatial.yaml"], { backend });
      registry = repo.registry;
    });
    afterAll(async () => {
      await repo?.cleanup();
    });

    it("joins visit detectors to the tract-0 patches they overlap (the issue's answer)", async () => {
      const rows = await cam1()
        .dataIds(["visit", "detector", "patch"])
        .where("tract = 0")
        .orderBy("visit", "detector", "patch")
        .toArray();
      const byDetector = new Map<string, number[]>();
      for (const row of rows) {
        const key = `${row.get("visit")}/${row.get("detector")}`;
        byDetector.set(key, [...(byDetector.get(key) ?? []), row.get("patch") as number]);
      }
      expect(Object.fromEntries(byDetector)).toEqual(TRACT0_PATCHES_BY_DETECTOR);
    });

    it("joins visits to the tracts they overlap, and counts them exactly", async () => {
      const results = cam1().dataIds(["visit", "tract"]).orderBy("visit", "tract");
      expect(values(await results.toArray(), "visit", "tract")).toEqual(["1/0", "2/0", "2/1"]);
      expect(await results.count()).toBe(3);
      expect(values(await results.limit(1, 1).toArray(), "visit", "tract")).toEqual(["2/0"]);
      expect(await results.limit(2, 2).count()).toBe(1);
    });

    it("agrees with a brute-force overlap of every detector and patch pair", async () => {
      const patches = regionRecords(oracle, "patch");
      const expected = detectorRegions()
        .flatMap((d) =>
          patches
            .filter((p) => overlaps(d.region, p.region))
            .map((p) => `${d.record.visit}/${d.record.detector}/${p.record.tract}/${p.record.id}`),
        )
        .sort();
      const rows = await cam1().dataIds(["visit", "detector", "tract", "patch"]).toArray();
      expect(values(rows, "visit", "detector", "tract", "patch").sort()).toEqual(expected);
      // Pairs sharing an htm7 pixel (daf_butler's answer without its Python filter) are more: the
      // refinement is what makes the answer exact.
      const htm7 = HtmPixelization.of(7);
      const pixels = (region: Region) => new Set(pixelsIn(htm7.envelope(region)));
      const candidates = detectorRegions().flatMap((d) => {
        const own = pixels(d.region);
        return patches.filter((p) => [...pixels(p.region)].some((x) => own.has(x)));
      });
      expect(candidates.length).toBeGreaterThan(expected.length);
    });

    it("takes a data ID constraint on another family as a spatial constraint, one row per result", async () => {
      const tracts = (visit: number) =>
        cam1()
          .dataIds(["tract"])
          .where(`visit = ${visit}`)
          .orderBy("tract")
          .toArray()
          .then((rows) => values(rows, "tract"));
      expect(await tracts(1)).toEqual(["0"]);
      expect(await tracts(2)).toEqual(["0", "1"]);
      expect(await cam1().dataIds(["tract"]).where("visit = 2").count()).toBe(2);
      const patches = await cam1()
        .dimensionRecords("patch")
        .where("visit = 2 AND detector = 2")
        .orderBy("tract", "patch")
        .toArray();
      const detector = detectorRegions().find((r) => detectorKey(r) === "2/2");
      const expected = regionRecords(oracle, "patch")
        .filter((p) => detector !== undefined && overlaps(p.region, detector.region))
        .map((p) => `${p.record.tract}/${p.record.id}`);
      expect(patches.map((r) => `${r.get("tract")}/${r.get("id")}`)).toEqual(expected);
      expect(expected).toContain("0/4");
      expect(expected).toContain("0/5");
    });

    it("answers region literals exactly, as brute force does, on 60 random literals", async () => {
      for (const { text, region } of randomLiterals(9, 60)) {
        const expected = detectorRegions()
          .filter((r) => overlaps(r.region, region))
          .map(detectorKey)
          .sort();
        const results = registry
          .query()
          .where({ instrument: "Cam1" })
          .dataIds(["visit", "detector"])
          .where(`visit_detector_region.region OVERLAPS ${text}`);
        expect(values(await results.toArray(), "visit", "detector").sort(), text).toEqual(expected);
        expect(await results.count(), text).toBe(expected.length);
        expect(await results.any(), text).toBe(expected.length > 0);
      }
    });

    it("allows region terms under OR and NOT, exactly", async () => {
      for (const { text, region } of randomLiterals(17, 20)) {
        const inside = new Set(
          detectorRegions()
            .filter((r) => overlaps(r.region, region))
            .map(detectorKey),
        );
        const all = detectorRegions().map(detectorKey);
        const query = (where: string) =>
          registry
            .query()
            .where({ instrument: "Cam1" })
            .dataIds(["visit", "detector"])
            .where(where)
            .toArray()
            .then((rows) => values(rows, "visit", "detector").sort());
        const term = `visit_detector_region.region OVERLAPS ${text}`;
        expect(await query(`NOT ${term}`), text).toEqual(all.filter((k) => !inside.has(k)).sort());
        expect(await query(`${term} OR detector = 4`), text).toEqual(
          all.filter((k) => inside.has(k) || k.endsWith("/4")).sort(),
        );
        expect(await query(`NOT (${term} AND visit = 1)`), text).toEqual(
          all.filter((k) => !(inside.has(k) && k.startsWith("1/"))).sort(),
        );
      }
    });

    it("binds regions and positions as values", async () => {
      const circle = Circle.of(LonLat.fromDegrees(0.25, 1.2), { radians: 0.0001 } as never);
      const rows = await registry
        .query()
        .where({ instrument: "Cam1" })
        .dataIds(["visit", "detector"])
        .where("visit_detector_region.region OVERLAPS :where", { where: LonLat.fromDegrees(0.25, 1.2) })
        .toArray();
      const expected = detectorRegions()
        .filter((r) => r.region.contains(circle.center))
        .map(detectorKey);
      expect(values(rows, "visit", "detector")).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
    });

    it("joins the common skypix dimension, exactly", async () => {
      const htm7 = HtmPixelization.of(7);
      const expected = regionRecords(oracle, "visit")
        .flatMap((v) =>
          pixelsIn(htm7.envelope(v.region))
            .filter((pixel) => overlaps(HtmPixelization.triangle(pixel), v.region))
            .map((pixel) => `${v.record.id}/${pixel}`),
        )
        .sort();
      const rows = await registry.query().where({ instrument: "Cam1" }).dataIds(["visit", "htm7"]).toArray();
      expect(values(rows, "visit", "htm7").sort()).toEqual(expected);
      const [first] = expected[0]?.split("/") ?? [];
      const pixel = Number(expected[0]?.split("/")[1]);
      const visits = await registry
        .query()
        .where({ instrument: "Cam1" })
        .dataIds(["visit"])
        .where(`htm7 = ${pixel}`)
        .toArray();
      expect(values(visits, "visit")).toContain(first);
    });

    it("refuses spatial joins it cannot make, with typed errors", async () => {
      const error = (promise: Promise<unknown>) =>
        promise.then(
          () => undefined,
          (e: unknown) => e,
        );
      const tooMany = await error(cam1().dataIds(["visit", "tract", "htm7"]).toArray());
      expect(tooMany).toBeInstanceOf(InvalidQueryError);
      expect((tooMany as InvalidQueryError).code).toBe("InvalidQueryError");
      expect((tooMany as Error).message).toContain("Too many disconnected sets of spatial families");
      const unnecessary = await error(
        cam1()
          .dataIds(["visit", "detector"])
          .where("visit.region OVERLAPS visit_detector_region.region")
          .toArray(),
      );
      expect(unnecessary).toBeInstanceOf(InvalidQueryError);
      expect((unnecessary as Error).message).toBe(
        "Spatial join between visit and visit_detector_region is not necessary.",
      );
      const alone = await error(registry.query().dataIds(["htm7"]).toArray());
      expect(alone).toBeInstanceOf(InvalidQueryError);
      expect((alone as Error).message).toContain("The values of htm7 come from a region it overlaps");
      const computed = await error(
        registry
          .query()
          .where({ instrument: "Cam1" })
          .dataIds(["visit", "htm9"])
          .where("htm9 + 1 = 5")
          .toArray(),
      );
      expect(computed).toBeInstanceOf(UnimplementedQueryError);
      expect((computed as UnimplementedQueryError).code).toBe("UnimplementedQueryError");
      expect((computed as Error).message).toBe(
        '"htm9 + 1 = 5" uses a skypix dimension whose values are computed from regions; only comparisons with integers are supported there',
      );
    });

    it("generates other skypix levels from the regions they are joined to, exactly", async () => {
      const pixelsOf = (level: number, region: Region) =>
        pixelsIn(HtmPixelization.of(level).envelope(region)).filter((pixel) =>
          overlaps(HtmPixelization.triangle(pixel), region),
        );
      const visits = regionRecords(oracle, "visit");
      const expected = visits.flatMap((v) => pixelsOf(9, v.region).map((p) => `${v.record.id}/${p}`)).sort();
      const query = () => registry.query().where({ instrument: "Cam1" }).dataIds(["visit", "htm9"]);
      expect(values(await query().toArray(), "visit", "htm9").sort()).toEqual(expected);
      expect(await query().count()).toBe(expected.length);
      // Integer constraints on generated values, as ranges.
      const some = expected.slice(3, 6).map((k) => Number(k.split("/")[1]));
      const low = Math.min(...some);
      expect(
        values(
          await query()
            .where(`htm9 IN (${some.join(", ")}) OR htm9 < ${low}`)
            .toArray(),
          "visit",
          "htm9",
        ).sort(),
      ).toEqual(
        expected
          .filter((k) => some.includes(Number(k.split("/")[1])) || Number(k.split("/")[1]) < low)
          .sort(),
      );
      expect(await query().where(`htm9 != ${some[0]}`).count()).toBe(
        expected.filter((k) => Number(k.split("/")[1]) !== some[0]).length,
      );
      // A skypix dimension alone takes its values from a region literal.
      const circle = regionOfCall("CIRCLE", [0.3, 1.0, 0.1]);
      for (const level of [7, 9]) {
        const pixels = await registry
          .query()
          .dataIds([`htm${level}`])
          .where(`htm${level}.region OVERLAPS CIRCLE(0.3, 1.0, 0.1)`)
          .toArray();
        expect(
          values(pixels, `htm${level}`)
            .map(Number)
            .sort((a, b) => a - b),
        ).toEqual(pixelsOf(level, circle));
      }
      // HEALPix pixels are not polygons: they overlap what their envelope says, as in daf_butler.
      const detector = detectorRegions()[0] as { region: Region; record: Readonly<Record<string, unknown>> };
      const healpix = await registry
        .query()
        .where({
          instrument: "Cam1",
          visit: detector.record.visit as number,
          detector: detector.record.detector as number,
        })
        .dataIds(["visit", "detector", "healpix10"])
        .toArray();
      const envelope = pixelsIn(HealpixPixelization.of(10).envelope(detector.region));
      expect(values(healpix, "healpix10").map(Number)).toEqual(envelope);
      expect(envelope.length).toBeGreaterThan(0);
    });

    it("finds the first dataset of each data ID whose region passes, even when other rows of it do not", async () => {
      await registry.datasetTypes.register(
        DatasetType.make(registry.universe, {
          name: "calexp",
          dimensions: ["instrument", "visit", "detector"],
          storageClass: "StructuredDataDict",
        }),
      );
      const all = detectorRegions().map((r) => ({
        instrument: "Cam1",
        visit: r.record.visit as number,
        detector: r.record.detector as number,
      }));
      await registry.collections.register("early", "RUN");
      await registry.collections.register("late", "RUN");
      await registry.datasets.insert("calexp", all, "early");
      const late = await registry.datasets.insert(
        "calexp",
        all.filter((d) => d.detector % 2 === 0),
        "late",
      );
      const lateIds = new Set(late.map((ref) => ref.id));
      for (const patchList of ["4", "4, 5", "0, 5"]) {
        const wanted = regionRecords(oracle, "patch").filter(
          (p) => p.record.tract === 0 && patchList.split(", ").includes(String(p.record.id)),
        );
        const expected = detectorRegions()
          .filter((d) => wanted.some((p) => overlaps(d.region, p.region)))
          .map((d) => `${detectorKey(d)}:${(d.record.detector as number) % 2 === 0 ? "late" : "early"}`)
          .sort();
        const results = cam1()
          .datasets("calexp", ["late", "early"])
          .where(`tract = 0 AND patch IN (${patchList})`);
        const refs = await results.toArray();
        const got = refs.map((ref) => `${ref.dataId.get("visit")}/${ref.dataId.get("detector")}:${ref.run}`);
        expect(got.sort(), patchList).toEqual(expected);
        expect(refs.filter((ref) => ref.run === "late").every((ref) => lateIds.has(ref.id))).toBe(true);
        expect(await results.count()).toBe(expected.length);
      }
      const near = await registry
        .query()
        .where({ instrument: "Cam1" })
        .datasets("calexp", ["late", "early"])
        .where("visit_detector_region.region OVERLAPS CIRCLE(0.25, 1.2, 0.05)")
        .toArray();
      const circle = regionOfCall("CIRCLE", [0.25, 1.2, 0.05]);
      const inside = detectorRegions()
        .filter((d) => overlaps(d.region, circle))
        .map(detectorKey)
        .sort();
      expect(near.map((ref) => `${ref.dataId.get("visit")}/${ref.dataId.get("detector")}`).sort()).toEqual(
        inside,
      );
      expect(inside.length).toBeGreaterThan(0);
    });

    it("takes region joins under NOT and OR as the relation asked for, adding no automatic join", async () => {
      const pairs = (where: string) =>
        cam1()
          .dataIds(["visit", "tract"])
          .where(where)
          .toArray()
          .then((rows) => values(rows, "visit", "tract").sort());
      expect(await pairs("NOT visit.region OVERLAPS tract.region")).toEqual(["1/1"]);
      expect(await pairs("visit.region OVERLAPS tract.region OR visit = 1")).toEqual([
        "1/0",
        "1/1",
        "2/0",
        "2/1",
      ]);
      expect(
        await cam1().dataIds(["visit", "tract"]).where("NOT visit.region OVERLAPS tract.region").count(),
      ).toBe(1);
    });

    it("explains an empty spatial result by its region term", async () => {
      const far = "visit_detector_region.region OVERLAPS CIRCLE(120, -30, 0.5)";
      const reasons = await registry
        .query()
        .where({ instrument: "Cam1" })
        .dataIds(["visit", "detector"])
        .where(far)
        .explainNoResults();
      expect(reasons.join("\n")).toContain(far);
      const pixels = await registry
        .query()
        .dataIds(["htm9"])
        .where("htm9.region OVERLAPS CIRCLE(120, -30, 0.001) AND htm9 < 5")
        .explainNoResults();
      expect(pixels.join("\n")).toContain("htm9 < 5");
    });

    it("honours an explicit join instead of the automatic one", async () => {
      const rows = await cam1()
        .dataIds(["visit", "detector", "patch"])
        .where("tract = 0 AND visit.region OVERLAPS patch.region")
        .toArray();
      const visits = regionRecords(oracle, "visit");
      const patches = regionRecords(oracle, "patch").filter((p) => p.record.tract === 0);
      const detectors = oracle.records("detector").filter((d) => d.instrument === "Cam1");
      const expected = visits.flatMap((v) =>
        patches
          .filter((p) => overlaps(v.region, p.region))
          .flatMap((p) => detectors.map((d) => `${v.record.id}/${d.id}/${p.record.id}`)),
      );
      expect(values(rows, "visit", "detector", "patch").sort()).toEqual(expected.sort());
    });
  },
  { fixtures: true },
);

describeEachBackend(
  "spatial queries on a repository with a fine skypix level (htm9)",
  (backend) => {
    const oracle = new ExportOracle(["base.yaml", "spatial.yaml"]);
    let repo: Awaited<ReturnType<typeof fixtureRepository>>;

    beforeAll(async () => {
      repo = await fixtureRepository(["base.yaml", "spatial.yaml"], { backend, fineSkyPix: "htm9" });
    });
    afterAll(async () => {
      await repo?.cleanup();
    });

    it("answers region literals exactly, as on htm7, on 40 random literals", async () => {
      const detectors = regionRecords(oracle, "visit_detector_region");
      for (const { text, region } of randomLiterals(23, 40)) {
        const expected = detectors
          .filter((r) => overlaps(r.region, region))
          .map((r) => `${r.record.visit}/${r.record.detector}`)
          .sort();
        const rows = await repo.registry
          .query()
          .where({ instrument: "Cam1" })
          .dataIds(["visit", "detector"])
          .where(`visit_detector_region.region OVERLAPS ${text}`)
          .toArray();
        expect(values(rows, "visit", "detector").sort(), text).toEqual(expected);
      }
      const joined = await repo.registry
        .query()
        .where({ instrument: "Cam1", skymap: "SkyMap1" })
        .dataIds(["visit", "tract"])
        .toArray();
      expect(values(joined, "visit", "tract").sort()).toEqual(["1/0", "2/0", "2/1"]);
    });
  },
  { fixtures: true },
);

describe("region literals that are wrong", () => {
  const universe = defaultUniverse();
  const failure = (expression: string, bind: Record<string, unknown> = {}) => {
    try {
      buildQuery(universe, new Map(), {
        where: [{ expression: `instrument = 'Cam1' AND visit.region OVERLAPS ${expression}`, bind }],
        result: { kind: "dataIds", dimensions: ["visit"] },
      });
    } catch (error) {
      return error;
    }
    throw new Error(`${expression} was accepted`);
  };

  it.each([
    ["POINT(1, 91)", "POINT(1, 91)", "Invalid latitude 91°: it must be within ±90°"],
    ["POINT(1, -90.5)", "POINT(1, -90.5)", "Invalid latitude -90.5°: it must be within ±90°"],
    [
      "CIRCLE(1, 2, -0.5)",
      "CIRCLE(1, 2, -0.5)",
      "Invalid circle radius -0.5°: it must be between 0° and 180°",
    ],
    ["CIRCLE(1, 2, 200)", "CIRCLE(1, 2, 200)", "Invalid circle radius 200°: it must be between 0° and 180°"],
    ["BOX(1, 2, 400, 1)", "BOX(1, 2, 400, 1)", "Invalid box size 400° × 1°: at most 360° wide and 180° high"],
    ["BOX(1, 2, -1, 1)", "BOX(1, 2, -1, 1)", "Invalid box size -1°: it must be finite and not negative"],
    [
      "POLYGON(0, 0, 1, 0, 1, 1, 0.9, 0.2)",
      "POLYGON(0, 0, 1, 0, 1, 1, 0.9, 0.2)",
      "Invalid polygon: vertices",
    ],
    [
      "POLYGON(0, 0, 1, 0, 1, 0)",
      "POLYGON(0, 0, 1, 0, 1, 0)",
      "Invalid polygon: vertices 1 and 2 are the same point",
    ],
    ["CIRCLE(:ra, 2, 1)", "CIRCLE(:ra, 2, 1)", "Invalid CIRCLE() argument NaN: it must be a finite number"],
    [
      "REGION('ELLIPSE 1 2 3')",
      "REGION('ELLIPSE 1 2 3')",
      'Invalid POS string "ELLIPSE 1 2 3": the shape must be CIRCLE, RANGE or POLYGON',
    ],
    [
      "REGION('CIRCLE 1 2')",
      "REGION('CIRCLE 1 2')",
      'Invalid POS string "CIRCLE 1 2": CIRCLE takes 3 numbers, not 2',
    ],
    [
      "REGION('CIRCLE 1 x 2')",
      "REGION('CIRCLE 1 x 2')",
      'Invalid POS string "CIRCLE 1 x 2": "x" is not a number',
    ],
    [
      "a polygon of 1001 vertices",
      `POLYGON(${Array.from({ length: 1001 }, (_, i) => `${i / 1001}, 10`).join(", ")})`,
      "Invalid polygon: 1001 vertices is more than the 1000 a query takes",
    ],
  ])("%#: %s", (_label, literal, message) => {
    const error = failure(literal, { ra: Number.NaN });
    expect(error).toBeInstanceOf(InvalidQueryError);
    expect((error as InvalidQueryError).code).toBe("InvalidQueryError");
    expect((error as Error).message).toContain(message);
  });

  it("refuses the convex polygon's vertices in a non-convex order, never silently re-ordering them", () => {
    const error = failure("POLYGON(0, 0, 1, 1, 1, 0, 0, 1)");
    expect((error as Error).message).toContain("are not convex");
  });
});
