import type { SkyWcs } from "../images/sky-wcs.ts";
import { ConvexPolygon } from "../sphgeom/convex-polygon.ts";
import { LonLat } from "../sphgeom/lon-lat.ts";
import { Timespan } from "../time/timespan.ts";
import { DEMO_FILTERS, DEMO_INSTRUMENT, type DemoDetector, type DemoVisit } from "./demo-survey.ts";

type RecordInit = Readonly<Record<string, unknown>>;

/** sphgeom's encoding of the convex polygon with these sky corners (degrees), as registries store regions. */
function encodeConvexPolygon(corners: readonly { ra: number; dec: number }[]): Uint8Array {
  return ConvexPolygon.of(corners.map(({ ra, dec }) => LonLat.fromDegrees(ra, dec))).encode();
}

/** The sky corners of the pixel box [x0, x1] x [y0, y1] (pixel edges) through a WCS. */
function skyCorners(wcs: SkyWcs, x0: number, y0: number, x1: number, y1: number) {
  return [wcs.pixelToSky(x0, y0), wcs.pixelToSky(x1, y0), wcs.pixelToSky(x1, y1), wcs.pixelToSky(x0, y1)];
}

/**
 * The dimension records of the demo survey, element by element in insertion order: DemoCam, its filters
 * and detectors, the nights, one exposure (and group) per visit, the visits with their regions and
 * timespans, and the visit-detector regions.
 */
export function demoRecords(
  visits: readonly DemoVisit[],
  detectors: readonly DemoDetector[],
  wcsOf: (visit: DemoVisit, detector: DemoDetector) => SkyWcs,
  size: number,
): [string, RecordInit[]][] {
  const instrument = DEMO_INSTRUMENT;
  const nights = [...new Set(visits.map((v) => v.dayObs))];
  const edge = size - 0.5;
  const visitRegion = (visit: DemoVisit) => {
    const first = detectors[0] as DemoDetector;
    const wcs = wcsOf(visit, first);
    const last = detectors[detectors.length - 1] as DemoDetector;
    const spanX = last.offsetX - first.offsetX;
    const spanY = last.offsetY - first.offsetY;
    return encodeConvexPolygon(skyCorners(wcs, -0.5, -0.5, edge + spanX, edge + spanY));
  };
  const observation = (visit: DemoVisit) => ({
    instrument,
    id: visit.id,
    physical_filter: visit.filter.name,
    day_obs: visit.dayObs,
    exposure_time: visit.exposureTime,
    target_name: "COSMOS",
    observation_reason: "science",
    science_program: "demo",
    zenith_angle: 20 + (visit.id % 7),
    timespan: Timespan.fromNs(visit.begin, visit.end),
  });
  return [
    [
      "instrument",
      [
        {
          name: instrument,
          visit_max: 100_000,
          visit_system: 0,
          exposure_max: 100_000,
          detector_max: detectors.length,
          class_name: "butler_ts.demo.DemoCam",
        },
      ],
    ],
    ["physical_filter", DEMO_FILTERS.map((f) => ({ instrument, name: f.name, band: f.band }))],
    [
      "detector",
      detectors.map((d) => ({
        instrument,
        id: d.id,
        full_name: d.fullName,
        raft: d.raft,
        name_in_raft: d.nameInRaft,
        purpose: "SCIENCE",
      })),
    ],
    ["day_obs", nights.map((id) => ({ instrument, id }))],
    ["group", visits.map((v) => ({ instrument, name: `demo_${v.id}` }))],
    [
      "exposure",
      visits.map((v) => ({
        ...observation(v),
        obs_id: `DM_${v.dayObs}_${String(v.id).padStart(6, "0")}`,
        group: `demo_${v.id}`,
        dark_time: v.exposureTime,
        observation_type: "science",
        seq_num: v.id,
        seq_start: v.id,
        seq_end: v.id,
        tracking_ra: v.ra,
        tracking_dec: v.dec,
        sky_angle: 0,
        has_simulated: true,
        can_see_sky: true,
      })),
    ],
    [
      "visit",
      visits.map((v) => ({
        ...observation(v),
        name: `visit_${v.id}`,
        seq_num: v.id,
        region: visitRegion(v),
      })),
    ],
    ["visit_definition", visits.map((v) => ({ instrument, exposure: v.id, visit: v.id }))],
    [
      "visit_detector_region",
      visits.flatMap((v) =>
        detectors.map((d) => ({
          instrument,
          visit: v.id,
          detector: d.id,
          region: encodeConvexPolygon(skyCorners(wcsOf(v, d), -0.5, -0.5, edge, edge)),
        })),
      ),
    ],
  ];
}
