// Spatial query figures (`npm run bench -- spatial`): the automatic visit-detector × patch join on
// hsc-rc2-subset, and a CIRCLE constraint over a large synthetic set of visit-detector regions, each beside
// the htm7 overlap-table lookup that gives its candidates (daf_butler's answer before refinement).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { SkyPixDimension } from "../src/dimensions/elements.ts";
import type { QuerySpec } from "../src/query/tree/query-tree.ts";
import type { Registry } from "../src/registry/registry.ts";
import { compileQuery } from "../src/registry/sql/compile/compile-query.ts";
import { sqliteDialect } from "../src/registry/sql/dialects/sqlite/sqlite-dialect.ts";
import { createRepository } from "../src/repository/create-repository.ts";
import { importExportFile } from "../src/repository/import-repository.ts";
import { Angle } from "../src/sphgeom/angle.ts";
import { Circle } from "../src/sphgeom/circle.ts";
import { ConvexPolygon } from "../src/sphgeom/convex-polygon.ts";
import { HtmPixelization } from "../src/sphgeom/htm-pixelization.ts";
import { LonLat } from "../src/sphgeom/lon-lat.ts";
import { pixelsIn } from "../src/sphgeom/pixel-ranges.ts";
import { seededRandom } from "../src/util/seeded-random.ts";
import type { Comparison } from "./harness.ts";
import { HSC_EXPORT } from "./support/fixtures.ts";
import { freshPath } from "./support/visit-detector-repository.ts";

/** Visits of the hsc-rc2-subset join figure (all of them when the file holds fewer). */
const HSC_VISITS = 100;
/** Visits of the synthetic CIRCLE figure, each with 100 detector regions. */
const SYNTHETIC_VISITS = Number(process.env.BENCH_SPATIAL_VISITS ?? 10_000);
const DETECTORS = 100;
/** Side of a detector's square region and of the 10 × 10 detector grid of a visit, in degrees. */
const DETECTOR_SIDE = 0.2;
/** The tiled sky area: visit centers (and circle centers) fall in RA 1–19°, Dec −9–9°. */
const AREA = { ra: [1, 19], dec: [-9, 9] } as const;
const CIRCLE_RADIUS = 0.1;
/** Circles queried in turn, at seeded random centers in the tiled area. */
const CENTERS = 64;

/** Rows of a query's compiled SQL before refinement: the candidates the htm7 overlap tables give. */
function candidateCount(raw: DatabaseSync, registry: Registry, spec: QuerySpec, fineSkyPix?: string): number {
  const fine =
    fineSkyPix === undefined ? undefined : (registry.universe.dimension(fineSkyPix) as SkyPixDimension);
  const compiled = compileQuery(spec, {
    universe: registry.universe,
    dialect: sqliteDialect,
    datasetTypes: new Map(),
    searchPaths: new Map(),
    ...(fine === undefined ? {} : { fineSkyPix: fine }),
  });
  const row = raw
    .prepare(`SELECT count(*) AS n FROM (${compiled.unorderedSql}) AS counted`)
    .get(...compiled.unorderedParams);
  return Number(row?.n);
}

/** Patches overlapping every detector of 100 hsc-rc2-subset visits, beside the raw join of the overlap tables. */
async function hscPatches(): Promise<Comparison[]> {
  if (!existsSync(HSC_EXPORT)) {
    console.log(`skipping the hsc-rc2-subset spatial join: ${HSC_EXPORT} is absent`);
    return [];
  }
  const path = freshPath();
  const registry = await createRepository(path);
  await importExportFile(registry, HSC_EXPORT, { withoutDatastore: true });
  const raw = new DatabaseSync(join(path, "gen3.sqlite3"), { readOnly: true });
  const skymaps = raw.prepare("SELECT name FROM skymap").all();
  if (skymaps.length !== 1) throw new Error(`expected one skymap in ${HSC_EXPORT}, found ${skymaps.length}`);
  const skymap = String(skymaps[0]?.name);
  const all = raw.prepare("SELECT id FROM visit WHERE instrument = 'HSC' ORDER BY id").all();
  const visits = all.slice(0, HSC_VISITS).map((row) => Number(row.id));
  const { system, level } = registry.universe.commonSkyPix;
  const floor = raw.prepare(
    `SELECT DISTINCT o2.instrument, o2.visit, o2.detector, o1.skymap, o1.tract, o1.patch FROM visit_detector_region_skypix_overlap AS o2 JOIN patch_skypix_overlap AS o1 ON o1.skypix_system = o2.skypix_system AND o1.skypix_level = o2.skypix_level AND o1.skypix_index = o2.skypix_index WHERE o2.skypix_system = ? AND o2.skypix_level = ? AND o2.instrument = ? AND o1.skymap = ? AND o2.visit IN (${visits.map(() => "?").join(", ")})`,
  );
  const floorParams = [system, level, "HSC", skymap, ...visits];
  const query = () =>
    registry
      .query()
      .where({ instrument: "HSC", skymap })
      .dataIds(["visit", "detector", "patch"])
      .where(`visit IN (${visits.join(", ")})`);
  const exact = (await query().toArray()).length;
  const candidates = candidateCount(raw, registry, await query().spec());
  const pairs = floor.all(...floorParams).length;
  const chosen =
    visits.length < HSC_VISITS
      ? `all ${visits.length} visits (the file has fewer than ${HSC_VISITS})`
      : `${visits.length} of ${all.length} visits`;
  console.log(
    `(hsc-rc2-subset visit×detector×patch, ${chosen}: ${candidates} candidate rows from the htm7 overlap tables, ${pairs} distinct overlap pairs in the floor, ${exact} exact rows after refinement)`,
  );
  return [
    {
      figure: `hsc-rc2-subset patches overlapping all detectors of ${chosen} (${exact} rows)`,
      iterations: 10,
      butler: {
        name: `registry.query().where({instrument, skymap: "${skymap}"}).dataIds(["visit", "detector", "patch"]).where("visit IN (...)").toArray()`,
        run: () => query().toArray(),
      },
      floor: {
        name: "node:sqlite SELECT DISTINCT keys of visit_detector_region_skypix_overlap ⋈ patch_skypix_overlap on skypix_index (candidates, unrefined)",
        run: () => floor.all(...floorParams),
      },
    },
  ];
}

