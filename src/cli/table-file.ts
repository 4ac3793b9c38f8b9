import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { CommandLineError, MissingDependencyError } from "../errors.ts";

/** A table read from a file: column names and rows of text cells. */
export interface TextTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

const PARQUET_EXTENSIONS = [".parq", ".parquet", ".pq"];

/** A row of fields and the line it starts on. */
interface Row {
  readonly fields: string[];
  readonly line: number;
}

/**
 * Split text into records: fields separated by `delimiter` (`null`: runs of spaces and tabs), quoted with
 * `"` (a doubled `""` inside quotes is one quote, and quotes may span lines), skipping blank lines and
 * lines starting with `#`.
 * @throws {CommandLineError} for a quote that is never closed.
 */
function records(text: string, delimiter: string | null, name: string, firstLine: number): Row[] {
  const out: Row[] = [];
  let line = firstLine;
  let i = 0;
  while (i < text.length) {
    const start = line;
    if (text[i] === "#" || text[i] === "\n" || text[i] === "\r") {
      while (i < text.length && text[i] !== "\n") i++;
      i++;
      line++;
      continue;
    }
    const fields: string[] = [];
    let field = "";
    let quoted = false;
    let pending = false;
    for (; i < text.length; i++) {
      const c = text[i] as string;
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') quoted = false;
        else {
          if (c === "\n") line++;
          field += c;
        }
      } else if (c === '"' && field === "") {
        quoted = true;
        pending = true;
      } else if (c === "\n" || c === "\r") {
        break;
      } else if (delimiter === null ? c === " " || c === "\t" : c === delimiter) {
        if (delimiter !== null || pending || field !== "") fields.push(field);
        field = "";
        pending = false;
      } else {
        field += c;
        pending = true;
      }
    }
    if (quoted) throw new CommandLineError(`${name}, line ${start}: a quoted value is not closed`);
    if (delimiter !== null || pending || field !== "") fields.push(field);
    if (text[i] === "\r" && text[i + 1] === "\n") i++;
    i++;
    line++;
    if (fields.length > 0) out.push({ fields, line: start });
  }
  return out;
}

/**
 * The delimiter an ECSV header declares (a space unless it says `,`), and where the data starts.
 * @throws {CommandLineError} for a header that is not valid YAML.
 */
function ecsvHeader(
  lines: readonly string[],
  name: string,
): { delimiter: string | null; headerLines: number } {
  let count = 0;
  while (count < lines.length && (lines[count] as string).startsWith("#")) count++;
  const yamlLines = lines.slice(1, count).map((l) => l.replace(/^# ?/, ""));
  let header: unknown;
  try {
    header = parseYaml(yamlLines.join("\n"));
  } catch (error) {
    throw new CommandLineError(`${name}: the ECSV header is not valid YAML: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const declared = (header as { delimiter?: unknown } | null)?.delimiter;
  return { delimiter: declared === "," ? "," : null, headerLines: count };
}

/**
 * Parse a table: ECSV (astropy's `# %ECSV` header, then a header row and space- or comma-separated
 * values), CSV (`delimiter` `,`) or whitespace-separated text with a header row, `#` comments allowed.
 * @throws {CommandLineError} for a table without a header row, or a row with the wrong number of values.
 */
export function parseTable(text: string, name: string, delimiter: string | null): TextTable {
  const body = text.replace(/^\uFEFF/, "");
  let separator = delimiter;
  let offset = 0;
  let firstLine = 1;
  if (body.startsWith("# %ECSV")) {
    const lines = body.split("\n");
    const header = ecsvHeader(lines, name);
    separator = header.delimiter;
    offset = lines.slice(0, header.headerLines).reduce((n, l) => n + l.length + 1, 0);
    firstLine = header.headerLines + 1;
  }
  const [head, ...rows] = records(body.slice(offset), separator, name, firstLine);
  if (head === undefined) {
    throw new CommandLineError(`${name} has no header row`, {
      hint: "The first row names the columns: the file column, then one column per dimension.",
    });
  }
  for (const row of rows) {
    if (row.fields.length !== head.fields.length) {
      throw new CommandLineError(
        `${name}, line ${row.line}: ${row.fields.length} values for ${head.fields.length} columns (${head.fields.join(", ")})`,
      );
    }
  }
  return { columns: head.fields, rows: rows.map((r) => r.fields) };
}

/**
 * Read a table file as astropy would for `ingest-files`: `.csv` as CSV, anything else as ECSV or
 * whitespace-separated text with a header row.
 * @throws {MissingDependencyError} for a Parquet table. @throws {CommandLineError} for an unreadable or malformed file.
 */
export async function readTableFile(path: string): Promise<TextTable> {
  const extension = extname(path).toLowerCase();
  if (PARQUET_EXTENSIONS.includes(extension)) {
    throw new MissingDependencyError(`Cannot read ${path}: Parquet tables are not supported yet`, {
      hint: "Write the table as CSV or ECSV (astropy: Table.read(path).write('table.ecsv')).",
    });
  }
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new CommandLineError(
      `Cannot read table file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { cause: error },
    );
  }
  return parseTable(text, path, extension === ".csv" ? "," : null);
}
