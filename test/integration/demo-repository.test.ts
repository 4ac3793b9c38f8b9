import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Butler } from "../../src/butler/butler.ts";
import { openButler } from "../../src/butler/open-butler.ts";
import { main } from "../../src/cli/main.ts";
import { buildDemoRepository, DEMO_COLLECTIONS } from "../../src/demo/build-demo-repository.ts";
import { ConfigError } from "../../src/errors.ts";
import { Box } from "../../src/images/box.ts";
import type { Exposure } from "../../src/images/exposure.ts";
import { decodeRegion } from "../../src/sphgeom/decode-region.ts";
import { LonLat } from "../../src/sphgeom/lon-lat.ts";
import type { Table } from "../../src/tables/table.ts";
import { parseTime } from "../../src/time/parse-time.ts";
import { Timespan } from "../../src/time/timespan.ts";
import { captureStreams } from "../support/capture.ts";
import { rejection } from "../support/caught.ts";
import { tempDir } from "../support/temp-repo.ts";

const VISITS = 4;
const SIZE = 64;
const DETECTOR = { instrument: "DemoCam", visit: 3, detector: 1 };

describe("butler demo: the sample repository", () => {
  let dir: { path: string; cleanup: () => void };
  let repo: string;
  let butler: Butler;
  let progress: [number, number][];

  beforeAll(async () => {
    dir = tempDir("butler-demo-");
    repo = join(dir.path, "demo");
    progress = [];
    await buildDemoRepository(repo, {
      visits: VISITS,
      size: SIZE,
      onProgress: (d, t) => progress.push([d, t]),
    });
    butler = await openButler(repo, { collections: [DEMO_COLLECTIONS.defaults] });
  });
  afterAll(async () => {
    await butler.close();
    dir.cleanup();
  });

  it("chains one RUN per step over the calibrations", async () => {
    expect(await butler.registry.collections.getChain(DEMO_COLLECTIONS.defaults)).toEqual([
      DEMO_COLLECTIONS.sources,
      DEMO_COLLECTIONS.calexp,
      DEMO_COLLECTIONS.raw,
      DEMO_COLLECTIONS.calib,
    ]);
    const count = async (type: string) =>
      (await butler.registry.datasets.query(type, { collections: [DEMO_COLLECTIONS.defaults] })).length;
    expect(await count("raw")).toBe(VISITS * 4);
    expect(await count("calexp")).toBe(VISITS * 4);
    expect(await count("sourceTable_visit")).toBe(VISITS);
    expect(progress.at(-1)?.[0]).toBe(progress.at(-1)?.[1]);
  });

  it("writes calexps whose cutouts equal the same pixels of the whole image, with the same sky", async () => {
    const whole = (await butler.get("calexp", DETECTOR)) as Exposure;
    expect(whole.image.width).toBe(SIZE);
    expect(whole.mask).not.toBeNull();
    expect(whole.variance).not.toBeNull();
    const box = new Box(10, 20, 29, 34);
    const cut = (await butler.get("calexp", DETECTOR, { parameters: { bbox: box } })) as Exposure;
    expect([cut.image.width, cut.image.height, cut.image.xy0.x, cut.image.xy0.y]).toEqual([20, 15, 10, 20]);
    expect([...cut.image.array]).toEqual([...whole.image.subimage(box).array]);
    expect(cut.wcs?.pixelToSky(15, 25)).toEqual(whole.wcs?.pixelToSky(15, 25));
    const metadata = (await butler.get("calexp.metadata", DETECTOR)) as Exposure["metadata"];
    expect(metadata.get("INSTRUME")).toBe("DemoCam");
    expect(metadata.get("NSTARS")).toBeGreaterThanOrEqual(0);
  });

  it("records visit-detector regions that hold what each calexp's WCS sees", async () => {
    const records = await butler.registry.dimensions.fetchAll("visit_detector_region");
    expect(records.length).toBe(VISITS * 4);
    const record = records.find((r) => r.get("visit") === 3 && r.get("detector") === 1);
    const region = decodeRegion(record?.get("region") as Uint8Array);
    const calexp = (await butler.get("calexp", DETECTOR)) as Exposure;
    const sky = (x: number, y: number) => {
      const { ra, dec } = calexp.wcs?.pixelToSky(x, y) ?? { ra: Number.NaN, dec: Number.NaN };
      return LonLat.fromDegrees(ra, dec).toVector();
    };
    expect(region.contains(sky(SIZE / 2, SIZE / 2))).toBe(true);
    expect(region.contains(sky(1, SIZE - 2))).toBe(true);
    expect(region.contains(sky(-20, SIZE / 2))).toBe(false);
  });

  it("puts a source table per visit whose positions lie on the visit's calexps", async () => {
    const table = (await butler.get("sourceTable_visit", { instrument: "DemoCam", visit: 3 })) as Table;
    const stars = await Promise.all(
      [0, 1, 2, 3].map(async (detector) => {
        const calexp = (await butler.get("calexp", { ...DETECTOR, detector })) as Exposure;
        return Number(calexp.metadata.get("NSTARS"));
      }),
    );
    expect(table.rowcount).toBe(stars.reduce((a, b) => a + b, 0));
    const picked = (await butler.get(
      "sourceTable_visit",
      { instrument: "DemoCam", visit: 3 },
      { parameters: { columns: ["ra", "dec"] } },
    )) as Table;
    expect(picked.names).toEqual(["ra", "dec"]);
    expect(table.column("ra").unit).toBe("deg");
  });

  it("recertified the biases: the first night finds v1, the second v2, and the history keeps both", async () => {
    const night = (text: string) => Timespan.fromInstant(parseTime(text, { scale: "tai" }));
    const bias = async (time: string) =>
      (await butler.get(
        "bias",
        { instrument: "DemoCam", detector: 2 },
        { collections: [DEMO_COLLECTIONS.calib], timespan: night(time) },
      )) as Exposure;
    expect((await bias("2026-03-11T01:05:00")).metadata.get("CALIBGEN")).toBe(1);
    expect((await bias("2026-03-12T01:35:00")).metadata.get("CALIBGEN")).toBe(2);
    const history = await butler.registry.calibrations.history(DEMO_COLLECTIONS.calib, "bias");
    const detector2 = history.filter((entry) => entry.ref.dataId.get("detector") === 2);
    expect(detector2.map((entry) => entry.ref.run)).toEqual([
      DEMO_COLLECTIONS.biasV1,
      DEMO_COLLECTIONS.biasV1,
      DEMO_COLLECTIONS.biasV2,
    ]);
    expect(detector2[0]?.superseded).not.toBeNull();
    expect(detector2.slice(1).every((entry) => entry.superseded === null)).toBe(true);
  });

  it("makes the same pixels from the same seed", async () => {
    const again = join(dir.path, "again");
    await buildDemoRepository(again, { visits: VISITS, size: SIZE });
    const other = await openButler(again, { collections: [DEMO_COLLECTIONS.defaults] });
    try {
      const first = (await other.get("raw", { instrument: "DemoCam", exposure: 1, detector: 0 })) as Exposure;
      const mine = (await butler.get("raw", { instrument: "DemoCam", exposure: 1, detector: 0 })) as Exposure;
      expect([...first.image.array]).toEqual([...mine.image.array]);
    } finally {
      await other.close();
    }
  });

  it("refuses a directory that already holds a repository", async () => {
    const error = await rejection(buildDemoRepository(repo, { visits: 1, size: SIZE }), ConfigError);
    expect(error.code).toBe("ConfigError");
    expect(error.message).toContain("A repository already exists at");
  });

  it("is the `butler demo` verb, which prints commands that work on it", async () => {
    const target = join(dir.path, "cli");
    const io = captureStreams();
    expect(await main(["demo", target, "--visits", "4", "--size", "64"], io)).toBe(0);
    expect(io.out()).toContain(`npx butler query-datasets ${target} calexp`);
    const cutout = join(dir.path, "cut.fits");
    const get = captureStreams();
    const code = await main(
      [
        "get",
        target,
        "calexp",
        "--data-id",
        "instrument=DemoCam,visit=3,detector=1",
        "--collections",
        "DemoCam/defaults",
        "--parameter",
        "bbox=5,6,24,15",
        "--output",
        cutout,
      ],
      get,
    );
    expect(get.err()).toBe("");
    expect(code).toBe(0);
    expect(readFileSync(cutout).subarray(0, 30).toString()).toBe("SIMPLE  =                    T");
    const io2 = captureStreams();
    expect(
      await main(["register-dataset-type", target, "cutout", "ImageF", "instrument", "detector"], io2),
    ).toBe(0);
    const put = captureStreams();
    const putArgs = ["put", target, "cutout", "u/me", cutout, "--data-id", "instrument=DemoCam,detector=1"];
    expect(await main(putArgs, put)).toBe(0);
    const stored = await openButler(target, { collections: ["u/me"] });
    try {
      const image = (await stored.get("cutout", { instrument: "DemoCam", detector: 1 })) as Exposure["image"];
      expect([image.width, image.height, image.xy0]).toEqual([20, 10, { x: 5, y: 6 }]);
    } finally {
      await stored.close();
    }
    const shown = captureStreams();
    const where = ["--data-id", "instrument=DemoCam,visit=3,detector=1", "--collections", "DemoCam/defaults"];
    expect(await main(["get", target, "calexp", ...where], shown)).toBe(0);
    expect(shown.out()).toMatch(/^Exposure of 64x64 pixels, bbox 0,0,63,63/);
    expect(shown.out()).toContain("planes: image float32, mask int32");
    const rows = captureStreams();
    const visit = ["--data-id", "instrument=DemoCam,visit=3", "--collections", "DemoCam/defaults"];
    const columns = ["--parameter", 'columns=["detector","psfFlux"]', "--format", "csv"];
    expect(await main(["get", target, "sourceTable_visit", ...visit, ...columns], rows)).toBe(0);
    const lines = rows.out().trim().split("\n");
    expect(lines[0]).toBe("detector,psfFlux");
    expect(lines.slice(1).every((line) => /^[0-3],\d+\.\d+$/.test(line))).toBe(true);
    const notTable = captureStreams();
    expect(await main(["get", target, "calexp", ...where, "--format", "csv"], notTable)).toBe(1);
    expect(notTable.err()).toContain("error: --format csv prints tables, and this dataset is not one");
    const bad = captureStreams();
    expect(await main(["demo", join(dir.path, "x"), "--visits", "0"], bad)).not.toBe(0);
    expect(bad.err()).toContain("--visits must be a whole number from 1 to 1000");
  });
});
