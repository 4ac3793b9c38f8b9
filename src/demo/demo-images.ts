import { Exposure } from "../images/exposure.ts";
import { Image } from "../images/image.ts";
import { DEFAULT_MASK_PLANES, Mask } from "../images/mask.ts";
import { type MetadataEntry, PropertyList } from "../images/property-list.ts";
import { SkyWcs } from "../images/sky-wcs.ts";
import { formatTime } from "../time/format-time.ts";
import { seededRandom } from "../util/seeded-random.ts";
import {
  DEMO_INSTRUMENT,
  type DemoDetector,
  type DemoStar,
  type DemoVisit,
  PIXEL_SCALE_ARCSEC,
} from "./demo-survey.ts";

const SKY_LEVEL = 800;
const READ_NOISE = 5;
const SATURATION = 60_000;
const BIAS_LEVEL = 1000;

/** The WCS of one detector in one visit: TAN about the boresight, north up, east left. */
export function detectorWcs(visit: DemoVisit, detector: DemoDetector, size: number): SkyWcs {
  const scale = PIXEL_SCALE_ARCSEC / 3600;
  const center = (size - 1) / 2;
  return new SkyWcs({
    crpix: [center - detector.offsetX, center - detector.offsetY],
    crval: [visit.ra, visit.dec],
    cd: [
      [-scale, 0],
      [0, scale],
    ],
  });
}

/** A star seen on a detector: its pixel position and flux. */
export interface DetectedStar {
  readonly star: DemoStar;
  readonly x: number;
  readonly y: number;
}

/** The stars whose centres fall on a detector of `size` pixels through `wcs`. */
export function starsOnDetector(stars: readonly DemoStar[], wcs: SkyWcs, size: number): DetectedStar[] {
  const found: DetectedStar[] = [];
  for (const star of stars) {
    const { x, y } = wcs.skyToPixel(star.ra, star.dec);
    if (x >= 0 && y >= 0 && x <= size - 1 && y <= size - 1) found.push({ star, x, y });
  }
  return found;
}

/** A standard-normal deviate generator (Box-Muller) over a seeded uniform one. */
function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Add a circular Gaussian star of total `flux` centred at (`cx`, `cy`). */
function addStar(
  pixels: Float32Array,
  size: number,
  cx: number,
  cy: number,
  flux: number,
  sigma: number,
): void {
  const radius = Math.ceil(4 * sigma);
  const norm = flux / (2 * Math.PI * sigma * sigma);
  for (let y = Math.max(0, Math.floor(cy - radius)); y <= Math.min(size - 1, Math.ceil(cy + radius)); y++) {
    for (let x = Math.max(0, Math.floor(cx - radius)); x <= Math.min(size - 1, Math.ceil(cx + radius)); x++) {
      const r2 = (x - cx) ** 2 + (y - cy) ** 2;
      pixels[y * size + x] = (pixels[y * size + x] as number) + norm * Math.exp(-r2 / (2 * sigma * sigma));
    }
  }
}

/** The flat field of a detector in a filter: a gentle vignetting gradient across the focal plane. */
export function flatField(detector: DemoDetector, size: number, band: string): Float32Array {
  const flat = new Float32Array(size * size);
  const tilt = band === "g" ? 0.06 : 0.04;
  const half = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const fx = (x - half + detector.offsetX) / (2 * size);
      const fy = (y - half + detector.offsetY) / (2 * size);
      flat[y * size + x] = 1 - tilt * (fx * fx + fy * fy) * 4;
    }
  }
  return flat;
}

/** The bias frame of a detector (`generation` 2 has a slightly different pattern, as a re-made calibration would). */
export function biasFrame(detector: DemoDetector, size: number, generation: number): Float32Array {
  const bias = new Float32Array(size * size);
  const slope = generation === 1 ? 0.02 : 0.025;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) bias[y * size + x] = BIAS_LEVEL + detector.id * 3 + slope * x;
  }
  return bias;
}

function header(entries: readonly MetadataEntry[]): PropertyList {
  return new PropertyList(entries);
}

