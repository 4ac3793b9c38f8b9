import { ConfigError } from "../errors.ts";
import { HealpixPixelization } from "../sphgeom/healpix-pixelization.ts";
import { HtmPixelization } from "../sphgeom/htm-pixelization.ts";
import { type PixelRange, pixelsIn } from "../sphgeom/pixel-ranges.ts";
import type { Region } from "../sphgeom/region.ts";
import { Relationship } from "../sphgeom/relationship.ts";
import type { SkyPixDimension } from "./elements.ts";

/** What queries and overlap tables need of a skypix dimension's pixelization. */
export interface SkyPixPixelization {
  /** Sorted, merged index ranges of the pixels that may overlap `region` (at most `maxRanges` if > 0). */
  envelope(region: Region, maxRanges?: number): readonly PixelRange[];
  /** Whether pixel `index` overlaps `region`: exact for HTM (its pixels are polygons), else by envelope. */
  overlaps(index: number, region: Region): boolean;
  /** Every pixel that overlaps `region`, in index order, as {@link SkyPixPixelization.overlaps} decides. */
  pixelsOverlapping(region: Region): number[];
}

function htm(level: number): SkyPixPixelization {
  const pixelization = HtmPixelization.of(level);
  const triangles = new Map<number, Region>();
  return {
    envelope: (region, maxRanges = 0) => pixelization.envelope(region, maxRanges),
    overlaps: (index, region) => {
      let triangle = triangles.get(index);
      if (triangle === undefined) {
        triangle = HtmPixelization.triangle(index);
        // Bounded: a query touches few distinct pixels, but a long-lived process could see many.
        if (triangles.size > 100_000) triangles.clear();
        triangles.set(index, triangle);
      }
      return (triangle.relate(region) & Relationship.DISJOINT) === 0;
    },
    pixelsOverlapping(region) {
      return pixelsIn(pixelization.envelope(region)).filter((index) => this.overlaps(index, region));
    },
  };
}

function healpix(order: number): SkyPixPixelization {
  const pixelization = HealpixPixelization.of(order, "nested");
  // Tests of many pixels against one region (a literal, a row's region) share its envelope.
  const envelopes = new WeakMap<Region, readonly PixelRange[]>();
  const envelopeOf = (region: Region) => {
    let ranges = envelopes.get(region);
    if (ranges === undefined) {
      ranges = pixelization.envelope(region);
      envelopes.set(region, ranges);
    }
    return ranges;
  };
  return {
    envelope: (region, maxRanges = 0) => pixelization.envelope(region, maxRanges),
    // HEALPix pixels are not polygons: as daf_butler, a pixel overlaps what its envelope says it may.
    overlaps: (index, region) => envelopeOf(region).some(([begin, end]) => index >= begin && index < end),
    pixelsOverlapping: (region) => pixelsIn(envelopeOf(region)),
  };
}

const PIXELIZATIONS: Readonly<Record<string, (level: number) => SkyPixPixelization>> = {
  "lsst.sphgeom.HtmPixelization": htm,
  "lsst.sphgeom.HealpixPixelization": healpix,
};

const made = new WeakMap<SkyPixDimension, SkyPixPixelization>();

/**
 * The pixelization of a skypix dimension (`htm7`, `healpix10`), as its universe's system names it.
 * @throws {ConfigError} when the universe names a pixelization class we do not implement.
 */
export function pixelizationOf(skypix: SkyPixDimension): SkyPixPixelization {
  const existing = made.get(skypix);
  if (existing !== undefined) return existing;
  const system = skypix.universe.skyPixSystems.find((s) => s.name === skypix.system);
  const className = system?.pixelizationClass ?? "";
  const make = PIXELIZATIONS[className];
  if (make === undefined) {
    throw new ConfigError(
      `Cannot use skypix dimension "${skypix.name}": pixelization "${className}" is not implemented`,
      { hint: `Use one of ${Object.keys(PIXELIZATIONS).join(", ")}.` },
    );
  }
  const pixelization = make(skypix.level);
  made.set(skypix, pixelization);
  return pixelization;
}
