import { CommandLineError } from "../errors.ts";

/** Output formats every query verb offers. */
export type OutputFormat = "table" | "json" | "csv";

/** The output formats, for option validation. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = Object.freeze(["table", "json", "csv"]);

/** A cell: a plain value, a float that prints the Python way (`240.0`), or a value shown differently per format. */
export type Cell = string | number | boolean | bigint | null | FloatCell | ShapedCell;

/** A number that is a float in daf_butler's output (`60.0`, not `60`). */
export interface FloatCell {
  readonly float: number;
}

/** A JSON value. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[];

/** A value with its own spelling in each format (a timespan: text in a table, a pair in JSON). */
export interface ShapedCell {
  readonly text: string;
  readonly json: JsonValue;
  readonly csv: string;
}

function isShaped(cell: FloatCell | ShapedCell): cell is ShapedCell {
  return "text" in cell;
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
  if (typeof cell === "object") return isShaped(cell) ? cell.text : pythonFloat(cell.float);
  return String(cell);
}

/** A cell as a JSON value (floats as numbers, bigints as exact numbers). */
function cellJson(cell: Cell): string {
  if (typeof cell === "bigint") return cell.toString();
  if (cell !== null && typeof cell === "object")
    return JSON.stringify(isShaped(cell) ? cell.json : cell.float);
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

/**
 * The table as astropy prints it: centred headers, dashes, values right-aligned (or left), width at
 * least 3; nothing for a table without columns.
 */
export function formatTableText(table: ResultTable): string {
  if (table.columns.length === 0) return "";
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

/** Each row of the table as a one-line JSON object keyed by column name. */
function jsonObjects(table: ResultTable): string[] {
  return table.rows.map(
    (row) =>
      `{${table.columns.map((name, i) => `${JSON.stringify(name)}: ${cellJson(row[i] ?? null)}`).join(", ")}}`,
  );
}

function jsonArray(objects: readonly string[]): string {
  return objects.length === 0 ? "[]\n" : `[\n  ${objects.join(",\n  ")}\n]\n`;
}

/** The table as one JSON array of objects keyed by column name. */
export function formatTableJson(table: ResultTable): string {
  return jsonArray(jsonObjects(table));
}

/** The table as CSV (RFC 4180 quoting), empty cells for null; nothing for a table without columns. */
export function formatTableCsv(table: ResultTable): string {
  if (table.columns.length === 0) return "";
  const quote = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const value = (cell: Cell) =>
    cell === null ? "" : quote(typeof cell === "object" && isShaped(cell) ? cell.csv : cellText(cell));
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
 * Several tables in one output, as daf_butler's query-datasets prints them: in a table, each non-empty
 * table after a blank line, and a blank line at the end; in JSON, one array of every row, keyed by its
 * own table's columns; in CSV, one header of every column (in order of appearance), empty cells where a
 * row's table has no such column.
 */
export function formatTables(tables: readonly ResultTable[], format: OutputFormat): string {
  if (format === "table") {
    const shown = tables.filter((table) => table.rows.length > 0);
    return `${shown.map((table) => `\n${formatTableText(table)}`).join("")}\n`;
  }
  if (format === "json") return jsonArray(tables.flatMap(jsonObjects));
  const columns = [...new Set(tables.flatMap((table) => table.columns))];
  const rows = tables.flatMap((table) =>
    table.rows.map((row) => columns.map((name) => row[table.columns.indexOf(name)] ?? null)),
  );
  return formatTableCsv({ columns, rows });
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
