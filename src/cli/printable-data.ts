import { Exposure } from "../images/exposure.ts";
import { Image } from "../images/image.ts";
import { Mask } from "../images/mask.ts";
import { MaskedImage } from "../images/masked-image.ts";
import type { SkyWcs } from "../images/sky-wcs.ts";
import { isTable, type Table } from "../tables/table.ts";
import { cellOf } from "../tables/table-column.ts";
import { type Cell, formatTable, type OutputFormat, type ResultTable } from "./output-table.ts";

/** Formats `get` prints a table in, beside the formats of any object. */
export const TABLE_PRINT_FORMATS: readonly OutputFormat[] = Object.freeze(["table", "csv", "json"]);

/** A table's rows as result-table cells (floats the Python way, as daf_butler's tables print them). */
function resultTable(table: Table): ResultTable {
  const floats = table.columns.map((column) => column.type === "float32" || column.type === "float64");
  const rows = Array.from({ length: table.rowcount }, (_, row) =>
    table.columns.map((column, index): Cell => {
      const value = cellOf(column, row);
      return floats[index] && typeof value === "number" ? { float: value } : value;
    }),
  );
  return { columns: table.names, rows };
}

function planeText(name: string, plane: Image | null): string {
  if (plane === null) return `${name} (none)`;
  if (plane instanceof Mask) return `${name} int32 (planes ${Object.keys(plane.planes).join(", ")})`;
  return `${name} ${plane.dtype}`;
}

function wcsText(wcs: SkyWcs, x: number, y: number): string {
  const { ra, dec } = wcs.pixelToSky(x, y);
  const [[a, b], [c, d]] = wcs.cd;
  const scale = Math.sqrt(Math.abs(a * d - b * c)) * 3600;
  return `${wcs.projection}, centre at RA ${ra.toFixed(5)}, Dec ${dec.toFixed(5)} (deg), ${scale.toFixed(3)}"/pixel`;
}

/** A few lines describing an image, mask, masked image or exposure, instead of its pixels. */
function imageSummary(object: Image | MaskedImage | Exposure): string {
  const image = object instanceof Image ? object : object.image;
  const kind =
    object instanceof Exposure
      ? "Exposure"
      : object instanceof MaskedImage
        ? "MaskedImage"
        : object instanceof Mask
          ? "Mask"
          : "Image";
  const box = image.bbox;
  const lines = [`${kind} of ${image.width}x${image.height} pixels, bbox ${box} (x0,y0,x1,y1 PARENT)`];
  if (object instanceof Image) lines.push(`pixels: ${planeText("image", object)}`);
  else {
    lines.push(
      `planes: ${[planeText("image", object.image), planeText("mask", object.mask), planeText("variance", object.variance)].join(", ")}`,
    );
  }
  if (object instanceof Exposure) {
    if (object.wcs !== null)
      lines.push(`wcs: ${wcsText(object.wcs, (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)}`);
    lines.push(`metadata: ${object.metadata.keys().length} cards (component "metadata")`);
  }
  lines.push("Write the pixels to a file with --output FILE.fits, or print them with --format json.");
  return `${lines.join("\n")}\n`;
}

/**
 * What `get` prints for data too large or too structured for JSON by default: a table as rows (`table`,
 * `csv` or `json` rows), an image as a summary. Undefined for other objects, or when the format asks for
 * the object's generic printing (`json` for images, `yaml`).
 */
export function printableData(object: unknown, format: string | undefined): string | undefined {
  if (isTable(object)) {
    const chosen = (format ?? "table") as OutputFormat;
    return TABLE_PRINT_FORMATS.includes(chosen) ? formatTable(resultTable(object), chosen) : undefined;
  }
  if (
    (object instanceof Image || object instanceof MaskedImage) &&
    (format === undefined || format === "text")
  ) {
    return imageSummary(object);
  }
  return undefined;
}