/** A square detector region of side {@link DETECTOR_SIDE} with its lower-left corner at (ra, dec), in degrees. */
function detectorSquare(ra: number, dec: number): Uint8Array {
  const side = DETECTOR_SIDE;
  return ConvexPolygon.of([
    LonLat.fromDegrees(ra, dec),
    LonLat.fromDegrees(ra + side, dec),
    LonLat.fromDegrees(ra + side, dec + side),
    LonLat.fromDegrees(ra, dec + side),
  ]).encode();
}

/**
 * A repository with instrument "Bench": `visits` visits at seeded random centers in {@link AREA}, each with
 * a 10 × 10 grid of square detector regions inserted through `registry.dimensions.insert`, which writes
 * their htm7 overlap rows.
 */
async function syntheticRegions(
  visits: number,
  fineSkyPix: string | undefined,
): Promise<{ registry: Registry; path: string }> {
  const path = freshPath();
  const registry = await createRepository(path, fineSkyPix === undefined ? {} : { fineSkyPix });
  await registry.dimensions.insert("instrument", [{ name: "Bench" }]);
  await registry.dimensions.insert("physical_filter", [{ instrument: "Bench", name: "Bench-r", band: "r" }]);
  await registry.dimensions.insert("day_obs", [{ instrument: "Bench", id: 20240101 }]);
  await registry.dimensions.insert(
    "detector",
    Array.from({ length: DETECTORS }, (_, id) => ({ instrument: "Bench", id, full_name: `D${id}` })),
  );
  await registry.dimensions.insert(
    "visit",
    Array.from({ length: visits }, (_, id) => ({
      instrument: "Bench",
      id,
      physical_filter: "Bench-r",
      day_obs: 20240101,
      name: `V${id}`,
    })),
  );
  const random = seededRandom(7);
  const half = (Math.sqrt(DETECTORS) * DETECTOR_SIDE) / 2;
  const perBatch = 100;
  for (let first = 0; first < visits; first += perBatch) {
    const records = [];
    for (let visit = first; visit < Math.min(visits, first + perBatch); visit++) {
      const ra = AREA.ra[0] + (AREA.ra[1] - AREA.ra[0]) * random() - half;
      const dec = AREA.dec[0] + (AREA.dec[1] - AREA.dec[0]) * random() - half;
      for (let detector = 0; detector < DETECTORS; detector++) {
        const region = detectorSquare(
          ra + DETECTOR_SIDE * (detector % 10),
          dec + DETECTOR_SIDE * Math.floor(detector / 10),
        );
        records.push({ instrument: "Bench", visit, detector, region });
      }
    }
    await registry.dimensions.insert("visit_detector_region", records);
  }
  return { registry, path };
}

/**
 * A CIRCLE(ra, dec, 0.1) constraint over the synthetic regions, beside the overlap-table lookup alone; in a
 * repository with a fine skypix level (`htm9`) when `fineSkyPix` is given.
 */
