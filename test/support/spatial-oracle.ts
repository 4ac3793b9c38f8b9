import { decodeRegion } from "../../src/sphgeom/decode-region.ts";
import type { Region } from "../../src/sphgeom/region.ts";
import { Relationship } from "../../src/sphgeom/relationship.ts";
import type { ExportOracle, PlainRecord } from "./query-fixtures.ts";

/** A record of an export file with its decoded region. */
export interface RegionRecord {
  readonly record: PlainRecord;
  readonly region: Region;
}

/** Every record of a spatial element in the export files, with its region decoded. */
export function regionRecords(oracle: ExportOracle, element: string): RegionRecord[] {
  return oracle
    .records(element)
    .filter((record) => record.region instanceof Uint8Array)
    .map((record) => ({ record, region: decodeRegion(record.region as Uint8Array) }));
}

/** Whether two regions overlap, by brute force with sphgeom's relate. */
export function overlaps(a: Region, b: Region): boolean {
  return (a.relate(b) & Relationship.DISJOINT) === 0;
}

/**
 * The tract-0 patches each visit detector of daf_butler's `spatial.yaml` overlaps, as the issue states
 * them (`visit/detector`); detectors overlapping none are left out.
 */
export const TRACT0_PATCHES_BY_DETECTOR: Readonly<Record<string, readonly number[]>> = Object.freeze({
  "1/1": [0, 2],
  "1/2": [0, 1, 2, 3],
  "1/3": [2, 4],
  "1/4": [2, 3],
  "2/1": [4],
  "2/2": [4, 5],
});
