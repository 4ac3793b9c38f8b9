// sphgeom figures (`npm run bench -- sphgeom`): HTM and HEALPix indexing of 1,000,000 points and HTM
// envelopes of a 1° circle, each beside the cheapest work on the same input.
import { Angle } from "../src/sphgeom/angle.ts";
import { Circle } from "../src/sphgeom/circle.ts";
import { HealpixPixelization } from "../src/sphgeom/healpix-pixelization.ts";
import { HtmPixelization } from "../src/sphgeom/htm-pixelization.ts";
import { LonLat } from "../src/sphgeom/lon-lat.ts";
import { UnitVector3d } from "../src/sphgeom/unit-vector-3d.ts";
import { seededRandom } from "../src/util/seeded-random.ts";
import type { Comparison, Workload } from "./harness.ts";

const POINTS = 1_000_000;

/** `count` unit vectors spread uniformly over the sphere, the same on every run. */
function randomVectors(count: number, seed: number): UnitVector3d[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const lon = 2 * Math.PI * random();
    const lat = Math.asin(2 * random() - 1);
    return UnitVector3d.fromLonLatRadians(lon, lat);
  });
}

/** Reads each vector and quantizes it to an integer cell of a 1024³ grid: a pixel index at its cheapest. */
function quantizeFloor(vectors: readonly UnitVector3d[]): Workload {
  return {
    name: "read x, y, z of each vector and quantize to a 1024³ grid cell (integer hash)",
    run: () => {
      let sum = 0;
      for (const v of vectors)
        sum += (((v.x + 1) * 512) | 0) + ((((v.y + 1) * 512) | 0) << 10) + ((((v.z + 1) * 512) | 0) << 20);
      return sum;
    },
  };
}

/** `index` over every vector, beside {@link quantizeFloor}. */
function indexAll(
  figure: string,
  name: string,
  vectors: readonly UnitVector3d[],
  index: (v: UnitVector3d) => number | bigint,
): Comparison {
  return {
    figure,
    itemsPerCall: vectors.length,
    iterations: 5,
    timeMs: 1,
    butler: {
      name,
      run: () => {
        let last: number | bigint = 0;
        for (const v of vectors) last = index(v);
        return last;
      },
    },
    floor: quantizeFloor(vectors),
  };
}

/** `envelope` of 1° circles at random centers, beside the index of the circle's center at the same level. */
function envelopeOfCircle(level: number): Comparison {
  const htm = HtmPixelization.of(level);
  const random = seededRandom(level);
  const circles = Array.from({ length: 64 }, () =>
    Circle.of(LonLat.fromDegrees(360 * random(), 170 * random() - 85), Angle.fromDegrees(1)),
  );
  let n = 0;
  const next = () => circles[n++ % circles.length] as Circle;
  return {
    figure: `HTM level ${level} envelope of a 1° circle (64 centers in turn)`,
    butler: { name: `HtmPixelization.of(${level}).envelope(circle)`, run: () => htm.envelope(next()) },
    floor: {
      name: `HtmPixelization.of(${level}).index(circle.center): one pixel of the same circle`,
      run: () => htm.index(next().center),
    },
  };
}

/** Pixelization figures of the spatial-query issue: point indexing throughput and envelope cost. */
export function comparisons(): Comparison[] {
  const vectors = randomVectors(POINTS, 42);
  const points = POINTS.toLocaleString("en");
  const htm7 = HtmPixelization.of(7);
  const htm20 = HtmPixelization.of(20);
  const healpix10 = HealpixPixelization.of(10, "nested");
  const healpix29 = HealpixPixelization.of(29, "nested");
  return [
    indexAll(`HTM level 7 index of ${points} random unit vectors`, "htm7.index(v)", vectors, (v) =>
      htm7.index(v),
    ),
    indexAll(`HTM level 20 index of ${points} random unit vectors`, "htm20.index(v)", vectors, (v) =>
      htm20.index(v),
    ),
    indexAll(
      `HEALPix nested order 10 index of ${points} random unit vectors`,
      "healpix10.index(v)",
      vectors,
      (v) => healpix10.index(v),
    ),
    indexAll(
      `HEALPix nested order 29 index (bigint) of ${points} random unit vectors`,
      "healpix29.indexBigInt(v)",
      vectors,
      (v) => healpix29.indexBigInt(v),
    ),
    envelopeOfCircle(7),
    envelopeOfCircle(11),
  ];
}
