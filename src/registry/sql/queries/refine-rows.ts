import type { SkyPixDimension } from "../../../dimensions/elements.ts";
import { pixelizationOf } from "../../../dimensions/skypix-pixelization.ts";
import type { DimensionUniverse } from "../../../dimensions/universe.ts";
import { regionOfLiteral } from "../../../query/region-literal.ts";
import { decodeRegion } from "../../../sphgeom/decode-region.ts";
import type { Region } from "../../../sphgeom/region.ts";
import { Relationship } from "../../../sphgeom/relationship.ts";
import type { Refinement, RefineTest, RegionOperand, SkyPixExpansion } from "../compile/refinement.ts";
import type { SqlRow } from "../database.ts";

/** A three-valued truth: true, false, or unknown (null, as SQL's NULL). */
type Truth = boolean | null;

/** A region read from a row: decoded bytes, a literal, or a pixel to test against the other side. */
type RowRegion = { readonly region: Region } | { readonly pixel: number; readonly skypix: SkyPixDimension };

function truthOf(value: unknown): Truth {
  if (value === null || value === undefined) return null;
  return Number(value) === 1;
}

function overlap(a: RowRegion | null, b: RowRegion | null): Truth {
  if (a === null || b === null) return null;
  if ("pixel" in a && "pixel" in b) throw new TypeError("overlap of two pixels");
  if ("pixel" in a) return pixelizationOf(a.skypix).overlaps(a.pixel, (b as { region: Region }).region);
  if ("pixel" in b) return pixelizationOf(b.skypix).overlaps(b.pixel, a.region);
  return (a.region.relate(b.region) & Relationship.DISJOINT) === 0;
}

/**
 * Reads the region an operand names in a row. Literal regions are decoded once; row regions once per
 * distinct encoding (candidate rows repeat them: a visit's beside each patch).
 */
function regionReader(
  universe: DimensionUniverse,
): (operand: RegionOperand, row: SqlRow) => RowRegion | null {
  const literals = new Map<string, Region>();
  const decoded = new Map<string, Region>();
  return (operand, row) => {
    if (operand.kind === "literal") {
      let region = literals.get(operand.value);
      if (region === undefined) {
        region = regionOfLiteral(operand.value);
        literals.set(operand.value, region);
      }
      return { region };
    }
    const value = row[operand.column];
    if (value === null || value === undefined) return null;
    if (operand.kind === "pixel")
      return { pixel: Number(value), skypix: universe.dimension(operand.dimension) as SkyPixDimension };
    // Stored as base64 text, as daf_butler stores it.
    const text = String(value);
    let region = decoded.get(text);
    if (region === undefined) {
      if (decoded.size > 10_000) decoded.clear();
      region = decodeRegion(Uint8Array.from(Buffer.from(text, "base64")));
      decoded.set(text, region);
    }
    return { region };
  };
}

/** A row test for a refinement: true when the row passes (unknown fails, as in a SQL WHERE). */
function rowTest(test: RefineTest, universe: DimensionUniverse): (row: SqlRow) => boolean {
  const read = regionReader(universe);
  const evaluate = (node: RefineTest, row: SqlRow): Truth => {
    switch (node.kind) {
      case "condition":
        return truthOf(row[node.column]);
      case "keyRanges": {
        const value = row[node.column];
        if (value === null || value === undefined) return null;
        const key = Number(value);
        return node.ranges.some(([begin, end]) => key >= begin && key < end);
      }
      case "overlaps":
        return overlap(read(node.a, row), read(node.b, row));
      case "not": {
        const value = evaluate(node.operand, row);
        return value === null ? null : !value;
      }
      case "and": {
        let result: Truth = true;
        for (const operand of node.operands) {
          const value = evaluate(operand, row);
          if (value === false) return false;
          if (value === null) result = null;
        }
        return result;
      }
      case "or": {
        let result: Truth = false;
        for (const operand of node.operands) {
          const value = evaluate(operand, row);
          if (value === true) return true;
          if (value === null) result = null;
        }
        return result;
      }
    }
  };
  return (row) => evaluate(test, row) === true;
}

/**
 * The rows a skypix expansion makes of one row: one per pixel of the dimension overlapping the source
 * region (none when the region is NULL), with the pixel index in the expansion's column.
 */
function expander(expansion: SkyPixExpansion, universe: DimensionUniverse): (row: SqlRow) => SqlRow[] {
  const read = regionReader(universe);
  const pixelization = pixelizationOf(universe.dimension(expansion.dimension) as SkyPixDimension);
  return (row) => {
    const source = read(expansion.source, row);
    if (source === null || !("region" in source)) return [];
    return pixelization
      .pixelsOverlapping(source.region)
      .map((pixel) => ({ ...row, [expansion.column]: pixel }));
  };
}

/**
 * Candidate rows, page by page, reduced to those passing the refinement's test; one row per result when
 * candidates repeat results; then OFFSET and LIMIT. Stops reading once the limit is reached.
 */
export async function* refinePages(
  pages: AsyncIterable<SqlRow[]>,
  refinement: Refinement,
  universe: DimensionUniverse,
): AsyncGenerator<SqlRow[]> {
  const passes = rowTest(refinement.test, universe);
  const expanders = (refinement.expansions ?? []).map((e) => expander(e, universe));
  const seen = refinement.distinct === undefined ? undefined : new Set<string>();
  const columns = refinement.distinct ?? [];
  let skip = refinement.offset ?? 0;
  let remaining = refinement.limit ?? Number.POSITIVE_INFINITY;
  if (remaining <= 0) return;
  for await (const page of pages) {
    const kept: SqlRow[] = [];
    let rows = page;
    for (const expand of expanders) rows = rows.flatMap(expand);
    for (const row of rows) {
      if (!passes(row)) continue;
      if (seen !== undefined) {
        const key = JSON.stringify(columns.map((c) => rowKey(row[c])));
        if (seen.has(key)) continue;
        seen.add(key);
      }
      if (skip > 0) {
        skip--;
        continue;
      }
      kept.push(row);
      if (--remaining === 0) break;
    }
    if (kept.length > 0) yield kept;
    if (remaining === 0) return;
  }
}

function rowKey(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  return value;
}
