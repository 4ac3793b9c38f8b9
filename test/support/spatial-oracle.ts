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