async function circleOverRegions(fineSkyPix?: string): Promise<Comparison> {
  const regions = (SYNTHETIC_VISITS * DETECTORS).toLocaleString("en");
  const started = performance.now();
  const { registry, path } = await syntheticRegions(SYNTHETIC_VISITS, fineSkyPix);
  const lookupLevel = (
    fineSkyPix === undefined ? registry.universe.commonSkyPix : registry.universe.dimension(fineSkyPix)
  ) as SkyPixDimension;
  const where = fineSkyPix === undefined ? "" : `, fine skypix ${fineSkyPix}`;
  const setup = (performance.now() - started) / 1000;
  const raw = new DatabaseSync(join(path, "gen3.sqlite3"), { readOnly: true });
  const overlapRows = Number(
    raw.prepare("SELECT count(*) AS n FROM visit_detector_region_skypix_overlap").get()?.n,
  );
  console.log(
    `(${regions} synthetic visit_detector_region records and ${overlapRows.toLocaleString("en")} overlap rows (htm7${where}) inserted through registry.dimensions.insert in ${setup.toFixed(1)} s)`,
  );
  const random = seededRandom(11);
  const pixelization = HtmPixelization.of(lookupLevel.level);
  const { system, level } = lookupLevel;
  // The pixel index (system, level, index, keys...): without statistics SQLite prefers the primary key's
  // (system, level, instrument) prefix for DISTINCT keys, a scan of every row of the level.
  const pixelIndex = String(
    raw
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'visit_detector_region_skypix_overlap' AND name LIKE '%skypix_level_skypix_index%'",
      )
      .get()?.name,
  );
  const centers = Array.from({ length: CENTERS }, () => {
    const ra = Number((AREA.ra[0] + (AREA.ra[1] - AREA.ra[0]) * random()).toFixed(4));
    const dec = Number((AREA.dec[0] + (AREA.dec[1] - AREA.dec[0]) * random()).toFixed(4));
    // The pixels of the ranges the compiler puts in the SQL for the literal (at most 64 ranges), listed
    // one by one: SQLite seeks an IN list but scans for an OR of ranges.
    const pixels = pixelsIn(
      pixelization.envelope(Circle.of(LonLat.fromDegrees(ra, dec), Angle.fromDegrees(CIRCLE_RADIUS)), 64),
    );
    const lookup = raw.prepare(
      `SELECT DISTINCT instrument, visit, detector FROM visit_detector_region_skypix_overlap INDEXED BY "${pixelIndex}" WHERE skypix_system = ? AND skypix_level = ? AND skypix_index IN (${pixels.map(() => "?").join(", ")}) AND instrument = ?`,
    );
    return { ra, dec, lookup, params: [system, level, ...pixels, "Bench"] };
  });
  const query = (c: { ra: number; dec: number }) =>
    registry
      .query()
      .where({ instrument: "Bench" })
      .dataIds(["visit", "detector"])
      .where(`visit_detector_region.region OVERLAPS CIRCLE(${c.ra}, ${c.dec}, ${CIRCLE_RADIUS})`);
  let candidates = 0;
  let lookedUp = 0;
  let returned = 0;
  for (const c of centers) {
    candidates += candidateCount(raw, registry, await query(c).spec(), fineSkyPix);
    lookedUp += c.lookup.all(...c.params).length;
    returned += (await query(c).toArray()).length;
  }
  const mean = (n: number) => (n / CENTERS).toFixed(1);
  console.log(
    `(CIRCLE(ra, dec, ${CIRCLE_RADIUS}) over ${regions} regions${where}, mean of ${CENTERS} centers: ${mean(candidates)} candidate rows refined, ${mean(lookedUp)} rows from the floor's lookup, ${mean(returned)} rows returned)`,
  );
  let n = 0;
  let m = 0;
  const next = () => centers[n++ % CENTERS] as (typeof centers)[0];
  const nextFloor = () => centers[m++ % CENTERS] as (typeof centers)[0];
  return {
    figure: `CIRCLE(ra, dec, ${CIRCLE_RADIUS}) constraint over ${regions} visit-detector regions${where} (${CENTERS} centers in turn, ~${mean(returned)} rows each)`,
    latency: true,
    iterations: CENTERS,
    butler: {
      name: `registry.query().where({instrument: "Bench"}).dataIds(["visit", "detector"]).where("visit_detector_region.region OVERLAPS CIRCLE(...)").toArray()`,
      run: () => query(next()).toArray(),
    },
    floor: {
      name: `node:sqlite SELECT DISTINCT keys of visit_detector_region_skypix_overlap in the circle's ${lookupLevel.name} pixels (IN list on the pixel index: the lookup alone)`,
      run: () => {
        const c = nextFloor();
        return c.lookup.all(...c.params);
      },
    },
  };
}

/** Spatial query figures: an automatic region join on real data, and a region literal at scale. */
export async function comparisons(): Promise<Comparison[]> {
  return [...(await hscPatches()), await circleOverRegions(), await circleOverRegions("htm9")];
}
