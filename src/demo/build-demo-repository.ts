import { openButler } from "../butler/open-butler.ts";
import { DatasetType } from "../datasets/dataset-type.ts";
import type { Exposure } from "../images/exposure.ts";
import type { Registry } from "../registry/registry.ts";
import { createRepository } from "../repository/create-repository.ts";
import { parseTime } from "../time/parse-time.ts";
import { Timespan } from "../time/timespan.ts";
import {
  biasFrame,
  calibrationExposure,
  detectorWcs,
  flatField,
  type RenderedDetector,
  renderDetector,
} from "./demo-images.ts";
import { demoRecords } from "./demo-records.ts";
import { sourceTable } from "./demo-sources.ts";
import {
  DEMO_FILTERS,
  DEMO_INSTRUMENT,
  type DemoDetector,
  type DemoVisit,
  demoDetectors,
  demoStars,
  demoVisits,
  focalPlaneDegrees,
} from "./demo-survey.ts";

/** What {@link buildDemoRepository} makes. */
export interface DemoOptions {
  /** Number of visits (default 20). */
  readonly visits?: number;
  /** Width and height of each detector in pixels (default 200). */
  readonly size?: number;
  /** Seed of every random choice: the same seed gives the same pixels (default 1). */
  readonly seed?: number;
  /** Called as datasets are written: `done` of `total`. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The collections of the demo repository, by role. */
export const DEMO_COLLECTIONS = Object.freeze({
  raw: `${DEMO_INSTRUMENT}/raw/all`,
  biasV1: `${DEMO_INSTRUMENT}/calib/bias/v1`,
  biasV2: `${DEMO_INSTRUMENT}/calib/bias/v2`,
  flats: `${DEMO_INSTRUMENT}/calib/flat/v1`,
  calib: `${DEMO_INSTRUMENT}/calib`,
  calexp: `${DEMO_INSTRUMENT}/runs/calexp`,
  sources: `${DEMO_INSTRUMENT}/runs/sources`,
  defaults: `${DEMO_INSTRUMENT}/defaults`,
});

/** What the demo repository holds, for the summary printed after it is built. */
export interface DemoSummary {
  readonly visits: number;
  readonly detectors: number;
  readonly datasets: number;
}

const DATASET_TYPES = [
  { name: "raw", dimensions: ["instrument", "exposure", "detector"], storageClass: "ExposureF" },
  { name: "bias", dimensions: ["instrument", "detector"], storageClass: "ExposureF", isCalibration: true },
  {
    name: "flat",
    dimensions: ["instrument", "detector", "physical_filter"],
    storageClass: "ExposureF",
    isCalibration: true,
  },
  { name: "calexp", dimensions: ["instrument", "visit", "detector"], storageClass: "ExposureF" },
  { name: "sourceTable_visit", dimensions: ["instrument", "visit"], storageClass: "ArrowAstropy" },
];

const CALIBRATIONS_FROM = "2026-01-01T00:00:00";
/** When the second generation of biases takes over (between the two nights). */
const BIAS_V2_FROM = "2026-03-11T12:00:00";

/**
 * Build a sample repository at `root`: DemoCam (a 2x2 focal plane), `visits` visits of FITS raws and
 * calexps with WCS, mask and variance, a Parquet source table per visit, biases and flats certified in a
 * CALIBRATION collection (the biases recertified, so there is history), a RUN per processing step, and a
 * CHAINED collection over them all.
 * @throws {ConfigError} when a repository already exists at `root`.
 */
export async function buildDemoRepository(root: string, options: DemoOptions = {}): Promise<DemoSummary> {
  const size = options.size ?? 200;
  const seed = options.seed ?? 1;
  const visits = demoVisits(options.visits ?? 20, seed);
  const detectors = demoDetectors(size);
  const registry = await createRepository(root);
  try {
    await defineRepository(registry, visits, detectors, size);
  } finally {
    await registry.close();
  }
  const total = visits.length * (detectors.length * 2 + 1) + detectors.length * (2 + DEMO_FILTERS.length);
  let done = 0;
  const advance = (count: number) => {
    done += count;
    options.onProgress?.(done, total);
  };
  const butler = await openButler(root, { writeable: true });
  try {
    await putCalibrations(butler, detectors, size, advance);
    const stars = demoStars(60 * visits.length, seed, focalPlaneDegrees(size) * 1.4);
    for (const visit of visits) {
      const rendered = detectors.map((detector) => renderDetector(visit, detector, stars, size, seed));
      await putVisit(butler, visit, detectors, rendered);
      advance(detectors.length * 2 + 1);
    }
    await certifyCalibrations(butler.registry);
  } finally {
    await butler.close();
  }
  return { visits: visits.length, detectors: detectors.length, datasets: total };
}

async function defineRepository(
  registry: Registry,
  visits: readonly DemoVisit[],
  detectors: readonly DemoDetector[],
  size: number,
): Promise<void> {
  const wcsOf = (visit: DemoVisit, detector: DemoDetector) => detectorWcs(visit, detector, size);
  for (const [element, records] of demoRecords(visits, detectors, wcsOf, size)) {
    await registry.dimensions.insert(element, records);
  }
  for (const init of DATASET_TYPES) {
    await registry.datasetTypes.register(DatasetType.make(registry.universe, init));
  }
  const runs = [
    DEMO_COLLECTIONS.raw,
    DEMO_COLLECTIONS.biasV1,
    DEMO_COLLECTIONS.biasV2,
    DEMO_COLLECTIONS.flats,
    DEMO_COLLECTIONS.calexp,
    DEMO_COLLECTIONS.sources,
  ];
  for (const run of runs) await registry.collections.register(run, "RUN");
  await registry.collections.register(DEMO_COLLECTIONS.calib, "CALIBRATION", "Biases and flats of DemoCam.");
  await registry.collections.register(DEMO_COLLECTIONS.defaults, "CHAINED", "Everything, newest step first.");
  await registry.collections.setChain(DEMO_COLLECTIONS.defaults, [
    DEMO_COLLECTIONS.sources,
    DEMO_COLLECTIONS.calexp,
    DEMO_COLLECTIONS.raw,
    DEMO_COLLECTIONS.calib,
  ]);
}

type DemoButler = Awaited<ReturnType<typeof openButler>>;

async function putCalibrations(
  butler: DemoButler,
  detectors: readonly DemoDetector[],
  size: number,
  advance: (count: number) => void,
): Promise<void> {
  for (const generation of [1, 2]) {
    const run = generation === 1 ? DEMO_COLLECTIONS.biasV1 : DEMO_COLLECTIONS.biasV2;
    await butler.putMany(
      detectors.map((detector) => ({
        object: calibrationExposure("bias", biasFrame(detector, size, generation), size, detector, [
          { key: "CALIBGEN", value: generation, comment: "Calibration generation" },
        ]),
        datasetType: "bias",
        dataId: { instrument: DEMO_INSTRUMENT, detector: detector.id },
      })),
      { run },
    );
    advance(detectors.length);
  }
  await butler.putMany(
    DEMO_FILTERS.flatMap((filter) =>
      detectors.map((detector) => ({
        object: calibrationExposure("flat", flatField(detector, size, filter.band), size, detector, [
          { key: "FILTER", value: filter.name, comment: "Physical filter" },
        ]),
        datasetType: "flat",
        dataId: { instrument: DEMO_INSTRUMENT, detector: detector.id, physical_filter: filter.name },
      })),
    ),
    { run: DEMO_COLLECTIONS.flats },
  );
  advance(detectors.length * DEMO_FILTERS.length);
}

async function putVisit(
  butler: DemoButler,
  visit: DemoVisit,
  detectors: readonly DemoDetector[],
  rendered: readonly RenderedDetector[],
): Promise<void> {
  const each = (kind: "raw" | "calexp", exposureKey: "exposure" | "visit") =>
    detectors.map((detector, index) => ({
      object: (rendered[index] as RenderedDetector)[kind] as Exposure,
      datasetType: kind,
      dataId: { instrument: DEMO_INSTRUMENT, [exposureKey]: visit.id, detector: detector.id },
    }));
  await butler.putMany(each("raw", "exposure"), { run: DEMO_COLLECTIONS.raw });
  await butler.putMany(each("calexp", "visit"), { run: DEMO_COLLECTIONS.calexp });
  await butler.put(
    sourceTable(visit, detectors, rendered),
    "sourceTable_visit",
    { instrument: DEMO_INSTRUMENT, visit: visit.id },
    { run: DEMO_COLLECTIONS.sources },
  );
}

/**
 * Certify the first biases and the flats from the start of 2026, then recertify: the second biases take
 * over between the nights, which truncates the first ones' range (kept in the bitemporal history).
 */
async function certifyCalibrations(registry: Registry): Promise<void> {
  const from = parseTime(CALIBRATIONS_FROM, { scale: "tai" });
  const switchover = parseTime(BIAS_V2_FROM, { scale: "tai" });
  const find = (type: string, run: string) => registry.datasets.query(type, { collections: [run] });
  await registry.calibrations.certify(
    DEMO_COLLECTIONS.calib,
    await find("bias", DEMO_COLLECTIONS.biasV1),
    Timespan.between(from, null),
  );
  await registry.calibrations.certify(
    DEMO_COLLECTIONS.calib,
    await find("flat", DEMO_COLLECTIONS.flats),
    Timespan.between(from, null),
  );
  await registry.calibrations.decertify(DEMO_COLLECTIONS.calib, "bias", Timespan.between(switchover, null));
  await registry.calibrations.certify(
    DEMO_COLLECTIONS.calib,
    await find("bias", DEMO_COLLECTIONS.biasV2),
    Timespan.between(switchover, null),
  );
}