/** The metadata cards every demo image carries for its visit and detector. */
function observationCards(visit: DemoVisit, detector: DemoDetector): MetadataEntry[] {
  return [
    { key: "INSTRUME", value: DEMO_INSTRUMENT, comment: "Instrument" },
    { key: "TELESCOP", value: "DemoScope", comment: "Telescope" },
    { key: "FILTER", value: visit.filter.name, comment: "Physical filter" },
    { key: "BAND", value: visit.filter.band, comment: "Band" },
    { key: "EXPID", value: visit.id, comment: "Exposure ID" },
    { key: "DETECTOR", value: detector.id, comment: "Detector ID" },
    { key: "DETNAME", value: detector.fullName, comment: "Detector name" },
    {
      key: "DATE-OBS",
      value: formatTime(visit.begin, { format: "isot", scale: "tai" }),
      comment: "Start (TAI)",
    },
    { key: "EXPTIME", value: visit.exposureTime, comment: "Exposure time (s)" },
    {
      key: "SEEING",
      value: Math.round(visit.seeingPixels * PIXEL_SCALE_ARCSEC * 1000) / 1000,
      comment: "FWHM-ish (arcsec)",
    },
  ];
}

/** The raw and calibrated exposure of one detector in one visit, with the stars drawn on it. */
export interface RenderedDetector {
  readonly raw: Exposure;
  readonly calexp: Exposure;
  readonly stars: readonly DetectedStar[];
}

/**
 * Render one detector of one visit: sky and stars through the flat, plus bias and noise (the raw), then
 * the raw with bias subtracted and flat divided, with a mask (edges, a bad column, saturation) and a
 * variance plane (the calexp).
 */
export function renderDetector(
  visit: DemoVisit,
  detector: DemoDetector,
  stars: readonly DemoStar[],
  size: number,
  seed: number,
): RenderedDetector {
  const wcs = detectorWcs(visit, detector, size);
  const onDetector = starsOnDetector(stars, wcs, size);
  const normal = gaussian(seededRandom(seed * 1000 + visit.id * 10 + detector.id));
  const sigma = visit.seeingPixels / 2.355;
  const signal = new Float32Array(size * size).fill(SKY_LEVEL);
  for (const { star, x, y } of onDetector) addStar(signal, size, x, y, star.flux, sigma);
  const flat = flatField(detector, size, visit.filter.band);
  const bias = biasFrame(detector, size, 2);
  const raw = new Float32Array(size * size);
  const calibrated = new Float32Array(size * size);
  const variance = new Float32Array(size * size);
  const mask = new Int32Array(size * size);
  const badColumn = 17 + detector.id * 31;
  for (let i = 0; i < raw.length; i++) {
    const expected = (signal[i] as number) * (flat[i] as number);
    const counts = expected + Math.sqrt(expected + READ_NOISE ** 2) * normal();
    const value = Math.min(SATURATION, Math.round(counts + (bias[i] as number)));
    raw[i] = value;
    calibrated[i] = (value - (bias[i] as number)) / (flat[i] as number);
    variance[i] = (expected + READ_NOISE ** 2) / (flat[i] as number) ** 2;
    const x = i % size;
    const y = Math.floor(i / size);
    let bits = 0;
    if (x < 2 || y < 2 || x >= size - 2 || y >= size - 2) bits |= 1 << (DEFAULT_MASK_PLANES.EDGE as number);
    if (x === badColumn) bits |= 1 << (DEFAULT_MASK_PLANES.BAD as number);
    if (value >= SATURATION) bits |= 1 << (DEFAULT_MASK_PLANES.SAT as number);
    mask[i] = bits;
  }
  const cards = observationCards(visit, detector);
  return {
    raw: new Exposure({
      image: new Image({ array: raw, width: size, height: size }),
      metadata: header([...cards, { key: "IMAGETYP", value: "science", comment: "Observation type" }]),
      wcs,
    }),
    calexp: new Exposure({
      image: new Image({ array: calibrated, width: size, height: size }),
      mask: new Mask({ array: mask, width: size, height: size }),
      variance: new Image({ array: variance, width: size, height: size }),
      metadata: header([...cards, { key: "NSTARS", value: onDetector.length, comment: "Stars drawn" }]),
      wcs,
    }),
    stars: onDetector,
  };
}

/** A calibration frame as an exposure: `pixels` with a header naming what it is. */
export function calibrationExposure(
  kind: "bias" | "flat",
  pixels: Float32Array,
  size: number,
  detector: DemoDetector,
  extra: readonly MetadataEntry[] = [],
): Exposure {
  return new Exposure({
    image: new Image({ array: pixels, width: size, height: size }),
    metadata: header([
      { key: "INSTRUME", value: DEMO_INSTRUMENT, comment: "Instrument" },
      { key: "DETECTOR", value: detector.id, comment: "Detector ID" },
      { key: "OBSTYPE", value: kind, comment: "Calibration type" },
      ...extra,
    ]),
  });
}
