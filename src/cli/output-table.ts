import { CommandLineError } from "../errors.ts";

/** Output formats every query verb offers. */
export type OutputFormat = "table" | "json" | "csv";

/** The output formats, for option validation. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = Object.freeze(["table", "json", "csv"]);

/** A cell: a plain value, or a float that prints the Python way (`240.0`). */
export type Cell = string | number | boolean | bigint | null | FloatCell;

/** A number that is a float in daf_butler's output (`60.0`, not `60`). */
export interface FloatCell {
  readonly float: number;
}

/** A result table: column names and rows of cells. */
export interface ResultTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** Alignment of values: right (astropy's default) or left (query-collections). */
  readonly align?: "left" | "right";
}

/** A cell as text in a table (Python's spelling: `None`, `True`, `240.0`). */
export function cellText(cell: Cell): string {
  if (cell === null) return "None";
  if (typeof cell === "boolean") return cell ? "True" : "False";
  if (typeof cell === "object") return pythonFloat(cell.float);
  return String(cell);
}

/** A cell as a JSON value (floats as numbers, bigints as exact numbers). */
function cellJson(cell: Cell): string {
  if (typeof cell === "bigint") return cell.toString();
  if (cell !== null && typeof cell === "object") return JSON.stringify(cell.float);
  return JSON.stringify(cell);
}

/** `repr(float)` of Python for ordinary values: integral floats keep `.0`. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const text = String(value);
  return Number.isInteger(value) && !text.includes("e") ? `${text}.0` : text;
}

/** Python's `str.center`: odd padding goes left when the width is odd. */
function center(text: string, width: number): string {
  const pad = width - text.length;
  if (pad <= 0) return text;
  const left = Math.floor(pad / 2) + (pad & width & 1);
  return " ".repeat(left) + text + " ".repeat(pad - left);
}

/** The table as astropy prints it: centred headers, dashes, values right-aligned (or left), width at least 3. */
export function formatTableText(table: ResultTable): string {
  const texts = table.rows.map((row) => row.map(cellText));
  const widths = table.columns.map((name, i) =>
    Math.max(3, name.length, ...texts.map((row) => (row[i] ?? "").length)),
  );
  const align = (text: string, width: number) =>
    table.align === "left" ? text.padEnd(width) : text.padStart(width);
  const lines = [
    table.columns.map((name, i) => center(name, widths[i] as number)).join(" "),
    widths.map((w) => "-".repeat(w)).join(" "),
    ...texts.map((row) => row.map((text, i) => align(text, widths[i] as number)).join(" ")),
  ];
  return `${lines.join("\n")}\n`;
}

/** The table as one JSON array of objects keyed by column name. */
export function formatTableJson(table: ResultTable): string {
  const objects = table.rows.map(
    (row) =>
      `{${table.columns.map((name, i) => `${JSON.stringify(name)}: ${cellJson(row[i] ?? null)}`).join(", ")}}`,
  );
  return objects.length === 0 ? "[]\n" : `[\n  ${objects.join(",\n  ")}\n]\n`;
}

/** The table as CSV (RFC 4180 quoting), empty cells for null. */
export function formatTableCsv(table: ResultTable): string {
  const quote = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const value = (cell: Cell) =>
    cell === null ? "" : quote(typeof cell === "object" ? pythonFloat(cell.float) : cellText(cell));
  return (
    [table.columns.map(quote).join(","), ...table.rows.map((row) => row.map(value).join(","))].join("\n") +
    "\n"
  );
}

/** The table in the requested format. */
export function formatTable(table: ResultTable, format: OutputFormat): string {
  if (format === "json") return formatTableJson(table);
  if (format === "csv") return formatTableCsv(table);
  return formatTableText(table);
}

/**
 * Parse a `--format` value.
 * @throws {CommandLineError} for an unknown format.
 */
export function parseOutputFormat(value: string): OutputFormat {
  const lower = value.toLowerCase();
  if ((OUTPUT_FORMATS as readonly string[]).includes(lower)) return lower as OutputFormat;
  throw new CommandLineError(`Invalid --format "${value}"`, {
    hint: `Use one of ${OUTPUT_FORMATS.join(", ")}.`,
  });
}
