import { parseTime } from "../time/parse-time.ts";
import { seededRandom } from "../util/seeded-random.ts";

/** The demo's instrument name. */
export const DEMO_INSTRUMENT = "DemoCam";

/** Arcseconds per pixel of DemoCam's detectors. */
export const PIXEL_SCALE_ARCSEC = 0.4;

/** Gap between neighbouring detectors of the 2x2 focal plane, in pixels. */
const DETECTOR_GAP = 24;

/** The field the demo survey observes, near COSMOS (degrees). */
const FIELD_CENTER = { ra: 150.1, dec: 2.2 } as const;

/** One filter of DemoCam with its band. */
export interface DemoFilter {
  readonly name: string;
  readonly band: string;
}

/** DemoCam's filters. */
export const DEMO_FILTERS: readonly DemoFilter[] = Object.freeze([
  { name: "DemoCam-g", band: "g" },
  { name: "DemoCam-r", band: "r" },
]);

/** One detector of the 2x2 focal plane: its ID, names, and where its centre sits from the boresight (pixels). */
export interface DemoDetector {
  readonly id: number;
  readonly fullName: string;
  readonly raft: string;
  readonly nameInRaft: string;
  readonly offsetX: number;
  readonly offsetY: number;
}

/** The four detectors of a focal plane of square detectors `size` pixels wide. */
export function demoDetectors(size: number): DemoDetector[] {
  const pitch = size + DETECTOR_GAP;
  return [0, 1, 2, 3].map((id) => {
    const column = id % 2;
    const row = Math.floor(id / 2);
    return {
      id,
      fullName: `R00_S${row}${column}`,
      raft: "R00",
      nameInRaft: `S${row}${column}`,
      offsetX: (column - 0.5) * pitch,
      offsetY: (row - 0.5) * pitch,
    };
  });
}

/** One visit (one exposure) of the demo survey. */
export interface DemoVisit {
  readonly id: number;
  readonly filter: DemoFilter;
  readonly dayObs: number;
  /** TAI nanoseconds. */
  readonly begin: bigint;
  readonly end: bigint;
  readonly exposureTime: number;
  /** Boresight (degrees). */
  readonly ra: number;
  readonly dec: number;
  readonly seeingPixels: number;
}

const EXPOSURE_SECONDS = 30;
const NIGHTS = [
  { dayObs: 20260310, start: "2026-03-11T01:00:00" },
  { dayObs: 20260311, start: "2026-03-12T01:30:00" },
];

/**
 * `count` visits over two nights, alternating g and r, each pointed a few arcseconds from the field centre
 * (a dither pattern) with its own seeing; the same seed gives the same survey.
 */
export function demoVisits(count: number, seed: number): DemoVisit[] {
  const random = seededRandom(seed);
  const perNight = Math.ceil(count / NIGHTS.length);
  return Array.from({ length: count }, (_, index) => {
    const night = NIGHTS[Math.floor(index / perNight)] as (typeof NIGHTS)[number];
    const slot = index % perNight;
    const begin = parseTime(night.start, { scale: "tai" }) + BigInt(slot * 60) * 1_000_000_000n;
    return {
      id: index + 1,
      filter: DEMO_FILTERS[index % DEMO_FILTERS.length] as DemoFilter,
      dayObs: night.dayObs,
      begin,
      end: begin + BigInt(EXPOSURE_SECONDS) * 1_000_000_000n,
      exposureTime: EXPOSURE_SECONDS,
      ra: FIELD_CENTER.ra + (random() - 0.5) * 0.006,
      dec: FIELD_CENTER.dec + (random() - 0.5) * 0.006,
      seeingPixels: 1.2 + random() * 1.0,
    };
  });
}

/** A star of the demo sky. */
export interface DemoStar {
  readonly id: number;
  readonly ra: number;
  readonly dec: number;
  /** Counts in a 30 s exposure. */
  readonly flux: number;
}

/** `count` stars scattered over the field, fainter ones more numerous. */
export function demoStars(count: number, seed: number, fieldDegrees: number): DemoStar[] {
  const random = seededRandom(seed ^ 0x5eed);
  const cosDec = Math.cos((FIELD_CENTER.dec * Math.PI) / 180);
  return Array.from({ length: count }, (_, index) => ({
    id: index + 1,
    ra: FIELD_CENTER.ra + ((random() - 0.5) * fieldDegrees) / cosDec,
    dec: FIELD_CENTER.dec + (random() - 0.5) * fieldDegrees,
    flux: 2000 * 10 ** (random() * 2.5),
  }));
}

/** Degrees spanned by the focal plane of detectors `size` pixels wide, with some margin. */
export function focalPlaneDegrees(size: number): number {
  return ((2 * size + DETECTOR_GAP) * PIXEL_SCALE_ARCSEC) / 3600;
}
