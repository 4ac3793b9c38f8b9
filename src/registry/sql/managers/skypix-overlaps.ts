import type { DataIdValue } from "../../../dimensions/data-coordinate.ts";
import type { DimensionRecord } from "../../../dimensions/dimension-record.ts";
import type { DimensionElement, SkyPixDimension } from "../../../dimensions/elements.ts";
import { TopologicalFamily } from "../../../dimensions/topology.ts";
import { ConfigError } from "../../../errors.ts";
import { decodeRegion } from "../../../sphgeom/decode-region.ts";
import { HealpixPixelization } from "../../../sphgeom/healpix-pixelization.ts";
import { HtmPixelization } from "../../../sphgeom/htm-pixelization.ts";
import type { PixelRange } from "../../../sphgeom/pixel-ranges.ts";
import type { Region } from "../../../sphgeom/region.ts";
import type { SqlExecutor, SqlValue } from "../database.ts";

type Envelope = (region: Region) => readonly PixelRange[];

const PIXELIZATIONS: Readonly<Record<string, (level: number) => Envelope>> = {
  "lsst.sphgeom.HtmPixelization": (level) => {
    const htm = HtmPixelization.of(level);
    return (region) => htm.envelope(region);
  },
  "lsst.sphgeom.HealpixPixelization": (level) => {
    const healpix = HealpixPixelization.of(level, "nested");
    return (region) => healpix.envelope(region);
  },
};

/**
 * The envelope function of a skypix dimension's pixelization (no range budget, as daf_butler calls it).
 * @throws {ConfigError} when the universe names a pixelization class we do not implement.
 */
function envelopeOf(skypix: SkyPixDimension): Envelope {
  const system = skypix.universe.skyPixSystems.find((s) => s.name === skypix.system);
  const className = system?.pixelizationClass ?? "";
  const make = PIXELIZATIONS[className];
  if (make === undefined) {
    throw new ConfigError(
      `Cannot compute overlaps with skypix dimension "${skypix.name}": pixelization "${className}" is not implemented`,
      { hint: `Use one of ${Object.keys(PIXELIZATIONS).join(", ")} as the common skypix system.` },
    );
  }
  return make(skypix.level);
}

const envelopes = new WeakMap<SkyPixDimension, Envelope>();

/**
 * Write the `<element>_skypix_overlap` and `_summary` rows of `records`, as daf_butler does at insert time:
 * one row per pixel of the common skypix dimension (`htm7`) that the envelope of a record's region touches,
 * and one summary row per governor value. Call it inside the transaction that inserts the records; it does
 * nothing for an element without regions. With `replace`, the rows the records had are deleted first;
 * records without a region get none. Rows already present stay (a record skipped as existing keeps its rows).
 * @throws {RegionError} when a record's region bytes are not a sphgeom region.
 * @throws {ConfigError} when the common skypix system's pixelization is not implemented.
 */
export async function writeSkyPixOverlaps(
  tx: SqlExecutor,
  element: DimensionElement,
  records: readonly DimensionRecord[],
  options: { readonly replace?: boolean } = {},
): Promise<void> {
  if (!element.hasOwnTable || !(element.spatial instanceof TopologicalFamily)) return;
  const skypix = element.universe.commonSkyPix;
  const governor = element.governor;
  if (governor === null) throw new TypeError(`spatial element ${element.name} has no governor dimension`);
  let envelope = envelopes.get(skypix);
  if (envelope === undefined) {
    envelope = envelopeOf(skypix);
    envelopes.set(skypix, envelope);
  }
  const table = `${element.name}_skypix_overlap`;
  const keyColumns = element.required.map((d) => d.name);
  const head: SqlValue[] = [skypix.system, skypix.level];
  if (options.replace) {
    const { quote, placeholder } = tx.dialect;
    const where = ["skypix_system", "skypix_level", ...keyColumns]
      .map((c, i) => `${quote(c)} = ${placeholder(i + 1)}`)
      .join(" AND ");
    await tx.runMany(
      `DELETE FROM ${quote(table)} WHERE ${where}`,
      records.map((r) => [...head, ...keyValues(r, keyColumns)]),
    );
  }
  const rows: SqlValue[][] = [];
  const governorValues = new Set<DataIdValue>();
  for (const record of records) {
    const bytes = record.get("region");
    if (!(bytes instanceof Uint8Array)) continue;
    const key = keyValues(record, keyColumns);
    for (const [begin, end] of envelope(decodeRegion(bytes))) {
      for (let index = begin; index < end; index++) rows.push([...head, ...key, index]);
    }
    governorValues.add(record.valueOf(governor.name) as DataIdValue);
  }
  if (rows.length === 0) return;
  // The summary rows first: the overlap table's foreign key refers to them.
  await tx.insertRows(
    `${table}_summary`,
    ["skypix_system", "skypix_level", governor.name],
    [...governorValues].map((value) => [...head, value]),
    "ON CONFLICT DO NOTHING",
  );
  await tx.insertRows(
    table,
    ["skypix_system", "skypix_level", ...keyColumns, "skypix_index"],
    rows,
    "ON CONFLICT DO NOTHING",
  );
}

function keyValues(record: DimensionRecord, keyColumns: readonly string[]): SqlValue[] {
  return keyColumns.map((c) => record.valueOf(c) as SqlValue);
}
