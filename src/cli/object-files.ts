import { readFile, rename, writeFile } from "node:fs/promises";
import { extname } from "node:path";
import type { Formatter } from "../datastore/formatters/formatter.ts";
import { FormatterTable } from "../datastore/formatters/formatter-table.ts";
import { CommandLineError, StorageNotFoundError } from "../errors.ts";
import { printableData } from "./printable-data.ts";

/** File extensions `put` reads and `get` writes, and the formatter each one names. */
export const OBJECT_FILE_EXTENSIONS: readonly string[] = Object.freeze([
  ".json",
  ".yaml",
  ".yml",
  ".txt",
  ".fits",
  ".parq",
  ".h5",
]);

/** The ways `get` prints a dataset on standard output. */
export const PRINT_FORMATS: readonly string[] = Object.freeze(["json", "yaml", "text", "table", "csv"]);

/**
 * The formatter for a file, by its extension.
 * @throws {CommandLineError} for an extension that is not one of {@link OBJECT_FILE_EXTENSIONS}.
 */
export function formatterForFile(path: string): Formatter {
  const extension = extname(path).toLowerCase();
  const formatter = OBJECT_FILE_EXTENSIONS.includes(extension)
    ? FormatterTable.defaults().forExtension(extension)
    : undefined;
  if (formatter === undefined) {
    throw new CommandLineError(
      `Cannot tell the format of "${path}" from its extension "${extension || "(none)"}"`,
      { hint: `Use a file ending in ${OBJECT_FILE_EXTENSIONS.join(", ")}.` },
    );
  }
  return formatter;
}

/**
 * The object in a file, read by the formatter its extension names as `storageClass` (when given: a FITS
 * file read as an `ImageF` is an image, as an `ExposureF` an exposure).
 * @throws {CommandLineError} for an unknown extension. @throws {StorageNotFoundError} for a missing file.
 * @throws {FormatterError} for contents that are not valid in that format.
 */
export async function readObjectFile(path: string, storageClass?: string): Promise<unknown> {
  const formatter = formatterForFile(path);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    throw new StorageNotFoundError(
      `Cannot read "${path}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      path,
      { cause: error, hint: "Check the path of the file to put." },
    );
  }
  const source = {
    size: async () => bytes.length,
    read: async (start: number, end: number) => bytes.slice(start, end),
    readAll: async () => bytes,
  };
  return formatter.read(source, storageClass === undefined ? {} : { storageClass }, path);
}

/**
 * Write an object to a file in the format its extension names (through a temporary file, so a failed
 * write leaves no half file).
 * @throws {CommandLineError} for an unknown extension. @throws {FormatterError} for an object the format cannot hold.
 */
export async function writeObjectFile(path: string, object: unknown): Promise<void> {
  const bytes = await formatterForFile(path).write(object);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, path);
}

/**
 * An object as text for standard output: `text` for strings, rows for tables, a summary for images, JSON
 * (as daf_butler's JsonFormatter writes it) for anything else unless `format` says otherwise.
 * @throws {FormatterError} when the object cannot be written in that format.
 * @throws {CommandLineError} for `table` or `csv` with an object that is not a table.
 */
export async function printableObject(object: unknown, format: string | undefined): Promise<string> {
  const data = printableData(object, format);
  if (data !== undefined) return data;
  if (format === "table" || format === "csv") {
    throw new CommandLineError(`--format ${format} prints tables, and this dataset is not one`, {
      hint: "Use --format json, yaml or text.",
    });
  }
  const chosen = format ?? (typeof object === "string" ? "text" : "json");
  const formatter = FormatterTable.defaults().get(chosen);
  const text = new TextDecoder().decode(await formatter.write(object));
  return text.endsWith("\n") || text === "" ? text : `${text}\n`;
}
