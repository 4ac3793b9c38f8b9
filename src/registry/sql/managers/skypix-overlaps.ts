import type { DataIdValue } from "../../../dimensions/data-coordinate.ts";
import type { DimensionRecord } from "../../../dimensions/dimension-record.ts";
import type { DimensionElement, SkyPixDimension } from "../../../dimensions/elements.ts";
import { pixelizationOf } from "../../../dimensions/skypix-pixelization.ts";
import { TopologicalFamily } from "../../../dimensions/topology.ts";
import { decodeRegion } from "../../../sphgeom/decode-region.ts";
import type { SqlExecutor, SqlValue } from "../database.ts";

/**
 * Write the `<element>_skypix_overlap` and `_summary` rows of `records`, as daf_butler does at insert time:
 * one row per pixel of the common skypix dimension (`htm7`) that the envelope of a record's region touches,
 * and one summary row per governor value. Call it inside the transaction that inserts the records; it does
 * nothing for an element without regions. With `fineSkyPix` (a repository's finer level), its rows are
 * written too. With `replace`, the rows the records had (at every level) are deleted first;
 * records without a region get none. Rows already present stay (a record skipped as existing keeps its rows).
 * @throws {RegionError} when a record's region bytes are not a sphgeom region.
 * @throws {ConfigError} when the common skypix system's pixelization is not implemented.
 */
export async function writeSkyPixOverlaps(
  tx: SqlExecutor,
  element: DimensionElement,
  records: readonly DimensionRecord[],
  options: { readonly replace?: boolean; readonly fineSkyPix?: SkyPixDimension } = {},
): Promise<void> {
  if (!element.hasOwnTable || !(element.spatial instanceof TopologicalFamily)) return;
  const governor = element.governor;
  if (governor === null) throw new TypeError(`spatial element ${element.name} has no governor dimension`);
  const table = `${element.name}_skypix_overlap`;
  const keyColumns = element.required.map((d) => d.name);
  if (options.replace) {
    // Every level's rows: the common one and the fine one.
    const { quote, placeholder } = tx.dialect;
    const where = keyColumns.map((c, i) => `${quote(c)} = ${placeholder(i + 1)}`).join(" AND ");
    await tx.runMany(
      `DELETE FROM ${quote(table)} WHERE ${where}`,
      records.map((r) => keyValues(r, keyColumns)),
    );
  }
  const levels = [element.universe.commonSkyPix, ...(options.fineSkyPix ? [options.fineSkyPix] : [])];
  const rows: SqlValue[][] = [];
  const summaries: SqlValue[][] = [];
  for (const skypix of levels) {
    const pixelization = pixelizationOf(skypix);
    const head: SqlValue[] = [skypix.system, skypix.level];
    const governorValues = new Set<DataIdValue>();
    for (const record of records) {
      const bytes = record.get("region");
      if (!(bytes instanceof Uint8Array)) continue;
      const key = keyValues(record, keyColumns);
      for (const [begin, end] of pixelization.envelope(decodeRegion(bytes))) {
        for (let index = begin; index < end; index++) rows.push([...head, ...key, index]);
      }
      governorValues.add(record.valueOf(governor.name) as DataIdValue);
    }
    for (const value of governorValues) summaries.push([...head, value]);
  }
  if (rows.length === 0) return;
  // The summary rows first: the overlap table's foreign key refers to them.
  await tx.insertRows(
    `${table}_summary`,
    ["skypix_system", "skypix_level", governor.name],
    summaries,
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
