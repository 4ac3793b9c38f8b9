import type { ColumnSchema } from "../../../tables/table-schema.ts";
import { readPyYaml } from "../pyyaml-reader.ts";
import { dumpPyYaml } from "../pyyaml-writer.ts";
import { encodeUtf8 } from "../utf8.ts";

/** What astropy's `table_meta_yaml` says of a table: per-column attributes and the table metadata. */
export interface TableMetaYaml {
  /** By column name: astropy's datatype name (`int64`, `string`) and the attributes set. */
  readonly columns: ReadonlyMap<string, Omit<ColumnSchema, "type"> & { readonly datatype?: string }>;
  readonly meta: Readonly<Record<string, unknown>>;
}

/**
 * astropy's table header YAML (`astropy.table.meta.get_yaml_from_table`, which daf_butler stores under
 * the `table_meta_yaml` key): a `datatype` list of `{name, unit, datatype, format, description, meta}` and
 * the table `meta` as an ordered map (`!!omap`), which astropy's `get_header_from_yaml` reads back.
 */
export function writeTableMetaYaml(
  columns: readonly ColumnSchema[],
  meta: Readonly<Record<string, unknown>>,
): string {
  const datatype = columns.map((c) => ({
    name: c.name,
    ...(c.unit ? { unit: c.unit } : {}),
    datatype: c.type,
    ...(c.format ? { format: c.format } : {}),
    ...(c.description ? { description: c.description } : {}),
    ...(c.meta === undefined || Object.keys(c.meta).length === 0 ? {} : { meta: c.meta }),
  }));
  let text = dumpPyYaml({ datatype });
  const entries = Object.entries(meta);
  if (entries.length > 0) {
    text += `meta: !!omap\n${dumpPyYaml(entries.map(([key, value]) => ({ [key]: value })))}`;
  }
  return text.replace(/\n$/, "");
}

/**
 * The column attributes and table metadata in a `table_meta_yaml` value, or undefined when it cannot be
 * read as plain YAML of that shape (astropy writes Python tags for mixin columns): the caller then falls
 * back on the Arrow schema's field metadata, as daf_butler does without the key.
 */
export function readTableMetaYaml(text: string): TableMetaYaml | undefined {
  let header: unknown;
  try {
    header = readPyYaml(encodeUtf8(text));
  } catch {
    return undefined;
  }
  if (header === null || typeof header !== "object") return undefined;
  const { datatype, meta } = header as { datatype?: unknown; meta?: unknown };
  if (!Array.isArray(datatype)) return undefined;
  const columns = new Map<string, Omit<ColumnSchema, "type"> & { datatype?: string }>();
  for (const entry of datatype) {
    if (entry === null || typeof entry !== "object" || typeof entry.name !== "string") return undefined;
    columns.set(entry.name, {
      name: entry.name,
      ...stringEntry(entry, "datatype"),
      ...stringEntry(entry, "unit"),
      ...stringEntry(entry, "description"),
      ...stringEntry(entry, "format"),
      ...(isMapping(entry.meta) ? { meta: plain(entry.meta) } : {}),
    });
  }
  return { columns, meta: isMapping(meta) ? plain(meta) : {} };
}

function stringEntry(entry: Record<string, unknown>, key: string): Record<string, string> {
  const value = entry[key];
  if (value === undefined || value === null || value === "") return {};
  return { [key]: String(value) };
}

function isMapping(value: unknown): value is Map<unknown, unknown> | Record<string, unknown> {
  return value instanceof Map || (value !== null && typeof value === "object" && !Array.isArray(value));
}

/** A YAML mapping (`!!omap` reads as a Map) as a plain object, in order; nested maps too. */
function plain(value: Map<unknown, unknown> | Record<string, unknown>): Record<string, unknown> {
  const entries = value instanceof Map ? [...value] : Object.entries(value);
  return Object.fromEntries(
    entries.map(([key, inner]) => [String(key), inner instanceof Map ? plain(inner) : inner]),
  );
}
