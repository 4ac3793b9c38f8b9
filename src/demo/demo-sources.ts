import { makeTable, type Table } from "../tables/table.ts";
import { seededRandom } from "../util/seeded-random.ts";
import type { RenderedDetector } from "./demo-images.ts";
import type { DemoDetector, DemoVisit } from "./demo-survey.ts";

/**
 * The source table of one visit: every star drawn on its detectors, "measured" with a little centroid and
 * flux noise, with sky positions from each detector's WCS (what a `sourceTable_visit` holds).
 */
export function sourceTable(
  visit: DemoVisit,
  detectors: readonly DemoDetector[],
  rendered: readonly RenderedDetector[],
): Table {
  const random = seededRandom(visit.id * 7919);
  const rows = rendered.flatMap((detector, index) =>
    detector.stars.map((found) => ({
      found,
      detector: detectors[index] as DemoDetector,
      wcs: detector.calexp.wcs,
    })),
  );
  const ids = new BigInt64Array(rows.length);
  const detectorIds = new Int16Array(rows.length);
  const x = new Float64Array(rows.length);
  const y = new Float64Array(rows.length);
  const ra = new Float64Array(rows.length);
  const dec = new Float64Array(rows.length);
  const flux = new Float64Array(rows.length);
  const fluxErr = new Float64Array(rows.length);
  const starIds = new BigInt64Array(rows.length);
  rows.forEach(({ found, detector, wcs }, row) => {
    ids[row] = BigInt(visit.id) * 100_000n + BigInt(row);
    detectorIds[row] = detector.id;
    x[row] = found.x + (random() - 0.5) * 0.1;
    y[row] = found.y + (random() - 0.5) * 0.1;
    const sky = wcs?.pixelToSky(x[row] as number, y[row] as number) ?? { ra: Number.NaN, dec: Number.NaN };
    ra[row] = sky.ra;
    dec[row] = sky.dec;
    fluxErr[row] = Math.sqrt(found.star.flux + 800 * 20);
    flux[row] = found.star.flux + (random() - 0.5) * 2 * (fluxErr[row] as number);
    starIds[row] = BigInt(found.star.id);
  });
  return makeTable({
    columns: [
      { name: "sourceId", values: ids, description: "Unique source ID" },
      { name: "detector", values: detectorIds, description: "Detector the source was measured on" },
      { name: "x", values: x, unit: "pix", description: "Centroid column" },
      { name: "y", values: y, unit: "pix", description: "Centroid row" },
      { name: "ra", values: ra, unit: "deg", description: "Right ascension (ICRS)" },
      { name: "dec", values: dec, unit: "deg", description: "Declination (ICRS)" },
      { name: "psfFlux", values: flux, unit: "ct", description: "PSF flux" },
      { name: "psfFluxErr", values: fluxErr, unit: "ct", description: "PSF flux uncertainty" },
      { name: "starId", values: starIds, description: "ID of the simulated star" },
    ],
    meta: { visit: visit.id, band: visit.filter.band },
  });
}
